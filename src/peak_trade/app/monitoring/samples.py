"""Samples: a time series at full resolution (epoch seconds, float values) for charts.

Money stays Decimal wherever it is computed or shown as a figure; these floats only place
points on a chart. Samples at one second keep the latest value; a sample older than the last
one (a resumed run's clock) is booked at the last time, so the times never go back.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable


def event_bucket(time: int, bucket: int) -> int:
    """The bar a sample taken at `time` belongs to: (b, b + bucket] -> b.

    A figure written when a candle closed (equity after the 12:04 candle, at 12:05:00) belongs
    to that candle's bar, which opened at 12:04.
    """
    return -(-time // bucket) * bucket - bucket


class Samples:
    """Times (ascending epoch seconds) and values."""

    def __init__(self) -> None:
        self.times = array("q")
        self.values = array("d")

    def __len__(self) -> int:
        return len(self.times)

    @property
    def last(self) -> tuple[int, float] | None:
        return (self.times[-1], self.values[-1]) if self.times else None

    def add(self, time: int, value: float) -> None:
        if self.times and time <= self.times[-1]:
            self.values[-1] = value
            return
        self.times.append(time)
        self.values.append(value)

    def value_at(self, time: int) -> float | None:
        """The latest value at or before `time`."""
        position = bisect_right(self.times, time)
        return self.values[position - 1] if position else None

    def bucketed(
        self,
        bucket: int,
        start: int | None = None,
        end: int | None = None,
        pick: Callable[[float, float], float] | None = None,
    ) -> list[tuple[int, float]]:
        """One value per bar (see `event_bucket`) with bar time in [start, end]: the last sample
        of the bar, or the one `pick(kept, new)` keeps (e.g. `min` for the worst drawdown)."""
        times, values = self.times, self.values
        first = 0 if start is None else bisect_left(times, start + 1)
        last = len(times) if end is None else bisect_right(times, end + bucket)
        out: list[tuple[int, float]] = []
        for i in range(first, last):
            key = event_bucket(times[i], bucket)
            if out and out[-1][0] == key:
                out[-1] = (key, values[i] if pick is None else pick(out[-1][1], values[i]))
            else:
                out.append((key, values[i]))
        return out

    def thinned(self, limit: int) -> list[tuple[int, float]]:
        """At most about `limit` points, evenly spaced by index, always with the last one."""
        count = len(self.times)
        step = max(1, -(-count // max(1, limit)))
        points = [(self.times[i], self.values[i]) for i in range(0, count, step)]
        if count and (count - 1) % step:
            points.append((self.times[-1], self.values[-1]))
        return points
