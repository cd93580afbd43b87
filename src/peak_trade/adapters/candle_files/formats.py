"""The candle file formats read here, and where each keeps its time and OHLCV columns."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import attrs

TIME_COLUMNS = frozenset({"time", "timestamp", "date", "datetime", "open_time"})
PRICE_COLUMNS = ("open", "high", "low", "close")
_V1 = ("time", "open", "high", "low", "close", "volume")
_CCXT = ("timestamp", "open", "high", "low", "close", "volume")
_YAHOO = (
    ("date", "open", "high", "low", "close", "volume"),
    ("date", "open", "high", "low", "close", "adj close", "volume"),
)
_HEADERLESS_WIDTHS = "6 (time,open,high,low,close,volume), 7 (Kraken OHLCVT) or 12 (Binance klines)"


class CandleFileFormat(enum.Enum):
    """A candle file format; the value is its human description."""

    PEAK_TRADE_V1 = (
        "peak_trade candles v1: '#' metadata lines, header time,open,high,low,close,volume, "
        "ISO-8601 UTC times"
    )
    KRAKEN_OHLCVT = (
        "Kraken OHLCVT download: no header, 7 columns "
        "(unix seconds, open, high, low, close, volume, trades)"
    )
    BINANCE_KLINES = (
        "Binance kline CSV (data.binance.vision): no header, 12 columns, "
        "open time in milliseconds or microseconds"
    )
    CCXT_OHLCV = "ccxt fetch_ohlcv dump: header timestamp,open,high,low,close,volume, times in ms"
    YAHOO = (
        "Yahoo / backtesting.py: header Date,Open,High,Low,Close[,Adj Close],Volume "
        "(any case; Adj Close ignored), dates or date-times"
    )
    HEADED_CSV = (
        "CSV with a header: a time column (time, timestamp, date, datetime or open_time) "
        "and open, high, low, close, optional volume; other columns ignored"
    )
    HEADERLESS_OHLCV = "no header, 6 columns: time, open, high, low, close, volume"

    @property
    def description(self) -> str:
        return str(self.value)


@attrs.frozen(kw_only=True)
class Layout:
    """Where one file keeps its values: format, column count and positions, kind of time."""

    format: CandleFileFormat
    width: int
    time: int
    open: int
    high: int
    low: int
    close: int
    volume: int | None
    epoch_times: bool  # epoch numbers (True) or ISO-8601 text (False), decided by the first row

    def picker(self) -> Callable[[Sequence[str]], Any]:
        """fields -> (time, open, high, low, close, volume) in one C call.

        Without a volume column the sixth item repeats the time; readers use zero instead.
        """
        volume = self.time if self.volume is None else self.volume
        return itemgetter(self.time, self.open, self.high, self.low, self.close, volume)


def header_names(fields: Sequence[str]) -> tuple[str, ...]:
    """Column names compared case-insensitively, surrounding space and quotes ignored."""
    return tuple(field.strip().strip('"').strip().lower() for field in fields)


def looks_like_header(names: Sequence[str]) -> bool:
    """True when a line names at least one known column (else it is taken as a data row)."""
    return any(name in TIME_COLUMNS or name in PRICE_COLUMNS for name in names)


def layout_for_header(names: Sequence[str], *, epoch_times: bool) -> Layout:
    """The layout a header describes; ValueError naming what is missing or ambiguous."""
    expected = (
        "expected a time column (time, timestamp, date, datetime or open_time) and "
        "open, high, low, close and optionally volume"
    )
    names = tuple(names)
    # pandas writes an unnamed index column first (backtesting.py's sample data): the times
    candidates = [
        i for i, name in enumerate(names) if name in TIME_COLUMNS or (i == 0 and not name)
    ]
    if not candidates:
        raise ValueError(f"unknown header {','.join(names)!r}: no time column; {expected}")
    if len(candidates) > 1:
        both = " and ".join(repr(names[i]) for i in candidates)
        raise ValueError(f"unknown header: two time columns ({both}); {expected}")
    for name in set(names):
        if name and names.count(name) > 1:
            raise ValueError(f"unknown header: column {name!r} appears twice")
    missing = [name for name in PRICE_COLUMNS if name not in names]
    if missing:
        raise ValueError(f"unknown header: no {', '.join(missing)} column; {expected}")
    return Layout(
        format=_headed_format(names, epoch_times=epoch_times),
        width=len(names),
        time=candidates[0],
        open=names.index("open"),
        high=names.index("high"),
        low=names.index("low"),
        close=names.index("close"),
        volume=names.index("volume") if "volume" in names else None,
        epoch_times=epoch_times,
    )


def _headed_format(names: tuple[str, ...], *, epoch_times: bool) -> CandleFileFormat:
    if names == _V1 and not epoch_times:
        return CandleFileFormat.PEAK_TRADE_V1
    if names == _CCXT and epoch_times:
        return CandleFileFormat.CCXT_OHLCV
    if names in _YAHOO and not epoch_times:
        return CandleFileFormat.YAHOO
    if names[0] == "" and names[1:] == _V1[1:] and not epoch_times:
        return CandleFileFormat.YAHOO  # backtesting.py's sample files: ,Open,High,Low,Close,Volume
    return CandleFileFormat.HEADED_CSV


def layout_for_headerless(width: int, *, epoch_times: bool) -> Layout:
    """The layout of a file without a header, told apart by its column count."""
    formats = {
        6: CandleFileFormat.HEADERLESS_OHLCV,
        7: CandleFileFormat.KRAKEN_OHLCVT,  # ... volume, trades
        12: CandleFileFormat.BINANCE_KLINES,  # ... volume, close time, quote volume, trades, ...
    }
    if width not in formats:
        raise ValueError(
            f"unknown format: a line of {width} columns without a header; a headerless file "
            f"has {_HEADERLESS_WIDTHS} columns, anything else needs a header line"
        )
    return Layout(
        format=formats[width],
        width=width,
        time=0,
        open=1,
        high=2,
        low=3,
        close=4,
        volume=5,
        epoch_times=epoch_times,
    )


def describe_columns(layout: Layout) -> str:
    """The columns a row of this layout has, for messages."""
    return f"{layout.width} columns ({layout.format.name.lower()})"
