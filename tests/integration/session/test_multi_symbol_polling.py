"""A live session of several symbols against the loopback Kraken server whose market follows
the session's SimulatedClock (a live venue in virtual time): one OHLC request per symbol per
candle close even when the poll interval is shorter than the timeframe, every request spaced
by the adapter's one rate limiter per API key (polls and orders alike), and Kraken's
Starter-tier counters never tripped."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.integration.session.conftest import START
from tests.support.kraken_server import KrakenLoopbackServer

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials, KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.app.bootstrap.embedding import build_session
from peak_trade.app.config import TestnetSessionConfig
from peak_trade.domain.risk import LiveRiskLimits

KEY = "multi-symbol-key"
SECRET = base64.b64encode(b"multi symbol loopback secret").decode()
SYMBOLS = ("BTC/EUR", "ETH/EUR", "SOL/EUR")
STARTER_REST = (15.0, 0.33)  # max, decay per second (docs/kraken-api.md section 3)
STARTER_ORDERS = (60.0, 1.0)
PRIVATE_NOT_ORDERS = frozenset({"Balance", "OpenOrders", "ClosedOrders", "QueryOrders"})


class TimedRequests(list):  # type: ignore[type-arg]
    """The server's request log, each request stamped with the session clock."""

    def __init__(self, clock: SimulatedClock) -> None:
        super().__init__()
        self.clock = clock
        self.stamps: list[float] = []

    def append(self, item: Any) -> None:
        self.stamps.append(self.clock.monotonic())
        super().append(item)


def peak(stamps: list[float], maximum: float, decay: float) -> float:
    """The highest level a Kraken counter reaches over requests costing 1 each."""
    level, last, top = 0.0, None, 0.0
    for stamp in stamps:
        if last is not None:
            level = max(0.0, level - decay * (stamp - last))
        last = stamp
        level += 1
        top = max(top, level)
    assert top <= maximum, f"counter tripped: {top} > {maximum}"
    return top


@attrs.define
class LiveVenue:
    server: KrakenLoopbackServer
    client: KrakenTestnetClient
    clock: SimulatedClock
    requests: TimedRequests


@pytest.fixture
def venue(tmp_path: Path) -> Iterator[LiveVenue]:
    clock = SimulatedClock(START)
    with KrakenLoopbackServer(start=START, time_source=clock.monotonic) as server:
        server.add_key(KEY, SECRET)
        requests = server.requests = TimedRequests(clock)
        config = KrakenTestnetConfig(
            base_url=server.base_url,
            validate_only=True,
            timeout_seconds=2.0,
            max_retries=2,
            rate_limit_ms=1000,  # the default: one request a second, polls and orders alike
            state_dir=tmp_path / "nonce",
        )
        credentials = KrakenCredentials.from_values(KEY, SECRET)
        with KrakenTestnetClient(config, clock, credentials=credentials) as client:
            yield LiveVenue(server=server, client=client, clock=clock, requests=requests)


def run(venue: LiveVenue, poll_seconds: int, minutes: int) -> dict[str, Any]:
    session = build_session(
        exchange=venue.client,
        clock=venue.clock,
        symbols=SYMBOLS,
        timeframe="1m",
        strategy="ma_crossover",
        strategy_params={"fast_window": 2, "slow_window": 5},
        settings=TestnetSessionConfig(
            poll_interval_seconds=Decimal(poll_seconds), warmup_candles=10
        ),
        risk_limits=LiveRiskLimits(base_currency="EUR", max_order_notional=Decimal(5000)),
        duration_minutes=Decimal(minutes),
    )
    try:
        return session.run()
    finally:
        session.close()


def requests_of(venue: LiveVenue, method: str) -> list[tuple[float, dict[str, str]]]:
    """(session clock, params) of every request to `method`."""
    return [
        (stamp, params)
        for stamp, (name, params) in zip(venue.requests.stamps, venue.requests, strict=True)
        if name == method
    ]


@pytest.mark.parametrize("poll_seconds", [10, 60])
def test_each_symbol_is_polled_once_per_candle_close_under_one_rate_limiter(
    venue: LiveVenue, poll_seconds: int
) -> None:
    summary = run(venue, poll_seconds, minutes=30)

    ohlc = [params for _, params in requests_of(venue, "OHLC")]
    live = [p for p in ohlc if "since" in p]  # the warmup asks without `since`
    assert len(ohlc) - len(live) == len(SYMBOLS)
    pairs = {p["pair"] for p in live}
    assert len(pairs) == len(SYMBOLS)  # every symbol polled
    candles = summary["candles_processed"]
    for figures in summary["symbols"].values():
        assert figures["candles"] >= 28  # 30 minutes, every candle of every symbol
    # polling every symbol on every 10 s tick would cost 6 requests per candle; one per close
    # is the floor, plus a probe per tick until three closes showed the venue's clock agrees
    assert len(live) <= candles * 1.05 + 20
    # one limiter per API key: no two requests (polls, Ticker, AddOrder) closer than 1 s
    stamps = venue.requests.stamps
    assert min(b - a for a, b in itertools.pairwise(stamps)) >= 1.0 - 1e-9
    # orders were validated on every symbol, between the polls
    sent = requests_of(venue, "AddOrder")
    assert len(sent) == summary["orders_submitted"] >= len(SYMBOLS)
    assert all(params["validate"] == "true" for _, params in sent)
    assert {params["pair"] for _, params in sent} == pairs
    # Kraken's Starter counters: private calls (AddOrder excluded) and AddOrder per pair
    names = [name for name, _ in venue.requests]
    private = [t for t, n in zip(stamps, names, strict=True) if n in PRIVATE_NOT_ORDERS]
    peak(private, *STARTER_REST)
    for pair in pairs:
        peak([t for t, params in sent if params["pair"] == pair], *STARTER_ORDERS)
