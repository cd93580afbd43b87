"""ReplayFeed: feeds the trading core from candle files on a simulated clock, as fast as it can.

A step is a candle close, not a poll interval: the clock jumps from one close to the next. The
streams of several symbols are merged by close time (ties in the session's symbol order). Each
symbol runs one candle ahead into the venue (`ReplayVenuePort.feed`), so at every close the
venue already shows the next candle's open: the price orders fill at, exactly as a live venue
would quote right after a close. The first `warmup_candles` candles of each symbol prime its
strategy without trading, as a live session primes from the venue's history. The end of the
data ends the run.

A single-symbol replay reads its stream a block at a time and hands the core calm stretches
(`TradingCore.run_calm`): candles at which nothing but the strategy and the marks can move.
Nobody looks at the clock or the venue during such a stretch, so both are brought up to its
last candle once, at its end (the venue still gets every candle, one ahead of the clock at
every moment it is asked anything); the steps are counted in one call. The run log, the
ledger and every figure come out as if each candle had been stepped on its own.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from itertools import chain, islice

from peak_trade.app.session.core import StopFlag, TradingCore
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.replay import ReplayClockPort, ReplayVenuePort

_Head = tuple[datetime, int, Candle, Iterator[Candle]]
BLOCK = 512  # candles read from a single-symbol stream at a time


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

    def run(
        self, step: Callable[[int], bool], calm_steps: Callable[[], int], stop: StopFlag
    ) -> None:
        """Replay candle by candle until the data ends or `step(count)` (after `count` steps)
        says stop; `calm_steps()` says how many steps may pass before `step` must be told."""
        if len(self._heap) == 1:
            self._run_one(step, calm_steps, stop)
            return
        while self._heap:
            self._step(prime=False)
            if not self._heap:
                self.ended = True
            if step(1):
                return
        self.ended = True

    def _run_one(
        self, step: Callable[[int], bool], calm_steps: Callable[[], int], stop: StopFlag
    ) -> None:
        """`run` for a single symbol: no merge, calm stretches (the replay's hot loop).

        `candles[pos]` is the current candle; `candles[:fed]` went to the venue already (at
        least the current one and, once it closes, the one after it)."""
        _close_time, index, candle, iterator = self._heap.pop()
        symbol = candle.symbol
        core = self._core
        book = core.books[symbol]
        span = book.span
        venue, clock = self._venue, self._clock
        advance_to = clock.advance_to
        warming = self._warmup - self._primed[symbol]  # a file shorter than the warmup
        candles: list[Candle] = [candle]
        pos, fed = 0, 1
        while True:
            if pos + 1 == len(candles):  # the candle after the current one is needed
                candles = [candles[pos], *islice(iterator, BLOCK)]
                pos, fed = 0, 1
            candle = candles[pos]
            close_time = candle.open_time + span
            last = pos + 1 == len(candles)  # the data ends with this candle
            if not (last or warming) and self._calm(clock, close_time):
                budget = calm_steps()
                if budget > 1:
                    end, rest, target = core.run_calm(
                        book, candles, pos, min(pos + budget, len(candles) - 1), stop
                    )
                    if end > pos:
                        close_time = candles[end - 1].open_time + span
                        advance_to(close_time)
                        venue.feed_many(candles[fed : end + 1])
                        fed = end + 1
                        if rest:
                            core.finish_candle(book, candles[end - 1], target)
                        core.check_limits(close_time)
                        count, pos = end - pos, end
                        if step(count):
                            self._park(candles, pos, index, iterator)
                            return
                        continue
            advance_to(close_time)
            if not last and fed == pos + 1:
                venue.feed(candles[pos + 1])
                fed += 1
            if warming > 0:
                warming -= 1
                self._primed[symbol] += 1
                core.prime(candle)
            else:
                core.on_candle(book, candle)
            core.check_limits(close_time)
            if last:
                self.ended = True
                step(1)
                return
            pos += 1
            if step(1):
                self._park(candles, pos, index, iterator)
                return

    def _calm(self, clock: ReplayClockPort, close_time: datetime) -> bool:
        """Whether a stretch may start at a candle closing at `close_time`: the venue takes
        candles in bulk (no order works there), and moving the clock once to a stretch's end
        is the same as moving it candle by candle (it is not past this close, and its
        monotonic seconds are whole, as every candle's span is)."""
        return self._venue.idle and clock.now() <= close_time and clock.monotonic().is_integer()

    def _park(
        self, candles: list[Candle], pos: int, index: int, iterator: Iterator[Candle]
    ) -> None:
        """Leave the unreplayed candles as the heap's head, as a stopped run found them."""
        head = candles[pos]
        rest = chain(candles[pos + 1 :], iterator)
        span = self._core.books[head.symbol].span
        self._heap.append((head.open_time + span, index, head, rest))

    def _step(self, *, prime: bool) -> None:
        """Every candle closing at the next close time: venue first (one ahead), then core."""
        close_time = self._heap[0][0]
        due: list[_Head] = []
        while self._heap and self._heap[0][0] == close_time:
            due.append(heapq.heappop(self._heap))
        self._clock.advance_to(close_time)
        for _, index, candle, iterator in due:
            following = next(iterator, None)
            if following is not None:
                self._venue.feed(following)
                self._push(following, index, iterator)
            else:  # its file ends with this candle: no later candle is missing
                self._core.books[candle.symbol].data_ended = True
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
