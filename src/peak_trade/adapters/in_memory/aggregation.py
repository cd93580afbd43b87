"""TimeframeAggregator: candles of a larger timeframe built from closed replay candles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Timeframe
from peak_trade.ports.errors import UnsupportedTimeframeError

from .window import CandleWindow

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bucket_start(moment: datetime, span: timedelta) -> datetime:
    """Start of the epoch-aligned bucket of length `span` that contains `moment`."""
    return _EPOCH + ((moment - _EPOCH) // span) * span


def merge(parts: Sequence[Candle], open_time: datetime, *, closed: bool) -> Candle:
    """One candle spanning `parts` (oldest first): first open, extremes, last close, volume sum."""
    return Candle(
        symbol=parts[0].symbol,
        open_time=open_time,
        open=parts[0].open,
        high=max(c.high for c in parts),
        low=min(c.low for c in parts),
        close=parts[-1].close,
        volume=sum((c.volume for c in parts), ZERO),
        closed=closed,
    )


class TimeframeAggregator:
    """Feeds on closed base candles (in time order) and keeps its own window of merged ones.

    A bucket whose first base candles were evicted before this aggregator existed is dropped:
    its open would be wrong.
    """

    def __init__(self, timeframe: Timeframe, base: Timeframe, window: int) -> None:
        if timeframe.seconds <= base.seconds or timeframe.seconds % base.seconds:
            raise UnsupportedTimeframeError(
                f"cannot build {timeframe.label} candles from {base.label} candles: "
                f"{timeframe.label} is not a multiple of {base.label}"
            )
        self._span = timedelta(seconds=timeframe.seconds)
        self._base_span = timedelta(seconds=base.seconds)
        self._window = CandleWindow(window)
        self._parts: list[Candle] = []
        self._bucket: datetime | None = None
        self._incomplete_until: datetime | None = None

    def seed(self, history: Sequence[Candle], evicted_until: datetime | None) -> None:
        """Start from the base window; buckets reaching back to `evicted_until` are partial."""
        self._incomplete_until = evicted_until
        for candle in history:
            self.add(candle)

    def add(self, candle: Candle) -> None:
        """Take the next closed base candle."""
        start = bucket_start(candle.open_time, self._span)
        if self._bucket is not None and start != self._bucket:
            self._finish()
        self._bucket = start
        self._parts.append(candle)
        if candle.open_time + self._base_span >= start + self._span:
            self._finish()

    def closed_after(self, since: datetime | None, now: datetime) -> tuple[Candle, ...]:
        """Merged closed candles with open_time strictly after `since`, oldest first."""
        self._settle(now)
        return self._window.after(since)

    def forming(self, now: datetime, base_forming: Candle | None) -> Candle | None:
        """The merged candle of the bucket containing `now`, not closed, or None."""
        self._settle(now)
        start = bucket_start(now, self._span)
        parts = list(self._parts) if self._bucket == start else []
        if base_forming is not None and bucket_start(base_forming.open_time, self._span) == start:
            parts.append(base_forming)
        if not parts or self._is_partial(start):
            return None
        return merge(parts, start, closed=False)

    def _settle(self, now: datetime) -> None:
        if self._bucket is not None and self._bucket + self._span <= now:
            self._finish()

    def _is_partial(self, start: datetime) -> bool:
        return self._incomplete_until is not None and self._incomplete_until >= start

    def _finish(self) -> None:
        if self._parts and self._bucket is not None and not self._is_partial(self._bucket):
            self._window.append(merge(self._parts, self._bucket, closed=True))
        self._parts = []
        self._bucket = None
