"""TestnetExchangeOrderExecutor: the guarded order path from request to ledger (design.md s5).

Per order: environment guard -> venue guard -> unresolved UNKNOWN orders on the symbol resolved
first -> instrument rules -> LiveRiskLimits on the portfolio after the order (`risk_decision`)
-> `order_intent` (fsynced, covering the `risk_decision` before it) -> ExchangePort.submit_order
-> `order_result` (fsynced) -> VALIDATED: simulated fill into the ledger (the `order_result` and
its `simulated_fill` share one fsync after both); ACCEPTED: follow status and fills; UNKNOWN:
resolve with find_order; REJECTED: reason code. Nothing reaches the port unless every check
passed. A validate-only order costs two fsyncs: one before sending, one after its outcome.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from peak_trade.app.orders.events import risk_payload, submit_error_payload
from peak_trade.app.orders.execution_log import OrderContext, OrderCounters, TestnetExecutionLog
from peak_trade.app.orders.follow import follow_order
from peak_trade.app.orders.recorder import OrderRecorder
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
from peak_trade.domain.paper_fill import simulated_fill
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import SIZEABLE_LIMITS, LiveRiskLimits, RiskDecision
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingGate, TradingState, reduces_exposure
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeError
from peak_trade.ports.events import EventLogPort, EventType
from peak_trade.ports.exchange import ExchangePort

_RATE_WINDOW = timedelta(minutes=1)


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
        self._fee_rate = fee_rate
        self._slippage_bps = slippage_bps
        self._follow_timeout = float(order_follow_timeout_seconds)
        self._follow_poll = float(follow_poll_seconds)
        self._recent: deque[datetime] = deque()
        self._unresolved: dict[Symbol, tuple[OrderRequest, Decimal | None]] = {}
        self._recorder = OrderRecorder(portfolio=portfolio, clock=clock, event_log=event_log)
        self._gate = gate if gate is not None else TradingGate()

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

    def unresolved(self) -> tuple[OrderRequest, ...]:
        """Orders whose outcome is still UNKNOWN."""
        return tuple(order for order, _ in self._unresolved.values())

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
            gate = self._gate
            code = (
                RejectReason.TRADING_HALTED
                if gate.state is TradingState.HALTED
                else RejectReason.REDUCING_ONLY
            )
            return self._recorder.refused(
                order,
                None,
                ExecutionStatus.REJECTED,
                code,
                f"trading is {gate.state.value} ({gate.reason}): only orders that reduce "
                "exposure may go out"
                if gate.state is TradingState.REDUCING
                else f"trading is halted ({gate.reason}): no order goes out",
            )
        if order.symbol in self._unresolved:
            self._resolve(order.symbol)
            if order.symbol in self._unresolved:
                pending = self._unresolved[order.symbol][0].client_order_id
                return self._recorder.refused(
                    order,
                    None,
                    ExecutionStatus.REJECTED,
                    RejectReason.UNRESOLVED_ORDER,
                    f"order {pending} on {order.symbol} has an unknown outcome and could not be "
                    "resolved yet; no new order is sent until it is",
                )
        rules = self._exchange.instrument(order.symbol)
        ticker = self._exchange.ticker(order.symbol)
        reference = ticker.ask if order.side is OrderSide.BUY else ticker.bid
        violation = rules.check(order, reference if reference > 0 else None)
        if violation is not None:
            return self._recorder.refused(
                order, reference, ExecutionStatus.REJECTED, violation.reason, violation.message
            )
        now = self._clock.now()
        prices = {order.symbol: reference}
        decision = self._risk.check_orders(
            [order], self._portfolio, prices, now, self._recent_times(now)
        )
        sized = self._sized_down(order, decision, rules, prices, reference)
        if sized is not None:
            self._events.append(
                EventType.RISK_DECISION,
                {**risk_payload(order, decision), "sized_down_to": sized.quantity},
                durable=False,
            )
            self._recorder.begin(sized, self._recorder.context(order))
            order = sized
            decision = self._risk.check_orders(
                [order], self._portfolio, prices, now, self._recent_times(now)
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

    def _sized_down(
        self,
        order: OrderRequest,
        decision: RiskDecision,
        rules: InstrumentRules,
        prices: dict[Symbol, Decimal],
        reference: Decimal,
    ) -> OrderRequest | None:
        """The order cut to what the exposure limits allow, when only those refused it and the
        cut order still meets the venue's minimums; else None (it stays refused)."""
        if decision.allowed or not self._risk.size_down:
            return None
        if any(v.limit not in SIZEABLE_LIMITS for v in decision.violations):
            return None
        allowed = self._risk.max_quantity(order, self._portfolio, prices)
        if allowed is None:
            return None
        quantity = rules.round_quantity(min(allowed, order.quantity), order.order_type)
        if quantity <= 0 or quantity >= order.quantity:
            return None
        cut = attrs.evolve(order, quantity=quantity)
        return cut if rules.check(cut, reference) is None else None

    def _submit(
        self, order: OrderRequest, reference: Decimal, now: datetime
    ) -> OrderExecutionResult:
        self._recorder.intent(order, reference, self._exchange.venue)
        self._recent.append(now)
        try:
            ack = self._exchange.submit_order(order)
        except ExchangeError as exc:
            self._events.append(EventType.ORDER_RESULT, submit_error_payload(order, exc))
            raise
        return self._on_ack(order, reference, ack)

    def _on_ack(
        self, order: OrderRequest, reference: Decimal, ack: OrderAck
    ) -> OrderExecutionResult:
        if ack.status is AckStatus.VALIDATED:
            fill = simulated_fill(
                order,
                reference,
                slippage_bps=self._slippage_bps,
                fee_rate=self._fee_rate,
                now=self._clock.now(),
            )
            result = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.VALIDATED,
                message=ack.message or "validated by the venue; booked as a simulated fill",
                order_id=ack.order_id,
                fills=(fill,),
            )
            # Group commit: the `simulated_fill` right after is fsynced and covers this result.
            self._recorder.record(result, reference, ack.status, durable=False)
            self._recorder.book(fill)
            return result
        if ack.status is AckStatus.REJECTED:
            result = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.REJECTED,
                reason=ack.reason,
                message=ack.message,
                order_id=ack.order_id,
            )
            self._recorder.record(result, reference, ack.status)
            return result
        if ack.status is AckStatus.ACCEPTED:
            assert ack.order_id is not None  # OrderAck guarantees it
            opened = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.OPEN,
                message=ack.message,
                order_id=ack.order_id,
            )
            self._recorder.record(opened, reference, ack.status, final=False)
            return self._follow(order, reference, ack.order_id)
        unknown = OrderExecutionResult(
            request=order,
            status=ExecutionStatus.UNKNOWN,
            reason=ack.reason,
            message=ack.message or "sent, outcome unknown; resolving by client order id",
            order_id=ack.order_id,
        )
        self._recorder.record(unknown, reference, ack.status, final=False)
        self._unresolved[order.symbol] = (order, reference)
        return self._resolve(order.symbol) or unknown

    def _follow(
        self, order: OrderRequest, reference: Decimal | None, order_id: str
    ) -> OrderExecutionResult:
        outcome = follow_order(
            self._exchange,
            self._clock,
            order.symbol,
            order_id,
            timeout_seconds=self._follow_timeout,
            poll_seconds=self._follow_poll,
            on_fill=self._recorder.book,
        )
        result = OrderExecutionResult(
            request=order,
            status=outcome.status,
            message=outcome.message,
            order_id=order_id,
            fills=outcome.fills,
        )
        self._recorder.record(result, reference, None)
        return result

    def _resolve(self, symbol: Symbol) -> OrderExecutionResult | None:
        """Look an UNKNOWN order up by client order id; None while it stays unresolved."""
        order, reference = self._unresolved[symbol]
        try:
            state = self._exchange.find_order(order.symbol, order.client_order_id)
        except ExchangeError:
            return None
        del self._unresolved[symbol]
        if state is None:
            result = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.REJECTED,
                reason=RejectReason.VENUE_REJECTED,
                message="the venue has no order with this client order id: it was never placed",
            )
            self._recorder.record(result, reference, None)
            return result
        self._recorder.found(order, state.order_id)
        return self._follow(order, reference, state.order_id)

    def _recent_times(self, now: datetime) -> tuple[datetime, ...]:
        while self._recent and self._recent[0] <= now - _RATE_WINDOW:
            self._recent.popleft()
        return tuple(self._recent)
