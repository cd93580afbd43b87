"""Fixtures: a whole session on a SimulatedClock against a loopback venue that executes orders,
the venue's market following the same clock, and a real run log in a temporary directory."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.support.binance_server import BinanceLoopbackServer
from tests.support.kraken_server import KrakenLoopbackServer

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials, KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.adapters.runlog.writer import RunLogWriter

START = datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC)
RUN_ID = "20260302T100030Z-5e5510"
KRAKEN_KEY = "session-loopback-key"
KRAKEN_SECRET = base64.b64encode(b"session loopback secret").decode()
BINANCE_KEY = "sessionLoopbackKey"
BINANCE_SECRET = "session-loopback-secret"


@attrs.define
class Venue:
    """A loopback server, the client on it and the clock both follow."""

    server: Any
    client: Any
    clock: SimulatedClock


@pytest.fixture
def kraken(tmp_path: Path) -> Iterator[Venue]:
    clock = SimulatedClock(START)
    with KrakenLoopbackServer(start=START, time_source=clock.monotonic) as server:
        server.add_key(KRAKEN_KEY, KRAKEN_SECRET)
        config = KrakenTestnetConfig(
            base_url=server.base_url,
            validate_only=False,
            timeout_seconds=2.0,
            max_retries=2,
            rate_limit_ms=0,
            state_dir=tmp_path / "nonce",
        )
        credentials = KrakenCredentials.from_values(KRAKEN_KEY, KRAKEN_SECRET)
        with KrakenTestnetClient(config, clock, credentials=credentials) as client:
            yield Venue(server=server, client=client, clock=clock)


@pytest.fixture
def binance() -> Iterator[Venue]:
    clock = SimulatedClock(START)
    with BinanceLoopbackServer(start=START, time_source=clock.monotonic) as server:
        server.add_key(BINANCE_KEY, secret=BINANCE_SECRET)
        config = BinanceTestnetConfig(
            base_url=server.base_url, validate_only=False, timeout_seconds=2.0, max_retries=2
        )
        credentials = BinanceCredentials.hmac(BINANCE_KEY, BINANCE_SECRET)
        with BinanceTestnetClient(config, clock, credentials=credentials) as client:
            yield Venue(server=server, client=client, clock=clock)


def open_run_log(tmp_path: Path, clock: SimulatedClock, **options: Any) -> RunLogWriter:
    return RunLogWriter(tmp_path / "runs", RUN_ID, clock, **options)


def read_events(run_log: RunLogWriter) -> list[dict[str, Any]]:
    return [json.loads(line) for line in run_log.events_path.read_text().splitlines()]


def final_results(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last `order_result` of each client order id (how the run log is meant to be read)."""
    last: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["type"] == "order_result":
            last[event["client_order_id"]] = event
    return last
