"""Deterministic synthetic candles for venue tests (no randomness, no I/O)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe

BTC_EUR = Symbol.parse("BTC/EUR")
START = datetime(2026, 1, 1, tzinfo=UTC)


def synthetic_candles(
    count: int,
    *,
    symbol: Symbol = BTC_EUR,
    start: datetime = START,
    timeframe: Timeframe = Timeframe.M1,
    first_open: Decimal = Decimal("50000.0"),
) -> Iterator[Candle]:
    """`count` candles: a bounded zig-zag walk of at most 10 units a bar around `first_open`."""
    price = first_open
    step = timedelta(seconds=timeframe.seconds)
    for i in range(count):
        delta = Decimal((i * 7919) % 201 - 100) / 10
        close = price + delta
        yield Candle(
            symbol=symbol,
            open_time=start + i * step,
            open=price,
            high=max(price, close) + 5,
            low=min(price, close) - 5,
            close=close,
            volume=Decimal(i % 13 + 1),
        )
        price = close
