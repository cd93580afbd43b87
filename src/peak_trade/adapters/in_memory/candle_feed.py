"""CandleFeed: pulls replay candles lazily as time passes and keeps a bounded window."""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import islice
from operator import attrgetter, lt
from typing import Protocol

import attrs

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.market import Candle, CandleBatch
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.errors import ExchangeProtocolError

from .aggregation import TimeframeAggregator
from .window import CandleWindow

WINDOW = 720  # closed candles kept per timeframe, like Kraken's OHLC endpoint
_OPEN_TIME, _CLOSED = attrgetter("open_time"), attrgetter("closed")


class FeedListener(Protocol):
    """Told about each candle as it opens (a new price) and as it closes (its range is known).

    `watching` is False while nothing it holds can react to a candle (no working order): a
    replay's candles are then closed in bulk, without either call.
    """

    watching: bool

    def on_open(self, candle: Candle) -> None: ...

    def on_close(self, candle: Candle, close_time: datetime) -> None: ...


class CandleQueue(Iterator["Candle | None"]):
    """Candles handed over one by one (a replay feeding the venue); iterating takes the oldest,
    or None while none is waiting (the feed then waits for the next one, it does not end)."""

    def __init__(self) -> None:
        self.waiting: deque[Candle] = deque()  # handed over, not yet taken

    def append(self, candle: Candle) -> None:
        self.waiting.append(candle)

    def __iter__(self) -> Iterator[Candle | None]:
        return self

    def __next__(self) -> Candle | None:
        return self.waiting.popleft() if self.waiting else None

    def __bool__(self) -> bool:
        return bool(self.waiting)


class CandleFeed:
    """Replay candles of one symbol and timeframe, revealed only as the clock passes them.

    A candle covers [open_time, open_time + timeframe). It is *forming* while the clock is inside
    that span, shown flat at its open (the rest of a bar is never revealed early), and *closed*
    after. At most one candle beyond the last closed one is pulled from the source.
    """

    def __init__(
        self,
        candles: Iterable[Candle] | CandleQueue,
        *,
        symbol: Symbol,
        timeframe: Timeframe,
        window: int = WINDOW,
        endless: bool = False,
    ) -> None:
        self._source: Iterator[Candle | None] | None = iter(candles)
        # a replay's queue: the candles handed over, closed in bulk when nobody listens
        self._queue = candles if isinstance(candles, CandleQueue) else None
        self._endless = endless  # a queue that is empty now may get more candles later
        self._symbol = symbol
        self._timeframe = timeframe
        self._span = timedelta(seconds=timeframe.seconds)
        self._window_size = window
        self._window = CandleWindow(window)
        self._aggregators: dict[Timeframe, TimeframeAggregator] = {}
        self._next: Candle | None = None  # first candle not yet closed (forming or future)
        self._next_opened = False
        self._current: Candle | None = None  # the forming candle as replayed (full range)
        self._forming: Candle | None = None  # its public, flat view; built on demand
        self._last_time: datetime | None = None

    @property
    def exhausted(self) -> bool:
        """True once every candle of the source has closed."""
        return self._source is None and self._next is None

    @property
    def forming(self) -> Candle | None:
        """The forming candle shown flat at its open (high = low = close = open, volume 0)."""
        current = self._current
        if current is not None and self._forming is None:
            price = current.open  # from a valid candle, so the flat view is valid too
            self._forming = Candle.trusted(
                symbol=current.symbol, open_time=current.open_time, open=price, high=price,
                low=price, close=price, volume=ZERO, closed=False,
            )  # fmt: skip
        return self._forming

    @property
    def price(self) -> Decimal | None:
        """The current price: the forming candle's open, else the last close, else None."""
        if self._current is not None:
            return self._current.open
        last = self._window.last
        return None if last is None else last.close

    @property
    def last_closed(self) -> Candle | None:
        return self._window.last

    def advance(self, now: datetime, listener: FeedListener) -> None:
        """Open and close every candle the clock has reached, in time order; O(new candles)."""
        queue = self._queue
        if queue is not None and len(queue.waiting) > 1:
            self._close_waiting(now, listener)
        while True:
            candle = self._peek()
            if candle is None or candle.open_time > now:
                self._current = self._forming = None
                return
            if not self._next_opened:
                self._next_opened = True
                listener.on_open(candle)
            close_time = candle.open_time + self._span
            if close_time > now:
                if self._current is not candle:
                    self._current, self._forming = candle, None
                return
            self._close(candle if candle.closed else attrs.evolve(candle, closed=True))
            listener.on_close(candle, close_time)

    def batch(self, timeframe: Timeframe, since: datetime | None, now: datetime) -> CandleBatch:
        """Closed candles strictly after `since` plus the forming one, in `timeframe`."""
        if timeframe is self._timeframe:
            # the window holds closed candles in strictly increasing time and the forming view
            # is never closed: what CandleBatch would check, so skip its checks (the hot path)
            return CandleBatch.trusted(self._window.after(since), self.forming)
        aggregator = self._aggregator(timeframe)
        return CandleBatch(
            closed=aggregator.closed_after(since, now),
            forming=aggregator.forming(now, self.forming),
        )

    def _aggregator(self, timeframe: Timeframe) -> TimeframeAggregator:
        aggregator = self._aggregators.get(timeframe)
        if aggregator is None:
            aggregator = TimeframeAggregator(timeframe, self._timeframe, self._window_size)
            aggregator.seed(self._window.after(None), self._window.evicted_until)
            self._aggregators[timeframe] = aggregator
        return aggregator

    def _close_waiting(self, now: datetime, listener: FeedListener) -> None:
        """Close the candles a replay handed over that the clock has passed, all at once: the
        same as the loop of `advance` when nobody listens to single candles (no working
        order, no aggregated view) and they are in order; otherwise that loop does it."""
        if listener.watching or self._aggregators:
            return
        current = self._next
        if current is not None and current.open_time + self._span > now:
            return  # nothing closes before the candle in progress
        assert self._queue is not None
        waiting = self._queue.waiting
        times = list(map(_OPEN_TIME, waiting))
        last = self._last_time
        in_order = (last is None or times[0] > last) and all(map(lt, times, times[1:]))
        if not in_order or not all(map(_CLOSED, waiting)):
            return  # the loop refuses the candle out of order / closes each one itself
        count = bisect_right(times, now - self._span)  # those whose close time has come
        closing = [] if current is None else [current]
        closing.extend(islice(waiting, count))
        if count:
            later = list(islice(waiting, count, None))
            waiting.clear()
            waiting.extend(later)
            self._last_time = times[count - 1]
        self._window.extend(closing)
        self._current = self._forming = self._next = None

    def _close(self, candle: Candle) -> None:
        self._current = self._forming = None
        self._next = None
        self._window.append(candle)
        for aggregator in self._aggregators.values():
            aggregator.add(candle)

    def _peek(self) -> Candle | None:
        if self._next is None and self._source is not None:
            candle = next(self._source, None)
            if candle is None:
                if not self._endless:
                    self._source = None
                return None
            self._check(candle)
            self._next = candle
            self._next_opened = False
            self._last_time = candle.open_time
        return self._next

    def _check(self, candle: Candle) -> None:
        if candle.symbol is not self._symbol and candle.symbol != self._symbol:
            raise ExchangeProtocolError(
                f"replay candle for {candle.symbol} in a {self._symbol} replay"
            )
        if self._last_time is not None and candle.open_time <= self._last_time:
            raise ExchangeProtocolError(
                f"replay candles out of order: {isoformat_utc(candle.open_time)} does not "
                f"follow {isoformat_utc(self._last_time)}"
            )
