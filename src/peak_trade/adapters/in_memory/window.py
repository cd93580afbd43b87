"""CandleWindow: the last N closed candles, appended in time order, searched by bisect."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime

from peak_trade.domain.market import Candle


class CandleWindow:
    """A bounded, time-ordered window of closed candles; append is amortised O(1)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"window size must be >= 1, got {size}")
        self._size = size
        self._candles: list[Candle] = []
        self._times: list[datetime] = []
        self._start = 0  # index of the oldest candle still in the window
        self.evicted_until: datetime | None = None  # open time of the newest evicted candle

    def __len__(self) -> int:
        return len(self._candles) - self._start

    @property
    def last(self) -> Candle | None:
        return self._candles[-1] if len(self) else None

    def append(self, candle: Candle) -> None:
        """Add the newest candle (open_time must increase) and evict beyond the size."""
        if self._times and candle.open_time <= self._times[-1]:
            raise ValueError("candles must be appended in strictly increasing open_time")
        self._candles.append(candle)
        self._times.append(candle.open_time)
        if len(self) > self._size:
            self.evicted_until = self._times[self._start]
            self._start += 1
            if self._start >= self._size:  # compact once per `size` evictions
                del self._candles[: self._start]
                del self._times[: self._start]
                self._start = 0

    def after(self, since: datetime | None) -> tuple[Candle, ...]:
        """Candles with open_time strictly after `since` (all when None), oldest first."""
        lo = self._start if since is None else bisect_right(self._times, since, lo=self._start)
        return tuple(self._candles[lo:])

    def starting_at(self, start: datetime) -> tuple[Candle, ...]:
        """Candles with open_time at or after `start`, oldest first."""
        return tuple(self._candles[bisect_left(self._times, start, lo=self._start) :])
