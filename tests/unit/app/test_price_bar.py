"""PriceBar: a heartbeat's price range, folded from many candles at a time, equals the range
folded candle by candle (the first highest high and lowest low, volumes added in order)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from peak_trade.app.session.book import FOLD_EVERY, PriceBar
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol.parse("BTC/EUR")
T0 = datetime(2026, 1, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _candles(count: int, seed: int) -> list[Candle]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        low = Decimal(rng.randint(90, 100))
        high = low + rng.choice([0, 1, 5])
        # equal highs written otherwise: which of them the bar keeps shows in its text
        text = f"{high}.0" if rng.random() < 0.3 else str(high)
        out.append(
            Candle(
                symbol=BTC_EUR,
                open_time=T0 + i * MINUTE,
                open=low,
                high=Decimal(text),
                low=low,
                close=low,
                volume=Decimal(rng.choice(["0", "1.5", "0.25", "3"])),
            )
        )
    return out


def _one_by_one(candles: list[Candle]) -> dict[str, object]:
    first = candles[0]
    high, low, volume = first.high, first.low, first.volume
    for candle in candles[1:]:
        if candle.high > high:
            high = candle.high
        if candle.low < low:
            low = candle.low
        volume += candle.volume
    return {
        "open_time": first.open_time,
        "close_time": candles[-1].open_time + MINUTE,
        "open": first.open,
        "high": high,
        "low": low,
        "close": candles[-1].close,
        "volume": volume,
        "candles": len(candles),
    }


@pytest.mark.parametrize("count", [1, 2, FOLD_EVERY - 1, FOLD_EVERY, FOLD_EVERY + 1, 1000])
def test_a_bar_equals_the_candle_by_candle_fold_digit_for_digit(count: int) -> None:
    candles = _candles(count, seed=count)
    bar = PriceBar(span=MINUTE)
    for candle in candles:
        bar.add(candle)
    assert len(bar.pending) < FOLD_EVERY  # memory stays bounded between heartbeats
    taken = bar.take()
    expected = _one_by_one(candles)
    assert taken == expected
    assert taken is not None
    assert {k: str(v) for k, v in taken.items()} == {k: str(v) for k, v in expected.items()}


def test_take_starts_a_new_bar_and_an_empty_one_is_none() -> None:
    candles = _candles(600, seed=1)
    bar = PriceBar(span=MINUTE)
    for candle in candles[:300]:
        bar.add(candle)
    assert bar.take() == _one_by_one(candles[:300])
    assert bar.take() is None
    for candle in candles[300:]:
        bar.add(candle)
    assert bar.take() == _one_by_one(candles[300:])
