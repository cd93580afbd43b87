"""Every venue the ExchangePort contract suite runs against.

To add a venue, write a factory `(validate_only: bool) -> context manager yielding a
VenueHarness` (see harness.py) and append ONE line to HARNESS_FACTORIES, e.g.
`HARNESS_FACTORIES.append(("kraken_loopback", kraken_loopback_harness))`.
tests/contract/conftest.py runs every contract test for each factory x validate_only in
(True, False).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import attrs

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.domain.symbols import Symbol, Timeframe
from tests.contract.harness import HarnessFactory, VenueHarness
from tests.contract.market_data import BTC_EUR, START, synthetic_candles
from tests.support.binance_harness import binance_loopback_harness
from tests.support.kraken_harness import kraken_loopback_harness

UNLISTED = Symbol(base="DOGE", quote="JPY")


@attrs.define
class InMemoryHarness:
    """InMemoryExchange over 2000 synthetic 1m candles, 300 of them closed at the start."""

    exchange: InMemoryExchange
    clock: SimulatedClock
    validate_only: bool
    name: str = "in_memory"
    symbol: Symbol = BTC_EUR
    unknown_symbol: Symbol = UNLISTED
    timeframe: Timeframe = Timeframe.M1

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)


@contextmanager
def in_memory_harness(validate_only: bool) -> Iterator[VenueHarness]:
    """A fresh in-memory venue with EUR and BTC to trade."""
    clock = SimulatedClock(START + timedelta(minutes=300, seconds=10))
    config = InMemoryExchangeConfig(
        validate_only=validate_only,
        balances={"EUR": Decimal("10000"), "BTC": Decimal("1")},
    )
    exchange = InMemoryExchange(
        config, clock, synthetic_candles(2000), symbol=BTC_EUR, timeframe=Timeframe.M1
    )
    yield InMemoryHarness(exchange=exchange, clock=clock, validate_only=validate_only)


HARNESS_FACTORIES: list[tuple[str, HarnessFactory]] = [
    ("in_memory", in_memory_harness),
]
HARNESS_FACTORIES.append(("kraken_loopback", kraken_loopback_harness))
HARNESS_FACTORIES.append(("binance_loopback", binance_loopback_harness))
