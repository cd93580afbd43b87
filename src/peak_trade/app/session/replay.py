"""ReplayFeed: feeds the trading core from candle files on a simulated clock, as fast as it can.

A step is a candle close, not a poll interval: the clock jumps from one close to the next. The
streams of several symbols are merged by close time (ties in the session's symbol order). Each
symbol runs one candle ahead into the venue (`ReplayVenuePort.feed`), so at every close the
venue already shows the next candle's open: the price orders fill at, exactly as a live venue
would quote right after a close. The first `warmup_candles` candles of each symbol prime its
strategy without trading, as a live session primes from the venue's history. The end of the
data ends the run.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta

from peak_trade.app.session.core import TradingCore
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.replay import ReplayClockPort, ReplayVenuePort

_Head = tuple[datetime, int, Candle, Iterator[Candle]]


class ReplayFeed:
    """The replay driver: one step per distinct candle close time across all symbols."""

    def __init__(
        self,
        *,
        streams: Mapping[Symbol, Iterable[Candle]],
        venue: ReplayVenuePort,
        clock: ReplayClockPort,
        core: TradingCore,
        warmup_candles: int,
    ) -> None:
        self._streams = streams
        self._venue = venue
        self._clock = clock
        self._core = core
        self._warmup = warmup_candles
        self._heap: list[_Head] = []
        self._primed: dict[Symbol, int] = {}
        self.consecutive_errors = 0
        self.exchange_errors = 0
        self.ended = False

    def warm_up(self) -> tuple[int, int]:
        """Open every stream and prime each strategy with its first `warmup_candles` candles;
        (candles primed, candles wanted)."""
        order = {symbol: index for index, symbol in enumerate(self._core.books)}
        for symbol, stream in self._streams.items():
            iterator = iter(stream)
            first = next(iterator, None)
            if first is None:
                continue
            self._venue.feed(first)
            self._push(first, order[symbol], iterator)
        self._primed = dict.fromkeys(self._core.books, 0)
        if self._heap:
            self._clock.advance_to(min(head[2].open_time for head in self._heap))
        while self._heap and self._warming():
            self._step(prime=True)
        primed = sum(self._primed.values())
        return primed, self._warmup * len(self._core.books)

    def _warming(self) -> bool:
        """True while the next candle belongs to its symbol's warmup (trading starts with the
        first candle that does not; a symbol whose file starts later warms up on the way)."""
        head = self._heap[0][2]
        return self._primed[head.symbol] < self._warmup

    def run(self, step: Callable[[], bool]) -> None:
        """Replay candle by candle until the data ends or `step()` (after each) says stop."""
        if len(self._heap) == 1:
            self._run_one(step)
            return
        while self._heap:
            self._step(prime=False)
            if not self._heap:
                self.ended = True
            if step():
                return
        self.ended = True

    def _run_one(self, step: Callable[[], bool]) -> None:
        """`run` for a single symbol: the same steps without the merge (the replay's hot loop)."""
        close_time, index, candle, iterator = self._heap.pop()
        symbol = candle.symbol
        book = self._core.books[symbol]
        span = book.span
        core = self._core
        feed, advance_to = self._venue.feed, self._clock.advance_to
        on_candle, check_limits = core.on_candle, core.check_limits
        warming = self._warmup - self._primed[symbol]  # a file shorter than the warmup
        while True:
            advance_to(close_time)
            following = next(iterator, None)
            if following is not None:
                feed(following)
            if warming > 0:
                warming -= 1
                self._primed[symbol] += 1
                core.prime(candle)
            else:
                on_candle(book, candle)
            check_limits(close_time)
            if following is None:
                self.ended = True
                step()
                return
            if step():
                self._heap.append((following.open_time + span, index, following, iterator))
                return
            candle, close_time = following, following.open_time + span

    def _step(self, *, prime: bool) -> None:
        """Every candle closing at the next close time: venue first (one ahead), then core."""
        close_time = self._heap[0][0]
        due: list[_Head] = []
        while self._heap and self._heap[0][0] == close_time:
            due.append(heapq.heappop(self._heap))
        self._clock.advance_to(close_time)
        for _, index, _candle, iterator in due:
            following = next(iterator, None)
            if following is not None:
                self._venue.feed(following)
                self._push(following, index, iterator)
        core = self._core
        for _, _index, candle, _iterator in due:
            symbol = candle.symbol
            if self._primed[symbol] < self._warmup:  # a late-starting symbol may still warm up
                self._primed[symbol] += 1
                core.prime(candle)
            else:
                core.on_candle(core.books[symbol], candle)
        if not prime:
            core.check_limits(close_time)

    def _push(self, candle: Candle, index: int, iterator: Iterator[Candle]) -> None:
        span = timedelta(seconds=self._core.books[candle.symbol].timeframe.seconds)
        heapq.heappush(self._heap, (candle.open_time + span, index, candle, iterator))
