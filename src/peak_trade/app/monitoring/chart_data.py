"""Chart data for one symbol: bars on one time grid with equity, drawdown, position and fills.

Every series is put on the bars' grid (a sample taken at 12:05:00 belongs to the bar that
opened at 12:04 when bars are a minute long), so the price, equity, drawdown and position
panes share one time axis point for point. The timeframe is the finest standard one that
shows the requested range in at most `max_bars` bars; a finer one, if asked for, shows the
last `max_bars` bars of the range and says so (`clipped`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from peak_trade.app.monitoring.digest import RunDigest
from peak_trade.app.monitoring.numbers import as_float, epoch_seconds
from peak_trade.app.monitoring.samples import event_bucket
from peak_trade.app.monitoring.symbol_track import SymbolTrack
from peak_trade.domain.symbols import Timeframe

STANDARD_SECONDS = (60, 180, 300, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 604800)
MAX_BARS = 4000


def label(seconds: int) -> str:
    return Timeframe(seconds).label


def timeframe_choices(native: int) -> list[int]:
    """The bar lengths a symbol's data can be shown in: its own and every coarser standard one
    it divides."""
    coarser = [s for s in STANDARD_SECONDS if s > native and s % native == 0]
    return [native, *coarser]


def choose_bucket(
    track: SymbolTrack, requested: int | None, start: int | None, end: int | None, max_bars: int
) -> tuple[int, bool]:
    """(bar length, clipped): the requested length (never finer than the data), or the finest
    choice that fits the range into `max_bars`; clipped when the range does not fit."""
    bars = track.bars
    native = bars.native_seconds or 60
    choices = timeframe_choices(native)
    if requested is not None:
        bucket = max(requested, native)
        return bucket, bars.count(bucket, start, end) > max_bars
    for bucket in choices:
        if bars.count(bucket, start, end) <= max_bars:
            return bucket, False
    return choices[-1], bars.count(choices[-1], start, end) > max_bars


def chart_payload(
    digest: RunDigest,
    symbol: str,
    *,
    timeframe: int | None = None,
    start: int | None = None,
    end: int | None = None,
    max_bars: int = MAX_BARS,
) -> dict[str, Any]:
    """Bars, equity, drawdown, position and fill markers of `symbol` on one grid (JSON-ready:
    times in epoch seconds, values as numbers for the chart only)."""
    track = digest.symbols.get(symbol)
    if track is None:
        raise KeyError(symbol)
    bucket, clipped = choose_bucket(track, timeframe, start, end, max_bars)
    bars = track.bars.bars(bucket, start, end)
    if clipped and len(bars) > max_bars:
        bars = bars[-max_bars:]
    window_start = bars[0][0] if clipped and bars else start
    equity = digest.equity.bucketed(bucket, window_start, end)
    drawdown = digest.drawdown.bucketed(bucket, window_start, end, pick=min)
    position = track.position.bucketed(bucket, window_start, end)
    times = [b[0] for b in bars]
    native = track.bars.native_seconds or bucket
    return {
        "symbol": symbol,
        "kind": "candles" if track.bars.ohlc else "line",
        "timeframe": label(bucket),
        "bucket_seconds": bucket,
        "timeframes": [label(s) for s in timeframe_choices(native)],
        "clipped": clipped,
        "range": {"first": track.bars.first_time, "last": track.bars.last_time},
        "bars": [list(b) for b in bars],
        "equity": [list(p) for p in equity],
        "drawdown": [list(p) for p in drawdown],
        "position": [list(p) for p in position],
        "markers": _markers(digest, symbol, bucket, times, window_start, end),
    }


def _markers(
    digest: RunDigest,
    symbol: str,
    bucket: int,
    bar_times: Sequence[int],
    start: int | None,
    end: int | None,
) -> list[dict[str, Any]]:
    """One marker per bar and side: fills summed (count, quantity, average price)."""
    grouped: dict[tuple[int, str], list[float]] = {}
    for row in digest.fills.rows:
        if row.get("symbol") != symbol:
            continue
        moment = epoch_seconds(row.get("fill_time")) or epoch_seconds(row.get("ts"))
        quantity, price = as_float(row.get("quantity")), as_float(row.get("price"))
        side = str(row.get("side") or "").lower()
        if moment is None or quantity is None or price is None or side not in ("buy", "sell"):
            continue
        key = event_bucket(moment, bucket)
        if bar_times:  # on the bar it belongs to, or the last one before it (a data gap)
            position = bisect_right(bar_times, key)
            key = bar_times[position - 1] if position else bar_times[0]
        if (start is not None and key < start) or (end is not None and key > end):
            continue
        entry = grouped.setdefault((key, side), [0.0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += quantity
        entry[2] += quantity * price
    return [
        {
            "time": time,
            "side": side,
            "count": int(count),
            "quantity": quantity,
            "price": notional / quantity if quantity else None,
        }
        for (time, side), (count, quantity, notional) in sorted(grouped.items())
    ]
