"""CandleWindow: the last N closed candles, appended in time order."""

from __future__ import annotations

from collections import deque
from datetime import datetime

from peak_trade.domain.market import Candle


class CandleWindow:
    """A bounded, time-ordered window of closed candles; append is O(1) (a replay appends one
    per candle), reads scan from the newest end (a poll asks for the few newest ones)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"window size must be >= 1, got {size}")
        self._candles: deque[Candle] = deque(maxlen=size)
        self.evicted_until: datetime | None = None  # open time of the newest evicted candle

    def __len__(self) -> int:
        return len(self._candles)

    @property
    def last(self) -> Candle | None:
        return self._candles[-1] if self._candles else None

    def append(self, candle: Candle) -> None:
        """Add the newest candle (open_time must increase) and evict beyond the size."""
        candles = self._candles
        if candles:
            if candle.open_time <= candles[-1].open_time:
                raise ValueError("candles must be appended in strictly increasing open_time")
            if len(candles) == candles.maxlen:
                self.evicted_until = candles[0].open_time
        candles.append(candle)

    def after(self, since: datetime | None) -> tuple[Candle, ...]:
        """Candles with open_time strictly after `since` (all when None), oldest first."""
        if since is None:
            return tuple(self._candles)
        newer: list[Candle] = []
        for candle in reversed(self._candles):
            if candle.open_time <= since:
                break
            newer.append(candle)
        newer.reverse()
        return tuple(newer)

    def starting_at(self, start: datetime) -> tuple[Candle, ...]:
        """Candles with open_time at or after `start`, oldest first."""
        return tuple(c for c in self._candles if c.open_time >= start)
