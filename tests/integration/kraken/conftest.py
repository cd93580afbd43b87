"""Fixtures: a loopback Kraken server per test and clients on a simulated clock."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from tests.support.kraken_server import KrakenLoopbackServer

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials, KrakenTestnetClient, KrakenTestnetConfig

START = datetime(2026, 2, 2, 10, 0, 30, tzinfo=UTC)
KEY = "loopback-api-key-Xq93"
SECRET = base64.b64encode(b"loopback api secret, never printed").decode()


@attrs.define
class Rig:
    """A client, its clock and the server it talks to."""

    client: KrakenTestnetClient
    clock: SimulatedClock
    server: KrakenLoopbackServer


MakeRig = Callable[..., Rig]


@pytest.fixture
def server() -> Iterator[KrakenLoopbackServer]:
    with KrakenLoopbackServer(speed=0, start=START) as srv:
        srv.add_key(KEY, SECRET)
        yield srv


@pytest.fixture
def make_rig(server: KrakenLoopbackServer, tmp_path: Path) -> Iterator[MakeRig]:
    clients: list[KrakenTestnetClient] = []

    def make(
        *,
        validate_only: bool = True,
        max_retries: int = 0,
        timeout_seconds: float = 2.0,
        rate_limit_ms: int = 0,
        base_url: str | None = None,
        credentials: KrakenCredentials | None = None,
        state_dir: Path | None = None,
        clock: SimulatedClock | None = None,
    ) -> Rig:
        config = KrakenTestnetConfig(
            base_url=base_url or server.base_url,
            validate_only=validate_only,
            max_retries=max_retries,
            timeout_seconds=timeout_seconds,
            rate_limit_ms=rate_limit_ms,
            state_dir=state_dir or tmp_path / "state",
        )
        rig_clock = clock or SimulatedClock(START)
        client = KrakenTestnetClient(
            config,
            rig_clock,
            credentials=credentials or KrakenCredentials.from_values(KEY, SECRET),
        )
        clients.append(client)
        return Rig(client=client, clock=rig_clock, server=server)

    yield make
    for client in clients:
        client.close()
