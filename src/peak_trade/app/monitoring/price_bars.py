"""PriceBars: one symbol's OHLCV bars in compact columns, and coarser bars cached per bucket.

Bars arrive in open-time order from `candle` events (one per candle, live sessions) or from
heartbeat `bars` (the range since the previous heartbeat, replays). Coarser timeframes are
folded from the stored bars on first use and then extended with only the bars added since,
so a chart request on a long run never re-aggregates the whole history.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import Counter

Bar = tuple[int, float, float, float, float, float]  # open time (epoch s), O, H, L, C, volume


class _Columns:
    """Bars as parallel arrays (times ascending)."""

    def __init__(self) -> None:
        self.times = array("q")
        self.opens = array("d")
        self.highs = array("d")
        self.lows = array("d")
        self.closes = array("d")
        self.volumes = array("d")

    def __len__(self) -> int:
        return len(self.times)

    def append(self, bar: Bar) -> None:
        time, open_, high, low, close, volume = bar
        self.times.append(time)
        self.opens.append(open_)
        self.highs.append(high)
        self.lows.append(low)
        self.closes.append(close)
        self.volumes.append(volume)

    def merge_last(self, high: float, low: float, close: float, volume: float) -> None:
        if high > self.highs[-1]:
            self.highs[-1] = high
        if low < self.lows[-1]:
            self.lows[-1] = low
        self.closes[-1] = close
        self.volumes[-1] += volume

    def slice(self, start: int | None, end: int | None) -> list[Bar]:
        first = 0 if start is None else bisect_left(self.times, start)
        last = len(self.times) if end is None else bisect_right(self.times, end)
        return [
            (
                self.times[i],
                self.opens[i],
                self.highs[i],
                self.lows[i],
                self.closes[i],
                self.volumes[i],
            )
            for i in range(first, last)
        ]

    def count(self, start: int | None, end: int | None) -> int:
        first = 0 if start is None else bisect_left(self.times, start)
        last = len(self.times) if end is None else bisect_right(self.times, end)
        return max(0, last - first)


class _Level(_Columns):
    """Bars folded into buckets of `bucket` seconds from the first `upto` stored bars."""

    def __init__(self, bucket: int) -> None:
        super().__init__()
        self.bucket = bucket
        self.upto = 0


class PriceBars:
    """The bars of one symbol; `decimals` is the most places seen in its prices (the tick's)."""

    def __init__(self) -> None:
        self._bars = _Columns()
        self._levels: dict[int, _Level] = {}
        self._spans: Counter[int] = Counter()
        self.native_seconds: int | None = None  # the usual bar length (finest timeframe)
        self.aligned = True  # every bar time is a multiple of native_seconds
        self.decimals: int | None = None
        self.ohlc = False  # True once a bar had distinct open/high/low (else: closes only)
        self.dropped = 0  # bars older than the last one (out of order), not stored

    def __len__(self) -> int:
        return len(self._bars)

    @property
    def first_time(self) -> int | None:
        return self._bars.times[0] if len(self._bars) else None

    @property
    def last_time(self) -> int | None:
        return self._bars.times[-1] if len(self._bars) else None

    @property
    def last_close(self) -> float | None:
        return self._bars.closes[-1] if len(self._bars) else None

    def add(self, bar: Bar, span: int) -> None:
        """Store a bar of `span` seconds; one at the last bar's time replaces it."""
        time = bar[0]
        if len(self._bars) and time <= self._bars.times[-1]:
            if time < self._bars.times[-1]:
                self.dropped += 1
                return
            self._replace_last(bar)
        else:
            self._bars.append(bar)
        if span > 0:
            self._spans[span] += 1
            if span != self.native_seconds and (
                self.native_seconds is None or self._spans[span] > self._spans[self.native_seconds]
            ):
                self.native_seconds = span
                self.aligned = all(t % span == 0 for t in self._bars.times[-1000:])
            elif self.aligned and time % span:
                self.aligned = False
        if not self.ohlc and not (bar[1] == bar[2] == bar[3] == bar[4]):
            self.ohlc = True

    def note_decimals(self, places: int | None) -> None:
        if places is not None and (self.decimals is None or places > self.decimals):
            self.decimals = places

    def _replace_last(self, bar: Bar) -> None:
        bars = self._bars
        bars.opens[-1], bars.highs[-1], bars.lows[-1] = bar[1], bar[2], bar[3]
        bars.closes[-1], bars.volumes[-1] = bar[4], bar[5]
        self._levels.clear()  # a folded bucket cannot be unfolded; rebuild on next use

    def count(self, bucket: int, start: int | None = None, end: int | None = None) -> int:
        """How many `bucket`-second bars lie in [start, end] (an estimate without folding)."""
        if not len(self._bars):
            return 0
        if bucket <= (self.native_seconds or 0) and self.aligned:
            return self._bars.count(start, end)
        first = self.first_time if start is None else max(start, self.first_time or start)
        last = self.last_time if end is None else min(end, self.last_time or end)
        if first is None or last is None or last < first:
            return 0
        return (last - last % bucket - (first - first % bucket)) // bucket + 1

    def bars(self, bucket: int, start: int | None = None, end: int | None = None) -> list[Bar]:
        """Bars of `bucket` seconds (epoch-aligned) whose time is in [start, end]; the stored
        bars themselves when they are that long and aligned."""
        if self.native_seconds is not None and bucket <= self.native_seconds and self.aligned:
            return self._bars.slice(start, end)
        return self._level(bucket).slice(start, end)

    def _level(self, bucket: int) -> _Level:
        level = self._levels.get(bucket)
        if level is None:
            level = self._levels[bucket] = _Level(bucket)
        bars = self._bars
        times, highs, lows, closes = bars.times, bars.highs, bars.lows, bars.closes
        for i in range(level.upto, len(times)):
            key = times[i] - times[i] % bucket
            if len(level.times) and level.times[-1] == key:
                level.merge_last(highs[i], lows[i], closes[i], bars.volumes[i])
            else:
                level.append((key, bars.opens[i], highs[i], lows[i], closes[i], bars.volumes[i]))
        level.upto = len(times)
        return level
