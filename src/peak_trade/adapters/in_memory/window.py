"""CandleWindow: the last N closed candles, appended in time order."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from itertools import islice

from peak_trade.domain.market import Candle


class CandleWindow:
    """A bounded, time-ordered window of closed candles; append is O(1) (a replay appends one
    per candle), reads scan from the newest end (a poll asks for the few newest ones).

    The deque holds one candle more than the window: the newest evicted one, whose open time is
    `evicted_until`, so an append does no bookkeeping beyond the order check.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"window size must be >= 1, got {size}")
        self._size = size
        self._candles: deque[Candle] = deque(maxlen=size + 1)

    def __len__(self) -> int:
        return min(len(self._candles), self._size)

    @property
    def evicted_until(self) -> datetime | None:
        """Open time of the newest evicted candle (None while nothing was evicted)."""
        candles = self._candles
        return candles[0].open_time if len(candles) > self._size else None

    @property
    def last(self) -> Candle | None:
        return self._candles[-1] if self._candles else None

    def append(self, candle: Candle) -> None:
        """Add the newest candle (open_time must increase) and evict beyond the size."""
        candles = self._candles
        if candles and candle.open_time <= candles[-1].open_time:
            raise ValueError("candles must be appended in strictly increasing open_time")
        candles.append(candle)

    def extend(self, candles: list[Candle]) -> None:
        """Append several newest candles at once; the caller has them in strictly increasing
        open_time (checked here only against the newest held one)."""
        held = self._candles
        if candles and held and candles[0].open_time <= held[-1].open_time:
            raise ValueError("candles must be appended in strictly increasing open_time")
        held.extend(candles)

    def _kept(self) -> list[Candle]:
        candles = self._candles
        return list(islice(candles, 1, None)) if len(candles) > self._size else list(candles)

    def after(self, since: datetime | None) -> tuple[Candle, ...]:
        """Candles with open_time strictly after `since` (all when None), oldest first."""
        if since is None:
            return tuple(self._kept())
        newer: list[Candle] = []
        for index, candle in enumerate(reversed(self._candles)):
            if index == self._size or candle.open_time <= since:
                break
            newer.append(candle)
        newer.reverse()
        return tuple(newer)

    def starting_at(self, start: datetime) -> tuple[Candle, ...]:
        """Candles with open_time at or after `start`, oldest first."""
        return tuple(c for c in self._kept() if c.open_time >= start)
