"""OrderRecorder: the executor's bookkeeping — ledger fills, order counters, the execution log
and the `order_result` / `fill` / `simulated_fill` events that make it durable."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from decimal import Decimal

from peak_trade.app.orders.events import fill_payload, intent_payload
from peak_trade.app.orders.execution_log import (
    NO_CONTEXT,
    OrderContext,
    OrderCounters,
    TestnetExecutionLog,
)
from peak_trade.domain.environment import Venue
from peak_trade.domain.orders import (
    AckStatus,
    ExecutionStatus,
    Fill,
    OrderExecutionResult,
    OrderRequest,
    RejectReason,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import EventLogPort, EventType

# Entries kept in memory: enough for any report on a running session, while memory stays flat
# over a long replay; every entry is also an `order_result` event in the run log.
EXECUTION_LOG_LIMIT = 1000


class OrderRecorder:
    """Books fills into the Portfolio and records every order outcome in memory and the run log."""

    def __init__(
        self,
        *,
        portfolio: Portfolio,
        clock: ClockPort,
        event_log: EventLogPort,
        keep: int = EXECUTION_LOG_LIMIT,
    ) -> None:
        self._portfolio = portfolio
        self._clock = clock
        self._events = event_log
        self._log: deque[TestnetExecutionLog] = deque(maxlen=keep)
        self._contexts: dict[str, OrderContext] = {}  # orders in flight, by client order id
        self.counters = OrderCounters()
        self.by_symbol: dict[Symbol, OrderCounters] = {}

    def _counters_of(self, symbol: Symbol) -> OrderCounters:
        counters = self.by_symbol.get(symbol)
        if counters is None:
            counters = self.by_symbol[symbol] = OrderCounters()
        return counters

    def restore(self, counters: OrderCounters, by_symbol: Mapping[Symbol, OrderCounters]) -> None:
        """Go on from the counts of a resumed run's earlier lives (rebuilt from its run log)."""
        self.counters = counters
        self.by_symbol = dict(by_symbol)

    def begin(self, order: OrderRequest, context: OrderContext) -> None:
        """Remember why `order` exists until its final outcome is recorded."""
        self._contexts[order.client_order_id] = context

    def forget(self, order: OrderRequest) -> None:
        """Drop the context of an order that stopped without a final result (it raised)."""
        self._contexts.pop(order.client_order_id, None)

    def context(self, order: OrderRequest) -> OrderContext:
        return self._contexts.get(order.client_order_id, NO_CONTEXT)

    @property
    def execution_log(self) -> tuple[TestnetExecutionLog, ...]:
        """The most recent `keep` entries, oldest first (the run log has every one)."""
        return tuple(self._log)

    def book(self, fill: Fill) -> None:
        """Apply a fill to the ledger and write it (`simulated_fill` or `fill`)."""
        self._portfolio.apply_fill(fill)
        for counters in (self.counters, self._counters_of(fill.symbol)):
            if fill.simulated:
                counters.simulated_fills += 1
            else:
                counters.real_fills += 1
        kind = EventType.SIMULATED_FILL if fill.simulated else EventType.FILL
        self._events.append(kind, fill_payload(fill, self._portfolio))

    def intent(self, order: OrderRequest, reference: Decimal, venue: Venue) -> None:
        """Write the (fsynced) `order_intent` of an order about to be sent, and count it."""
        payload = intent_payload(order, reference, venue)
        self._events.append(EventType.ORDER_INTENT, {**payload, **self.context(order).fields()})
        self.counters.submitted += 1
        self._counters_of(order.symbol).submitted += 1

    def found(self, order: OrderRequest, order_id: str) -> None:
        """An UNKNOWN order turned out to be live on the venue: it counts as accepted."""
        self.counters.accepted += 1
        self._counters_of(order.symbol).accepted += 1

    def refused(
        self,
        order: OrderRequest,
        reference: Decimal | None,
        status: ExecutionStatus,
        reason: RejectReason,
        message: str,
        violations: Sequence[str] = (),
    ) -> OrderExecutionResult:
        """An order stopped before it reached the exchange: counted and recorded as final."""
        result = OrderExecutionResult(request=order, status=status, reason=reason, message=message)
        self.record(result, reference, None, reached=False, violations=tuple(violations))
        return result

    def record(
        self,
        result: OrderExecutionResult,
        reference: Decimal | None,
        ack_status: AckStatus | None,
        *,
        final: bool = True,
        reached: bool = True,
        violations: tuple[str, ...] = (),
        durable: bool = True,
    ) -> None:
        """Count the outcome, keep its TestnetExecutionLog record and write it as an
        `order_result` event (fsynced).

        An order that is followed (ACCEPTED) or resolved (UNKNOWN) is recorded twice: first with
        `final=False`, then with its outcome and `final=True` (docs/run-log.md). `durable=False`
        leaves the fsync to the fill event the caller writes right after (group commit).
        """
        entry = TestnetExecutionLog(
            ts=self._clock.now(),
            result=result,
            reference_price=reference,
            reached_exchange=reached,
            ack_status=ack_status,
            final=final,
            risk_violations=violations,
            context=self.context(result.request),
        )
        if final:
            self._contexts.pop(result.request.client_order_id, None)
        self.counters.count(ack_status, result.status, final=final)
        self._counters_of(result.request.symbol).count(ack_status, result.status, final=final)
        self._log.append(entry)
        self._events.append(EventType.ORDER_RESULT, entry.to_event(), durable=durable)
