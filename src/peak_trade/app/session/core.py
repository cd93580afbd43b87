"""TradingCore: closed candles of a symbol arrived -> strategy -> sizing -> executor -> ledger.

The core knows nothing of how candles arrive: the live poller and the replay feed both call
`prime` (warmup: the strategy learns, nothing trades) and `on_candles` (trade). After every
candle time the driver calls `check_limits`, which moves the trading state: a daily-loss
breach to REDUCING until the next UTC midnight, a drawdown beyond `max_drawdown_pct` to
REDUCING for the rest of the run and flat, and lifts a timed REDUCING when it is due.

A replay also hands over stretches of candles (`run_calm`): while a candle can only move the
strategy and the marks (no signal, nothing to trade, no limit within reach), the core runs
just those and leaves the rest of a step to the first candle where something may happen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from peak_trade.app.orders.execution_log import OrderCounters
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.session.book import FOLD_EVERY, SymbolBook
from peak_trade.app.session.events import signal_payload
from peak_trade.app.session.trader import FLAT, SessionTrader
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import (
    TradingGate,
    TradingState,
    Transition,
    next_utc_midnight,
)
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import EventLogPort, EventType

_log = logging.getLogger(__name__)


class StopFlag(Protocol):
    """A stop request as the calm loop reads it (StopRequest)."""

    @property
    def requested(self) -> bool: ...


class TradingCore:
    """The session's trading logic over one portfolio and one executor, for every symbol."""

    def __init__(
        self,
        *,
        books: Sequence[SymbolBook],
        portfolio: Portfolio,
        executor: TestnetExchangeOrderExecutor,
        trader: SessionTrader,
        risk_limits: LiveRiskLimits,
        event_log: EventLogPort,
        clock: ClockPort,
        flatten_on_halt: bool = False,
        on_transition: Callable[[Transition], None] | None = None,
    ) -> None:
        self.books: Mapping[Symbol, SymbolBook] = {book.symbol: book for book in books}
        self._portfolio = portfolio
        self._executor = executor
        self._trader = trader
        self._risk = risk_limits
        self._events = event_log
        self._clock = clock
        self._flatten_on_halt = flatten_on_halt
        self._on_transition = on_transition
        self._gate = executor.gate
        self.candles_processed = 0
        self.signals = 0
        self._checked_fills = -1  # fills booked when the limits last had to be checked
        self._limited = risk_limits.guards_equity
        # For the next calm stretch while a position is held: (equity, peak) -> True while
        # no alert rule would find anything new (AlertObserver.equity_watch); set by the
        # session before each stretch, None without alerts.
        self.alert_watch: Callable[[Decimal, Decimal], bool] | None = None
        self._safe_for: tuple[Decimal, Decimal] | None = None  # the (day start, peak) of:
        self._safe_equity: Decimal | None = None

    @property
    def gate(self) -> TradingGate:
        return self._executor.gate

    @property
    def trader(self) -> SessionTrader:
        return self._trader

    @property
    def executor(self) -> TestnetExchangeOrderExecutor:
        return self._executor

    # --- candles ---------------------------------------------------------------------------
    def prime(self, candle: Candle) -> None:
        """A warmup candle: the strategy learns from it; no signal, no order, no count."""
        book = self.books[candle.symbol]
        book.strategy.on_candle(candle)
        book.last_candle = candle
        self._portfolio.mark(candle.symbol, candle.close, self._clock.now())

    def on_candles(self, symbol: Symbol, candles: Sequence[Candle]) -> None:
        """New closed candles of `symbol` (oldest first): feed each, then trade once on the
        latest target (a catch-up after missed candles cannot trade in the past)."""
        if not candles:
            return
        book = self.books[symbol]
        now = self._clock.now()
        for candle in candles:
            self._feed(book, candle, now)
        if self._trader.wants_orders(book):
            self._trader.trade_towards(book, candles[-1].close, reason="signal")

    def on_candle(self, book: SymbolBook, candle: Candle) -> None:
        """`on_candles` for one candle of `book` (a replay step)."""
        self._feed(book, candle, self._clock.now())
        if self._trader.wants_orders(book):
            self._trader.trade_towards(book, candle.close, reason="signal")

    def finish_candle(self, book: SymbolBook, candle: Candle, target: Decimal | None) -> None:
        """The rest of `on_candle` for a candle whose strategy answer `run_calm` returned: the
        signal if its target changed, then the orders towards it."""
        self._signal(book, candle, target)
        if self._trader.wants_orders(book):
            self._trader.trade_towards(book, candle.close, reason="signal")

    def _feed(self, book: SymbolBook, candle: Candle, now: datetime) -> None:
        self.candles_processed += 1
        book.candles += 1
        book.last_candle = candle
        pending = book.bar.pending
        pending.append(candle)
        if len(pending) >= FOLD_EVERY:
            book.bar.fold()
        self._portfolio.mark(candle.symbol, candle.close, now)
        self._signal(book, candle, book.strategy.on_candle(candle))

    def _signal(self, book: SymbolBook, candle: Candle, target: Decimal | None) -> None:
        if target is None or target == book.target:
            return
        self.signals += 1
        book.signals += 1
        self._events.append(
            EventType.SIGNAL, signal_payload(book.strategy, candle, target, book.target)
        )
        book.target = target

    def run_calm(
        self,
        book: SymbolBook,
        candles: Sequence[Candle],
        start: int,
        stop: int,
        stop_flag: StopFlag,
    ) -> tuple[int, bool, Decimal | None]:
        """Run candles[start:stop] of `book` (consecutive closed candles, the session clock at
        or before the first one's close) for as long as nothing but the strategy and the
        marks can follow from them: its target stands, the trader wants no order at these
        prices, no equity limit is within reach, no stop is requested.

        Returns (end, rest, target): candles start..end-1 were fed and marked (their marks as
        of their own close times) and need nothing more, except that with `rest` the last one
        still needs `finish_candle(book, candles[end - 1], target)` and `check_limits` (its
        strategy answered `target`, or a limit or the trader's price range may be reached).
        `end == start` when the book is not calm now: step the candle one at a time then.
        """
        executor, gate, portfolio = self._executor, self._gate, self._portfolio
        if (
            stop <= start
            or not executor.settled
            or (gate.state is TradingState.REDUCING and gate.until)
        ):
            return start, False, None  # a lookup or a lift may be due at any candle
        prices = self._trader.calm_prices(book)
        if prices is None:
            return start, False, None  # it wants an order now
        low, high = prices
        limited = self._limited and gate.state is TradingState.ACTIVE
        held = portfolio.has_positions
        if limited and not held and portfolio.fills_applied != self._checked_fills:
            return start, False, None  # a fill since the last check: check_limits is due
        on_candle = book.strategy.on_candle
        current = book.target
        rest = False
        target: Decimal | None = None
        end = start
        if not held:  # equity cannot move: only the last candle's mark counts (day roll too)
            for end in range(start + 1, stop + 1):
                target = on_candle(candles[end - 1])
                if target is not current and target is not None and target != current:
                    rest = True
                    break
                if stop_flag.requested:
                    break
            last = candles[end - 1]
            portfolio.mark(book.symbol, last.close, last.open_time + book.span)
        else:
            symbol, span, mark = book.symbol, book.span, portfolio.mark
            risk, watch = self._risk, self.alert_watch
            day_start = peak = floor = None
            for end in range(start + 1, stop + 1):
                candle = candles[end - 1]
                close = candle.close
                mark(symbol, close, candle.open_time + span)
                target = on_candle(candle)
                if target is not current and target is not None and target != current:
                    rest = True
                    break
                if (low is not None and close < low) or (high is not None and close >= high):
                    rest = True  # the position may turn to dust here (or back)
                    break
                if limited:
                    if (
                        portfolio.day_start_equity is not day_start
                        or portfolio.peak_equity is not peak
                    ):
                        day_start, peak = portfolio.day_start_equity, portfolio.peak_equity
                        floor = risk.safe_equity(day_start, peak)
                    if floor is not None and portfolio.equity < floor:
                        rest = True  # check_limits works the breach out
                        break
                if watch is not None and not watch(portfolio.equity, portfolio.peak_equity):
                    rest = True  # an alert may fire here: the session observes this candle
                    break
                if stop_flag.requested:
                    break
        count = end - start
        self.candles_processed += count
        book.candles += count
        book.last_candle = candles[end - 1]
        pending = book.bar.pending
        pending.extend(candles[start:end])
        if len(pending) >= FOLD_EVERY:
            book.bar.fold()
        return end, rest, target

    # --- trading state ---------------------------------------------------------------------
    def check_limits(self, now: datetime) -> None:
        """Move the trading state after a candle time (O(1) while no position is open)."""
        self._executor.reconcile()  # settle orders with an unknown outcome (O(1) if none)
        gate = self._gate
        if gate.state is not TradingState.ACTIVE:
            if gate.state is TradingState.REDUCING:
                self._note(gate.lift_if_due(now))
            if gate.state is TradingState.HALTED:
                return
        if not self._limited:
            return  # no loss or drawdown limit is set
        portfolio = self._portfolio
        fills = portfolio.fills_applied
        if fills == self._checked_fills and not portfolio.has_positions:
            return  # flat and nothing booked since the last check: no loss can have grown
        self._checked_fills = fills
        day_start, peak = portfolio.day_start_equity, portfolio.peak_equity
        safe_for = self._safe_for
        if safe_for is None or safe_for[0] is not day_start or safe_for[1] is not peak:
            self._safe_for = (day_start, peak)
            self._safe_equity = self._risk.safe_equity(day_start, peak)
        if self._safe_equity is None or portfolio.equity >= self._safe_equity:
            return  # no loss or drawdown limit can be breached at this equity
        drawdown = self._risk.drawdown_breach(self._portfolio)
        if drawdown is not None and not (
            gate.state is TradingState.REDUCING and gate.until is None
        ):
            self._note(gate.reduce(f"stop: {drawdown.message}"))
            self.flatten("max_drawdown")
            return
        if gate.state is TradingState.ACTIVE:
            breaches = self._risk.daily_loss_breaches(self._portfolio, now)
            if breaches:
                reason = "; ".join(b.message for b in breaches)
                self._note(gate.reduce(reason, until=next_utc_midnight(now)))
                if self._flatten_on_halt:
                    self.flatten("flatten_on_halt")

    def restore_state(self, state: TradingState, reason: str, until: datetime | None) -> None:
        """Take the trading state a resumed run's log recorded last. REDUCING (a daily-loss
        pause until `until`, or the drawdown stop for good) carries over; HALTED does not: it
        stops a life (errors, a fatal error, an operator stop), and resuming is the operator's
        decision to trade again. Either is written as a `state_changed` event."""
        gate = self.gate
        if state is TradingState.REDUCING:
            gate.restore(state, reason, until)
            self._note(
                Transition(before=TradingState.ACTIVE, after=state, reason=reason, until=until)
            )
        elif state is TradingState.HALTED:
            self._note(
                Transition(
                    before=state,
                    after=TradingState.ACTIVE,
                    reason=f"resumed after the halt ({reason})",
                    until=None,
                )
            )

    def halt(self, reason: str) -> None:
        """HALTED for the rest of the run: nothing goes out any more but cancels."""
        self._note(self.gate.halt(reason))

    def flatten(self, reason: str) -> None:
        """Close every open position at once (orders that reduce exposure, so they may go out
        while REDUCING); a position that cannot be closed stays and is reported."""
        for symbol, position in sorted(self._portfolio.positions.items()):
            book = self.books.get(symbol)
            price = self._portfolio.mark_price(symbol)
            if book is None or price is None or position.quantity == 0:
                continue
            if not self._trader.trade_towards(book, price, target=FLAT, reason=reason):
                _log.warning("%s: could not flatten the position (%s)", symbol, reason)

    def _note(self, transition: Transition | None) -> None:
        if transition is None:
            return
        _log.warning(
            "trading state %s -> %s: %s",
            transition.before.value,
            transition.after.value,
            transition.reason,
        )
        self._events.append(
            EventType.STATE_CHANGED,
            {
                "from": transition.before.value,
                "to": transition.after.value,
                "reason": transition.reason,
                "until": transition.until,
            },
        )
        if self._on_transition is not None:
            self._on_transition(transition)

    # --- figures ---------------------------------------------------------------------------
    def trader_orders(self) -> OrderCounters:
        """The executor's order counts for the whole session."""
        return self._executor.counters

    def orders_by_symbol(self) -> Mapping[Symbol, OrderCounters]:
        return self._executor.counters_by_symbol

    def timeframe_seconds(self) -> int:
        """The session's candle length (every symbol trades the same timeframe)."""
        return next(iter(self.books.values())).timeframe.seconds

    def last_candle_time(self) -> datetime | None:
        """The newest closed candle of any symbol."""
        times = [b.last_candle_time for b in self.books.values() if b.last_candle_time]
        return max(times) if times else None

    def stalest_candle_time(self) -> tuple[Symbol | None, datetime | None]:
        """The symbol whose newest candle is oldest, and that time (stale-data alerts). A
        symbol whose replay file has ended waits for nothing; when every file has ended, the
        newest candle of all stands for the data (nothing is stale)."""
        oldest: tuple[Symbol | None, datetime | None] = (None, None)
        waiting = [book for book in self.books.values() if not book.data_ended]
        if not waiting:
            times = [b.last_candle_time for b in self.books.values() if b.last_candle_time]
            return None, max(times, default=None)
        for book in waiting:
            when = book.last_candle_time
            if when is None:
                return book.symbol, None
            if oldest[1] is None or when < oldest[1]:
                oldest = (book.symbol, when)
        return oldest
