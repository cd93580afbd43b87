"""Properties of candle files: every format reads back the same candles; aggregation is exact."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.adapters.candle_files import (
    CandleFileFormat,
    aggregate_candles,
    inspect_candle_file,
    iter_candle_file,
    write_candles_csv,
)
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe

BTC_EUR = Symbol.parse("BTC/EUR")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BASE = datetime(2015, 1, 1, tzinfo=UTC)
prices = st.decimals(
    min_value=Decimal("0.00000001"),
    max_value=Decimal(1_000_000),
    places=8,
    allow_nan=False,
    allow_infinity=False,
)
volumes = st.decimals(
    min_value=Decimal(0), max_value=Decimal(10_000_000), places=8, allow_nan=False
)


@st.composite
def candle_runs(draw: st.DrawFn) -> list[Candle]:
    """1m candles from 2015 on, in time order, with missing minutes between some of them."""
    count = draw(st.integers(min_value=1, max_value=25))
    minute = draw(st.integers(min_value=0, max_value=5_000_000))
    # the first gap is one minute, so the inferred timeframe is always 1m
    steps = [1, *draw(st.lists(st.integers(1, 6), min_size=count, max_size=count))]
    candles = []
    for step in steps[:count]:
        four = sorted(draw(st.lists(prices, min_size=4, max_size=4)))
        open_, close = draw(st.permutations(four[1:3]))
        candles.append(
            Candle(
                symbol=BTC_EUR,
                open_time=BASE + timedelta(minutes=minute),
                open=open_,
                high=four[3],
                low=four[0],
                close=close,
                volume=draw(volumes),
            )
        )
        minute += step
    return candles


def _seconds(candle: Candle) -> int:
    return (candle.open_time - EPOCH) // timedelta(seconds=1)


def _values(candle: Candle) -> list[str]:
    return [format_decimal(d) for d in (candle.open, candle.high, candle.low, candle.close)]


def _kraken(candles: list[Candle], _: st.DataObject) -> str:
    return "".join(
        ",".join([str(_seconds(c)), *_values(c), format_decimal(c.volume), "3"]) + "\n"
        for c in candles
    )


def _binance(candles: list[Candle], data: st.DataObject) -> str:
    """Open and close times in ms or µs, chosen per row (a concatenated file switches)."""
    lines = []
    for c in candles:
        scale = data.draw(st.sampled_from([1000, 1_000_000]), label="ms or µs")
        start = _seconds(c) * scale
        close_time = start + 60 * scale - 1
        rest = [format_decimal(c.volume), str(close_time), "1.5", "7", "0.5", "0.7", "0"]
        lines.append(",".join([str(start), *_values(c), *rest]))
    return "\n".join(lines) + "\n"


def _ccxt(candles: list[Candle], _: st.DataObject) -> str:
    rows = (
        ",".join([str(_seconds(c) * 1000), *_values(c), format_decimal(c.volume)]) for c in candles
    )
    return "timestamp,open,high,low,close,volume\n" + "\n".join(rows) + "\n"


def _yahoo(candles: list[Candle], _: st.DataObject) -> str:
    rows = (
        ",".join(
            [c.open_time.strftime("%Y-%m-%d %H:%M:%S"), *_values(c), "1", format_decimal(c.volume)]
        )
        for c in candles
    )
    return "Date,Open,High,Low,Close,Adj Close,Volume\n" + "\n".join(rows) + "\n"


def _headed(candles: list[Candle], data: st.DataObject) -> str:
    """Columns in any order, an extra column, times with a UTC offset."""
    names = data.draw(st.permutations(["Datetime", "open", "HIGH", "Low", "close", "volume", "x"]))
    lines = [",".join(names)]
    for c in candles:
        hours = data.draw(st.integers(min_value=-12, max_value=14), label="offset hours")
        local = c.open_time.astimezone(timezone(timedelta(hours=hours))).isoformat()
        by_name = dict(zip(["open", "high", "low", "close"], _values(c), strict=True))
        by_name |= {"datetime": local, "volume": format_decimal(c.volume), "x": "ignored"}
        lines.append(",".join(by_name[name.lower()] for name in names))
    return "\n".join(lines) + "\n"


def _headerless(candles: list[Candle], _: st.DataObject) -> str:
    return "".join(
        ",".join([c.open_time.isoformat(), *_values(c), format_decimal(c.volume)]) + "\n"
        for c in candles
    )


WRITERS: dict[CandleFileFormat, Callable[[list[Candle], st.DataObject], str]] = {
    CandleFileFormat.KRAKEN_OHLCVT: _kraken,
    CandleFileFormat.BINANCE_KLINES: _binance,
    CandleFileFormat.CCXT_OHLCV: _ccxt,
    CandleFileFormat.YAHOO: _yahoo,
    CandleFileFormat.HEADED_CSV: _headed,
    CandleFileFormat.HEADERLESS_OHLCV: _headerless,
}


def _files(candles: list[Candle], data: st.DataObject) -> Iterator[tuple[CandleFileFormat, Path]]:
    with tempfile.TemporaryDirectory() as directory:
        v1 = Path(directory) / "v1.csv"
        write_candles_csv(v1, candles, symbol=BTC_EUR, timeframe=Timeframe.M1, source="property")
        yield CandleFileFormat.PEAK_TRADE_V1, v1
        for fmt, write in WRITERS.items():
            text = write(candles, data)
            if data.draw(st.booleans(), label=f"{fmt.name} with BOM and CRLF"):
                text = "\ufeff" + text.replace("\n", "\r\n")
            path = Path(directory) / f"{fmt.name}.csv"
            path.write_bytes(text.encode("utf-8"))
            yield fmt, path


@settings(deadline=None, max_examples=60)
@given(candle_runs(), st.data())
def test_the_same_candles_in_every_format_read_back_identically(
    candles: list[Candle], data: st.DataObject
) -> None:
    missing = ((candles[-1].open_time - candles[0].open_time) // timedelta(minutes=1)) - (
        len(candles) - 1
    )
    for fmt, path in _files(candles, data):
        info = inspect_candle_file(path, symbol=BTC_EUR)
        assert info.format is fmt
        assert list(iter_candle_file(info, BTC_EUR)) == candles, fmt
        assert (info.rows, info.first_open_time, info.last_open_time) == (
            len(candles),
            candles[0].open_time,
            candles[-1].open_time,
        )
        expected_timeframe = (
            Timeframe.M1 if len(candles) > 1 or fmt is CandleFileFormat.PEAK_TRADE_V1 else None
        )
        assert (info.timeframe, info.gaps) == (expected_timeframe, missing)


targets = st.sampled_from([Timeframe(120), Timeframe.M5, Timeframe.M15, Timeframe.H1])


@settings(deadline=None)
@given(candle_runs(), targets)
def test_aggregation_keeps_first_open_extremes_last_close_and_every_unit_of_volume(
    candles: list[Candle], target: Timeframe
) -> None:
    span = timedelta(seconds=target.seconds)
    groups: dict[datetime, list[Candle]] = {}
    for candle in candles:  # the model: group by epoch-aligned bucket
        groups.setdefault(candle.open_time - (candle.open_time - EPOCH) % span, []).append(candle)
    last_start = max(groups)
    if candles[-1].open_time + timedelta(minutes=1) != last_start + span:
        del groups[last_start]  # the data never reached the end of the last bucket
    merged = list(aggregate_candles(candles, Timeframe.M1, target))
    assert [m.open_time for m in merged] == sorted(groups)
    for bucket in merged:
        parts = groups[bucket.open_time]
        assert bucket.open == parts[0].open
        assert bucket.high == max(c.high for c in parts)
        assert bucket.low == min(c.low for c in parts)
        assert bucket.close == parts[-1].close
        assert bucket.volume == sum((c.volume for c in parts), Decimal(0))
    kept = [c for parts in groups.values() for c in parts]
    assert sum((m.volume for m in merged), Decimal(0)) == sum((c.volume for c in kept), Decimal(0))
