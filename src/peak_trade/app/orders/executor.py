"""TestnetExchangeOrderExecutor: the guarded order path from request to ledger (design.md s5).

Per order: environment guard -> venue guard -> trading gate -> no unresolved UNKNOWN order on
the symbol (its lookup first, if due) -> no venue pause (Retry-After) running -> instrument
rules -> LiveRiskLimits on the portfolio after the order (`risk_decision`) -> `order_intent`
(fsynced, covering the `risk_decision` before it; refused by a run log that was deleted) ->
ExchangePort.submit_order -> `order_result` (fsynced) -> VALIDATED: simulated fill into the
ledger (the `order_result` and its `simulated_fill` share one fsync after both); ACCEPTED:
follow status and fills; UNKNOWN: never resent, resolved by client order id with backoff
(UnknownOrderResolver, also driven by `reconcile` every step); REJECTED: reason code. Nothing
reaches the port unless every check passed. A validate-only order costs two fsyncs: one before
sending, one after its outcome.

Failures of the order path (a read it needs or submit_order raised, an UNKNOWN order never
placed) count on their own: `max_consecutive_order_failures` in a row halt trading. A raised
ExchangeError reaches the caller, which may try the same order again (same client order id):
a raise means nothing was placed. A Retry-After seen anywhere pauses every request.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from peak_trade.app.orders.events import risk_payload, submit_error_payload
from peak_trade.app.orders.execution_log import (
    NO_CONTEXT,
    OrderContext,
    OrderCounters,
    TestnetExecutionLog,
)
from peak_trade.app.orders.failures import OrderFailures
from peak_trade.app.orders.outcomes import VenueOutcomes
from peak_trade.app.orders.pending import ResolutionPolicy
from peak_trade.app.orders.recorder import OrderRecorder
from peak_trade.app.orders.refusals import gate_refusal, sized_down
from peak_trade.app.orders.resolver import UnknownOrderResolver, resolution_window
from peak_trade.app.orders.venue_pause import VenuePause, VenuePausedError
from peak_trade.domain.environment import (
    EnvironmentConfig,
    require_safe_venue,
    require_testnet,
)
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import (
    AckStatus,
    ExecutionStatus,
    OrderAck,
    OrderExecutionResult,
    OrderRequest,
    OrderSide,
    RejectReason,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingGate, reduces_exposure
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeError
from peak_trade.ports.events import EventLogError, EventLogPort, EventType
from peak_trade.ports.exchange import ExchangePort

_RATE_WINDOW = timedelta(minutes=1)
_log = logging.getLogger(__name__)


class TestnetExchangeOrderExecutor:
    """Sends orders through every guard to an ExchangePort and books the outcome in the ledger."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        *,
        exchange: ExchangePort,
        risk_limits: LiveRiskLimits,
        portfolio: Portfolio,
        environment: EnvironmentConfig,
        clock: ClockPort,
        event_log: EventLogPort,
        fee_rate: Decimal,
        slippage_bps: Decimal,
        order_follow_timeout_seconds: Decimal = Decimal(60),
        follow_poll_seconds: Decimal = Decimal(1),
        gate: TradingGate | None = None,
        unknown_order_resolution_seconds: Decimal = Decimal(300),
        max_consecutive_order_failures: int = 3,
        venue_pause: VenuePause | None = None,
    ) -> None:
        require_testnet(environment, "TestnetExchangeOrderExecutor")
        require_safe_venue(exchange.venue)
        if fee_rate < 0 or slippage_bps < 0:
            raise ValueError("fee_rate and slippage_bps must be >= 0")
        self._exchange = exchange
        self._risk = risk_limits
        self._portfolio = portfolio
        self._environment = environment
        self._clock = clock
        self._events = event_log
        self._recent: deque[datetime] = deque()
        self._recorder = OrderRecorder(portfolio=portfolio, clock=clock, event_log=event_log)
        self._gate = gate if gate is not None else TradingGate()
        self._pause = venue_pause if venue_pause is not None else VenuePause(clock)
        self._failures = OrderFailures(
            max_consecutive_order_failures, gate=self._gate, event_log=event_log
        )
        self._outcomes = VenueOutcomes(
            exchange=exchange,
            clock=clock,
            recorder=self._recorder,
            pause=self._pause,
            fee_rate=fee_rate,
            slippage_bps=slippage_bps,
            follow_timeout_seconds=float(order_follow_timeout_seconds),
            follow_poll_seconds=float(follow_poll_seconds),
        )
        window = resolution_window(exchange, float(unknown_order_resolution_seconds))
        self._resolver = UnknownOrderResolver(
            exchange=exchange,
            clock=clock,
            recorder=self._recorder,
            pause=self._pause,
            policy=ResolutionPolicy(window_seconds=window),
            follow=self._outcomes.follow,
            on_settled=self._settled,
        )
        self._pending = self._resolver.pending  # checked every step: a dict's truth, no call

    @property
    def gate(self) -> TradingGate:
        """The session's trading state: asked before every order (REDUCING, HALTED refuse)."""
        return self._gate

    @property
    def counters(self) -> OrderCounters:
        return self._recorder.counters

    @property
    def fills_booked(self) -> int:
        """Fills booked into the ledger so far (simulated and real)."""
        counters = self._recorder.counters
        return counters.simulated_fills + counters.real_fills

    @property
    def counters_by_symbol(self) -> Mapping[Symbol, OrderCounters]:
        return self._recorder.by_symbol

    @property
    def execution_log(self) -> tuple[TestnetExecutionLog, ...]:
        """The most recent order outcomes (bounded; `order_result` events hold every one)."""
        return self._recorder.execution_log

    @property
    def recent_order_times(self) -> tuple[datetime, ...]:
        return tuple(self._recent)

    @property
    def venue_pause(self) -> VenuePause:
        """The venue's Retry-After pause, shared with the live poller."""
        return self._pause

    @property
    def order_failures(self) -> OrderFailures:
        """Consecutive and total failed order submissions."""
        return self._failures

    @property
    def resolution_window_seconds(self) -> float:
        """How long a missing UNKNOWN order is looked for before it counts as never placed."""
        return self._resolver.window_seconds

    def unresolved(self) -> tuple[OrderRequest, ...]:
        """Orders whose outcome is still UNKNOWN."""
        return self._resolver.orders()

    @property
    def settled(self) -> bool:
        """True while no order has an unknown outcome (nothing for `reconcile` to look up)."""
        return not self._pending

    def has_unresolved(self, symbol: Symbol) -> bool:
        """Whether an UNKNOWN order on `symbol` keeps new orders there from going out."""
        return bool(self._pending) and self._resolver.blocking(symbol) is not None

    def reconcile(self) -> tuple[OrderExecutionResult, ...]:
        """Look up the UNKNOWN orders whose lookup is due (backoff on the clock): found ones are
        booked and followed, ones missing past the resolution window end as never placed.
        The trading core calls this every step; O(1) when nothing is pending."""
        if not self._pending:
            return ()
        return self._resolver.reconcile()

    def restore_counters(
        self, counters: OrderCounters, by_symbol: Mapping[Symbol, OrderCounters]
    ) -> None:
        """Go on counting from a resumed run's earlier lives (rebuilt from its run log)."""
        self._recorder.restore(counters, by_symbol)

    def settle_unvalidated(
        self, order: OrderRequest, reference: Decimal | None, context: OrderContext
    ) -> OrderExecutionResult:
        """End an order of a resumed run's earlier life on a validate-only venue whose
        validation answer was never recorded: such an order is never placed, so nothing was
        booked and there is nothing to reconcile. Written as a final `order_result`
        (cancelled); the strategy's target is traded again if it still stands."""
        self._recorder.begin(order, context)
        result = OrderExecutionResult(
            request=order,
            status=ExecutionStatus.CANCELLED,
            message="the earlier life of the run ended before the venue's validation answer "
            "was recorded; a validate-only order is never placed, so nothing was booked",
        )
        self._recorder.record(result, reference, None)
        return result

    def adopt_unknown(
        self,
        order: OrderRequest,
        reference: Decimal | None = None,
        context: OrderContext = NO_CONTEXT,
        *,
        sent_at: datetime | None = None,
        booked_trade_ids: frozenset[str] = frozenset(),
    ) -> None:
        """Take over an order whose outcome is not known, e.g. one a resumed run's log shows
        with an `order_intent` but no final `order_result`. It blocks its symbol and is
        resolved by `reconcile` like any UNKNOWN order, never sent again; the resolution window
        counts from `sent_at` (its intent's time on the session clock; None: from now).

        Writes a non-final `order_result` (status unknown); the final one follows when it is
        resolved. Nothing is asked of the venue here: the first lookup is due at once.
        """
        elapsed = 0.0
        if sent_at is not None:
            elapsed = max(0.0, (self._clock.now() - sent_at).total_seconds())
        self._resolver.adopt(
            order, reference, context, elapsed=elapsed, booked_trade_ids=booked_trade_ids
        )

    def execute(
        self,
        order: OrderRequest,
        *,
        intent: str = "open",
        reason: str = "signal",
        number: int | None = None,
    ) -> OrderExecutionResult:
        """Run one order through the guards; only a fully checked order reaches the exchange.

        `intent`, `reason` and `number` (its n in client_order_id(run_id, n)) go into the
        order's events, so a trader (and a resumed run) can tell why each order was sent.
        """
        require_testnet(self._environment, "TestnetExchangeOrderExecutor")
        require_safe_venue(self._exchange.venue)
        self._recorder.begin(order, OrderContext(number=number, intent=intent, reason=reason))
        reduces = reduces_exposure(self._portfolio.quantity(order.symbol), order.signed_quantity)
        if not self._gate.permits(reduces=reduces):
            code, message = gate_refusal(self._gate)
            return self._recorder.refused(order, None, ExecutionStatus.REJECTED, code, message)
        if self._pending:
            self._resolver.settle_symbol(order.symbol)
            pending = self._resolver.blocking(order.symbol)
            if pending is not None:
                return self._recorder.refused(
                    order,
                    None,
                    ExecutionStatus.REJECTED,
                    RejectReason.UNRESOLVED_ORDER,
                    f"order {pending.client_order_id} on {order.symbol} has an unknown outcome "
                    "and is not resolved yet; no new order is sent until it is",
                )
        wait = self._pause.remaining()
        if wait > 0:
            self._recorder.forget(order)
            raise VenuePausedError(
                f"{self._exchange.venue.name} asked to wait: {wait:.0f} s left of its "
                f"Retry-After; order {order.client_order_id} is not sent before",
                retry_after=wait,
            )
        try:
            rules = self._exchange.instrument(order.symbol)
            ticker = self._exchange.ticker(order.symbol)
        except ExchangeError as exc:
            self._order_path_failed(order, exc)
            raise
        reference = ticker.ask if order.side is OrderSide.BUY else ticker.bid
        violation = rules.check(order, reference if reference > 0 else None)
        if violation is not None:
            return self._recorder.refused(
                order, reference, ExecutionStatus.REJECTED, violation.reason, violation.message
            )
        now = self._clock.now()
        prices = {order.symbol: reference}
        decision = self._risk.check_orders(
            [order], self._portfolio, prices, now, self._recent_times(now), self._rules_of
        )
        sized = sized_down(order, decision, self._risk, self._portfolio, rules, prices, reference)
        if sized is not None:
            self._events.append(
                EventType.RISK_DECISION,
                {**risk_payload(order, decision), "sized_down_to": sized.quantity},
                durable=False,
            )
            self._recorder.begin(sized, self._recorder.context(order))
            order = sized
            decision = self._risk.check_orders(
                [order], self._portfolio, prices, now, self._recent_times(now), self._rules_of
            )
        # Group commit: the `order_intent` or refused `order_result` that follows at once is
        # fsynced and makes this line durable with it.
        payload = {**risk_payload(order, decision), **self._recorder.context(order).fields()}
        self._events.append(EventType.RISK_DECISION, payload, durable=False)
        if not decision.allowed:
            return self._recorder.refused(
                order,
                reference,
                ExecutionStatus.RISK_BLOCKED,
                RejectReason.RISK_LIMIT,
                decision.reason,
                tuple(v.message for v in decision.violations),
            )
        return self._submit(order, reference, now)

    def _submit(
        self, order: OrderRequest, reference: Decimal, now: datetime
    ) -> OrderExecutionResult:
        try:
            self._recorder.intent(order, reference, self._exchange.venue)
        except EventLogError as exc:
            self._recorder.forget(order)
            self._gate.halt(f"run log unavailable: {exc}")
            raise
        self._recent.append(now)
        try:
            ack = self._exchange.submit_order(order)
        except ExchangeError as exc:
            self._events.append(
                EventType.ORDER_RESULT,
                {**submit_error_payload(order, exc), **self._recorder.context(order).fields()},
            )
            self._order_path_failed(order, exc)
            raise
        if ack.status is not AckStatus.UNKNOWN:
            self._failures.succeeded()
        return self._on_ack(order, reference, ack)

    def _on_ack(
        self, order: OrderRequest, reference: Decimal, ack: OrderAck
    ) -> OrderExecutionResult:
        booked = self._outcomes.book(order, reference, ack)
        return booked if booked is not None else self._resolver.unknown(order, reference, ack)

    def _order_path_failed(self, order: OrderRequest, error: ExchangeError) -> None:
        """A read the order needs, or its submission, raised: nothing was placed."""
        self._recorder.forget(order)
        self._pause.note(error)
        what = f"{type(error).__name__}: {error}"
        _log.warning("%s: order %s not sent: %s", order.symbol, order.client_order_id, what)
        self._failures.failed(what)

    def _settled(self, found: bool, what: str) -> None:
        """An UNKNOWN order was resolved: found ends a failure streak, never placed adds one."""
        if found:
            self._failures.succeeded()
        else:
            self._failures.failed(what)

    def _rules_of(self, symbol: Symbol) -> InstrumentRules | None:
        """A held symbol's venue rules for the risk check's dust rule; None (the position then
        counts as open) when the venue cannot say."""
        try:
            return self._exchange.instrument(symbol)
        except ExchangeError:
            return None

    def _recent_times(self, now: datetime) -> tuple[datetime, ...]:
        while self._recent and self._recent[0] <= now - _RATE_WINDOW:
            self._recent.popleft()
        return tuple(self._recent)
