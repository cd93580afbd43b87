"""Fixtures: a loopback Binance server per test whose clock is the client's SimulatedClock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import attrs
import httpx
import pytest
from tests.support.binance_server import BinanceLoopbackServer

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.clocks import SimulatedClock

START = datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC)
KEY = "loopbackApiKeyXq93Zt"
SECRET = "loopback-api-secret-never-printed-7Hq"


@attrs.define
class Rig:
    """A client, its clock (which the server's market clock follows) and the server."""

    client: BinanceTestnetClient
    clock: SimulatedClock
    server: BinanceLoopbackServer


MakeRig = Callable[..., Rig]


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


@pytest.fixture
def server(clock: SimulatedClock) -> Iterator[BinanceLoopbackServer]:
    with BinanceLoopbackServer(start=START, time_source=clock.monotonic) as srv:
        srv.add_key(KEY, secret=SECRET)
        yield srv


@pytest.fixture
def make_rig(server: BinanceLoopbackServer, clock: SimulatedClock) -> Iterator[MakeRig]:
    clients: list[BinanceTestnetClient] = []

    def make(
        *,
        validate_only: bool = False,
        max_retries: int = 0,
        timeout_seconds: float = 2.0,
        recv_window_ms: int = 5000,
        base_url: str | None = None,
        credentials: BinanceCredentials | None = None,
        http: httpx.Client | None = None,
    ) -> Rig:
        config = BinanceTestnetConfig(
            base_url=base_url or server.base_url,
            validate_only=validate_only,
            max_retries=max_retries,
            timeout_seconds=timeout_seconds,
            recv_window_ms=recv_window_ms,
        )
        client = BinanceTestnetClient(
            config,
            clock,
            http=http,
            credentials=credentials or BinanceCredentials.hmac(KEY, SECRET),
        )
        clients.append(client)
        return Rig(client=client, clock=clock, server=server)

    yield make
    for client in clients:
        client.close()
