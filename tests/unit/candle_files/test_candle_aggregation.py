"""aggregate_candles: epoch-aligned buckets, exact OHLCV, first partial kept, last dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from tests.contract.market_data import BTC_EUR, synthetic_candles

from peak_trade.adapters.candle_files import aggregate_candles
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe

START = datetime(2026, 1, 1, tzinfo=UTC)


def _minute(
    minute: int, o: str, h: str, low: str, c: str, v: str = "1", *, symbol: Symbol = BTC_EUR
) -> Candle:
    """A candle opening `minute` minutes after START (also used for the expected buckets)."""
    return Candle(
        symbol=symbol,
        open_time=START + timedelta(minutes=minute),
        open=Decimal(o),
        high=Decimal(h),
        low=Decimal(low),
        close=Decimal(c),
        volume=Decimal(v),
    )


def test_five_minutes_merge_into_one_five_minute_candle() -> None:
    minutes = [
        _minute(0, "10", "12", "9", "11", "1.5"),
        _minute(1, "11", "15", "10", "14", "2"),
        _minute(2, "14", "14", "7", "8", "0.25"),
        _minute(3, "8", "9", "8", "9", "3"),
        _minute(4, "9", "10", "8.5", "9.5", "1"),
        _minute(5, "9.5", "10", "9", "10", "4"),
        _minute(6, "10", "11", "10", "11", "4"),
        _minute(7, "11", "11", "10", "10", "4"),
        _minute(8, "10", "10", "9", "9", "4"),
        _minute(9, "9", "9", "8", "8", "4"),
    ]
    assert list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5)) == [
        _minute(0, "10", "15", "7", "9.5", "7.75"),
        _minute(5, "9.5", "11", "8", "8", "20"),
    ]


def test_an_hour_of_minutes_becomes_one_hourly_candle() -> None:
    minutes = list(synthetic_candles(120, start=START))
    hours = list(aggregate_candles(minutes, Timeframe.M1, Timeframe.H1))
    assert [h.open_time for h in hours] == [START, START + timedelta(hours=1)]
    first_hour = minutes[:60]
    assert hours[0] == Candle(
        symbol=BTC_EUR,
        open_time=START,
        open=first_hour[0].open,
        high=max(c.high for c in first_hour),
        low=min(c.low for c in first_hour),
        close=first_hour[-1].close,
        volume=sum((c.volume for c in first_hour), Decimal(0)),
    )


def test_gaps_inside_a_bucket_are_fine() -> None:
    minutes = [
        _minute(0, "10", "12", "9", "11"),
        _minute(3, "11", "13", "10", "12"),
        _minute(9, "12", "12", "11", "11"),  # 00:05-00:08 traded nothing
    ]
    assert list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5)) == [
        _minute(0, "10", "13", "9", "12", "2"),
        _minute(5, "12", "12", "11", "11", "1"),
    ]


def test_a_bucket_without_candles_is_not_emitted() -> None:
    minutes = [_minute(0, "10", "12", "9", "11"), _minute(14, "11", "13", "10", "12")]
    result = list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5))
    assert [c.open_time.minute for c in result] == [0, 10]


def test_a_leading_partial_bucket_is_kept() -> None:
    minutes = [_minute(m, "10", "12", "9", "11") for m in (3, 4, 5, 6, 7, 8, 9)]
    result = list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5))
    assert result[0] == _minute(0, "10", "12", "9", "11", "2")  # 00:03 and 00:04 only
    assert [c.open_time.minute for c in result] == [0, 5]


def test_a_trailing_bucket_the_data_does_not_reach_the_end_of_is_dropped() -> None:
    minutes = [_minute(m, "10", "12", "9", "11") for m in range(8)]  # 00:05-00:07 only
    result = list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5))
    assert [c.open_time.minute for c in result] == [0]


def test_a_trailing_bucket_whose_last_minute_is_present_is_emitted_despite_gaps() -> None:
    minutes = [_minute(m, "10", "12", "9", "11") for m in (0, 1, 2, 3, 4, 5, 9)]
    result = list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5))
    assert result[-1] == _minute(5, "10", "12", "9", "11", "2")


def test_buckets_are_aligned_to_the_epoch_not_to_the_first_candle() -> None:
    start = datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    minutes = list(synthetic_candles(60, start=start))
    result = list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M15))
    assert [c.open_time.minute for c in result] == [0, 15, 30, 45]  # 01:00-01:06 dropped


def test_volume_is_summed_exactly_beyond_the_default_precision() -> None:
    big, tiny = "123456789012345678901234567", "0.000000000000000000000000001"
    minutes = [_minute(0, "1", "1", "1", "1", big), _minute(1, "1", "1", "1", "1", tiny)]
    (merged,) = aggregate_candles(minutes, Timeframe.M1, Timeframe.parse("2m"))
    # 55 significant digits: the default 28-digit context would have rounded `tiny` away
    assert str(merged.volume) == "123456789012345678901234567.000000000000000000000000001"


@pytest.mark.parametrize(
    ("source", "target"),
    [(Timeframe.M5, Timeframe.M5), (Timeframe.M5, Timeframe.M1), (Timeframe.M3, Timeframe.M5)],
)
def test_a_target_that_is_not_a_larger_multiple_is_refused(
    source: Timeframe, target: Timeframe
) -> None:
    with pytest.raises(ValueError, match="must be a whole multiple of") as caught:
        aggregate_candles([], source, target)
    assert f"{source.label} candles into {target.label} candles" in str(caught.value)


def test_candles_out_of_order_are_refused() -> None:
    minutes = [_minute(1, "1", "1", "1", "1"), _minute(0, "1", "1", "1", "1")]
    with pytest.raises(ValueError, match="starts before the previous one closes"):
        list(aggregate_candles(minutes, Timeframe.M1, Timeframe.M5))


def test_a_candle_crossing_a_bucket_boundary_is_refused() -> None:
    late = Candle(
        symbol=BTC_EUR,
        open_time=START + timedelta(minutes=4, seconds=30),
        open=Decimal(1),
        high=Decimal(1),
        low=Decimal(1),
        close=Decimal(1),
    )
    with pytest.raises(ValueError, match="runs past its bucket's end"):
        list(aggregate_candles([late, _minute(9, "1", "1", "1", "1")], Timeframe.M1, Timeframe.M5))


def test_mixed_symbols_are_refused() -> None:
    eth = _minute(1, "1", "1", "1", "1", symbol=Symbol.parse("ETH/EUR"))
    with pytest.raises(ValueError, match="cannot aggregate ETH/EUR candles with BTC/EUR"):
        list(aggregate_candles([_minute(0, "1", "1", "1", "1"), eth], Timeframe.M1, Timeframe.M5))


def test_no_candles_give_no_buckets() -> None:
    assert list(aggregate_candles([], Timeframe.M1, Timeframe.H1)) == []
