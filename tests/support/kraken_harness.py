"""The Kraken adapter over the loopback server, as a contract-suite VenueHarness."""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import attrs

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials, KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.domain.symbols import Symbol, Timeframe
from tests.support.kraken_server import KrakenLoopbackServer

MARKET_START = datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)
BTC_EUR = Symbol(base="BTC", quote="EUR")
DOGE_JPY = Symbol(base="DOGE", quote="JPY")  # well-formed, not listed by Kraken
API_KEY = "loopback-contract-key"
API_SECRET = base64.b64encode(b"loopback contract secret").decode()


@attrs.define
class KrakenLoopbackHarness:
    """KrakenTestnetClient on a frozen-speed loopback market; `advance` moves both clocks."""

    exchange: KrakenTestnetClient
    server: KrakenLoopbackServer
    clock: SimulatedClock
    validate_only: bool
    name: str = "kraken_loopback"
    symbol: Symbol = BTC_EUR
    unknown_symbol: Symbol = DOGE_JPY
    timeframe: Timeframe = Timeframe.M1

    def advance(self, seconds: float) -> None:
        self.server.market.advance(seconds)
        self.clock.advance(seconds)


def loopback_config(base_url: str, state_dir: Path, *, validate_only: bool) -> KrakenTestnetConfig:
    """Adapter settings for a loopback server (short timeout, no spacing)."""
    return KrakenTestnetConfig(
        base_url=base_url,
        validate_only=validate_only,
        timeout_seconds=2.0,
        max_retries=2,
        rate_limit_ms=0,
        state_dir=state_dir,
    )


@contextmanager
def kraken_loopback_harness(validate_only: bool) -> Iterator[KrakenLoopbackHarness]:
    """A fresh loopback server and client per test (own key, nonce mark and balances)."""
    with (
        tempfile.TemporaryDirectory(prefix="kraken-nonce-") as state,
        KrakenLoopbackServer(speed=0, start=MARKET_START) as server,
    ):
        server.add_key(API_KEY, API_SECRET)
        clock = SimulatedClock(MARKET_START)
        client = KrakenTestnetClient(
            loopback_config(server.base_url, Path(state), validate_only=validate_only),
            clock,
            credentials=KrakenCredentials.from_values(API_KEY, API_SECRET),
        )
        with client:
            yield KrakenLoopbackHarness(
                exchange=client, server=server, clock=clock, validate_only=validate_only
            )
