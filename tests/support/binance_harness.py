"""The Binance adapter over the loopback server, as a contract-suite VenueHarness."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import attrs

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.domain.symbols import Symbol, Timeframe
from tests.support.binance_server import BinanceLoopbackServer

MARKET_START = datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)
BTC_USDT = Symbol(base="BTC", quote="USDT")
DOGE_JPY = Symbol(base="DOGE", quote="JPY")  # well-formed, not listed
API_KEY = "loopbackContractKey"
API_SECRET = "loopback-contract-secret"


@attrs.define
class BinanceLoopbackHarness:
    """BinanceTestnetClient on a loopback market whose clock is the client's SimulatedClock."""

    exchange: BinanceTestnetClient
    server: BinanceLoopbackServer
    clock: SimulatedClock
    validate_only: bool
    name: str = "binance_loopback"
    symbol: Symbol = BTC_USDT
    unknown_symbol: Symbol = DOGE_JPY
    timeframe: Timeframe = Timeframe.M1

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)  # the server's market clock follows this clock


def loopback_config(base_url: str, *, validate_only: bool) -> BinanceTestnetConfig:
    """Adapter settings for a loopback server (short timeout)."""
    return BinanceTestnetConfig(
        base_url=base_url, validate_only=validate_only, timeout_seconds=2.0, max_retries=2
    )


@contextmanager
def binance_loopback_harness(validate_only: bool) -> Iterator[BinanceLoopbackHarness]:
    """A fresh loopback server and client per test (own key and balances)."""
    clock = SimulatedClock(MARKET_START)
    with BinanceLoopbackServer(start=MARKET_START, time_source=clock.monotonic) as server:
        server.add_key(API_KEY, secret=API_SECRET)
        client = BinanceTestnetClient(
            loopback_config(server.base_url, validate_only=validate_only),
            clock,
            credentials=BinanceCredentials.hmac(API_KEY, API_SECRET),
        )
        with client:
            yield BinanceLoopbackHarness(
                exchange=client, server=server, clock=clock, validate_only=validate_only
            )
