"""The loopback server's market: deterministic prices and a market clock with a speed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tests.support.kraken_market import LoopbackMarket

START = datetime(2026, 1, 1, tzinfo=UTC)
TICK = Decimal("0.1")


class FakeRealTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_same_seed_same_candles_other_seed_other_candles() -> None:
    a = LoopbackMarket(seed=1, speed=0, start=START).ohlc("XXBTZEUR", 1, None, TICK)
    b = LoopbackMarket(seed=1, speed=0, start=START).ohlc("XXBTZEUR", 1, None, TICK)
    c = LoopbackMarket(seed=2, speed=0, start=START).ohlc("XXBTZEUR", 1, None, TICK)
    assert a == b
    assert a != c


def test_speed_sixty_closes_a_one_minute_candle_every_real_second() -> None:
    real = FakeRealTime()
    market = LoopbackMarket(speed=60, start=START, real_time=real)
    rows, last = market.ohlc("XXBTZEUR", 1, None, TICK)
    real.now += 1.0
    later_rows, later_last = market.ohlc("XXBTZEUR", 1, last, TICK)
    assert later_last == last + 60
    assert [row[0] for row in later_rows] == [rows[-1][0], rows[-1][0] + 60]


def test_at_most_720_rows_and_the_last_one_is_the_current_candle() -> None:
    market = LoopbackMarket(speed=0, start=START)
    rows, last = market.ohlc("XXBTZEUR", 1, 0, TICK)
    assert len(rows) == 720
    assert rows[-1][0] == int(START.timestamp())
    assert last == rows[-2][0]


def test_rows_are_consistent_ohlc() -> None:
    rows, _ = LoopbackMarket(speed=0, start=START).ohlc("XETHZEUR", 60, None, Decimal("0.01"))
    for _time, o, h, low, c, *_ in rows:
        values = [Decimal(str(x)) for x in (o, h, low, c)]
        assert values[1] >= max(values)
        assert values[2] <= min(values)
