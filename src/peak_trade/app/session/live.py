"""LivePoller: feeds the trading core from a venue's market data on a fixed polling schedule.

Warmup loads each symbol's recent closed candles (paging through the venue's row limit) and
primes its strategy without trading; transient market-data faults are retried there as in the
loop, only auth errors and unknown symbols are fatal. A tick polls symbols for closed candles
after their last one; the forming candle is never fed. A failed poll is counted; after
`max_consecutive_errors` failures in a row trading halts (polling and logging go on).

One OHLC request per symbol per candle close (CandleCloseGate): a tick polls the symbols whose
candle may have closed, judged by the venue's own candle clock, and otherwise at most one probe.
The requests go out through the one venue adapter the executor uses too, i.e. under its rate
limiter per API key (Kraken: rate_limit_ms spacing and the tier's counters).

A Retry-After or lockout from any request — a poll, or one the executor made — pauses every
request to the venue: the poller shares the executor's VenuePause, polls nothing more in that
tick and sleeps (interruptibly, never past --duration) until the pause is over.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

import attrs

from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.app.session.book import SymbolBook
from peak_trade.app.session.core import StopFlag, TradingCore
from peak_trade.app.session.events import candle_payload
from peak_trade.app.session.poll_gate import CandleCloseGate
from peak_trade.app.session.poll_schedule import PollSchedule
from peak_trade.app.session.warmup import closed_after, fetch_warmup_candles
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import (
    ExchangeAuthError,
    ExchangeError,
    UnknownSymbolError,
)
from peak_trade.ports.events import EventLogPort, EventType
from peak_trade.ports.exchange import ExchangePort

_log = logging.getLogger(__name__)
FATAL = (ExchangeAuthError, UnknownSymbolError)
WARMUP_ATTEMPTS = 5
WARMUP_RETRY_SECONDS = 2.0


@attrs.frozen
class Forming:
    """The open time of the candle a poll showed forming (None: the venue showed none)."""

    value: datetime | None


class LivePoller:
    """The live driver: warmup from the venue, then on each tick the polls the gate asks for."""

    def __init__(
        self,
        *,
        exchange: ExchangePort,
        core: TradingCore,
        clock: ClockPort,
        schedule: PollSchedule,
        event_log: EventLogPort,
        warmup_candles: int,
        max_consecutive_errors: int,
        venue_pause: VenuePause | None = None,
    ) -> None:
        self._exchange = exchange
        self._core = core
        self._clock = clock
        self._schedule = schedule
        self._events = event_log
        self._warmup = warmup_candles
        self._max_errors = max_consecutive_errors
        self._pause = venue_pause if venue_pause is not None else VenuePause(clock)
        self.consecutive_errors = 0
        self.exchange_errors = 0
        self.ended = False  # a live feed never ends by itself
        self._gate: CandleCloseGate | None = None  # made at the first tick (books are set)
        self._last_tick: float | None = None

    def warm_up(self) -> tuple[int, int]:
        """Prime every symbol's strategy; (candles primed, candles wanted)."""
        primed = 0
        books = list(self._core.books.values())
        for book in books:
            candles = self._with_retries(functools.partial(self._history, book))
            for candle in candles[-self._warmup :] if self._warmup else []:
                self._core.prime(candle)
                primed += 1
            if candles:  # the newest closed candle is where the live feed starts
                book.last_candle = candles[-1]
        return primed, self._warmup * len(books)

    def _history(self, book: SymbolBook) -> list[Candle]:
        return fetch_warmup_candles(
            self._exchange, book.symbol, book.timeframe, max(self._warmup, 1)
        )

    def _with_retries(self, fetch: Callable[[], list[Candle]]) -> list[Candle]:
        for attempt in range(1, WARMUP_ATTEMPTS + 1):
            try:
                return fetch()
            except FATAL:
                raise
            except ExchangeError as exc:
                if attempt == WARMUP_ATTEMPTS:
                    raise
                self._pause.note(exc)
                wait = max(self._pause.remaining(), WARMUP_RETRY_SECONDS * attempt)
                _log.warning(
                    "warmup attempt %d failed (%s); retrying in %.0f s", attempt, exc, wait
                )
                self._schedule.pause(wait)
        raise AssertionError("unreachable")

    def run(
        self, step: Callable[[int], bool], calm_steps: Callable[[], int], stop: StopFlag
    ) -> None:
        """Poll on the schedule until `step(1)` (called after each tick) says stop (a poll
        is one step; the schedule watches the stop request while it waits)."""
        self._schedule.start()
        while True:
            self._tick()
            if step(1):
                return
            self._wait_out_pause()
            self._schedule.wait_for_next_tick()
            if self._schedule.expired() or self._schedule.stop_requested:
                return  # the deadline or a stop came while waiting: no further poll

    def _wait_out_pause(self) -> None:
        """Leave the venue alone while a Retry-After or lockout runs."""
        remaining = self._pause.remaining()
        if remaining > 0:
            _log.warning("the venue asked to wait: pausing every request for %.0f s", remaining)
            self._schedule.pause(remaining)

    def _tick(self) -> None:
        books = self._core.books
        gate = self._gate
        if gate is None:
            span = next(iter(books.values())).timeframe.seconds
            gate = self._gate = CandleCloseGate(list(books), span)
        tick = self._clock.monotonic()
        last, self._last_tick = self._last_tick, tick
        queue = gate.plan(self._clock.now(), None if last is None else tick - last)
        polled: set[Symbol] = set()
        while queue:
            symbol = queue.pop(0)
            if self._pause.remaining() > 0:
                break  # a Retry-After from an earlier request of this tick: ask nothing more
            polled.add(symbol)
            forming = self._poll_one(books[symbol])
            if forming is not None and gate.observed(symbol, forming.value, self._clock.now()):
                queue = gate.behind(polled)  # a candle closed: whoever is behind follows
        self._core.check_limits(self._clock.now())

    def _poll_one(self, book: SymbolBook) -> Forming | None:
        """Poll one symbol and feed its new closed candles; its forming candle, or None when
        the poll failed."""
        try:
            new, forming = self._poll(book)
        except FATAL:
            raise
        except ExchangeError as exc:
            self._on_error(exc, book)
            return None
        self.consecutive_errors = 0
        if new:
            self._record(new)
            self._core.on_candles(book.symbol, new)
        return forming

    def _poll(self, book: SymbolBook) -> tuple[Sequence[Candle], Forming]:
        since = book.last_candle_time
        batch = self._exchange.candles(book.symbol, book.timeframe, since=since)
        forming = Forming(batch.forming.open_time if batch.forming is not None else None)
        return closed_after(batch, since), forming

    def _record(self, candles: Sequence[Candle]) -> None:
        for candle in candles:
            self._events.append(EventType.CANDLE, candle_payload(candle))

    def _on_error(self, exc: ExchangeError, book: SymbolBook) -> None:
        self.exchange_errors += 1
        self.consecutive_errors += 1
        _log.warning("%s: market data error: %s: %s", book.symbol, type(exc).__name__, exc)
        self._events.append(
            EventType.ERROR,
            {
                "error": type(exc).__name__,
                "message": str(exc),
                "kind": "market_data",
                "symbol": str(book.symbol),
                "consecutive": self.consecutive_errors,
            },
        )
        if self.consecutive_errors >= self._max_errors:
            self._core.halt(
                f"{self.consecutive_errors} consecutive exchange errors "
                f"(max_consecutive_errors = {self._max_errors}); last: {exc}"
            )
        self._pause.note(exc)
