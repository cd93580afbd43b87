"""TestnetExecutionLog entries and the executor's order counters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.orders import (
    AckStatus,
    ExecutionStatus,
    OrderExecutionResult,
)
from peak_trade.domain.timeutil import utc_validator


@attrs.frozen(kw_only=True)
class OrderContext:
    """Why an order exists: its number in the run, what it does and what caused it."""

    number: int | None = None  # the n of client_order_id(run_id, n); None for foreign orders
    intent: str = "open"  # open | close | flatten
    reason: str = "signal"  # signal | flatten_on_halt | max_drawdown | ...

    def fields(self) -> dict[str, Any]:
        return {"order_no": self.number, "intent": self.intent, "trigger": self.reason}


NO_CONTEXT = OrderContext()


@attrs.frozen(kw_only=True)
class TestnetExecutionLog:
    """A record of one order outcome, as written to the run log (`order_result` events); the
    seed's name for these records is kept."""

    __test__ = False  # not a pytest test class

    ts: datetime = attrs.field(validator=utc_validator)
    result: OrderExecutionResult
    reference_price: Decimal | None
    reached_exchange: bool
    ack_status: AckStatus | None = None
    final: bool = True
    risk_violations: tuple[str, ...] = ()
    context: OrderContext = NO_CONTEXT

    @property
    def filled_quantity(self) -> Decimal:
        return sum((fill.quantity for fill in self.result.fills), ZERO)

    @property
    def fees(self) -> Decimal:
        return sum((fill.fee_in_quote for fill in self.result.fills), ZERO)

    @property
    def average_price(self) -> Decimal | None:
        quantity = self.filled_quantity
        if quantity == 0:
            return None
        return sum((fill.notional for fill in self.result.fills), ZERO) / quantity

    def to_event(self) -> dict[str, Any]:
        """The `order_result` event payload (JSON-ready apart from Decimals and datetimes)."""
        result = self.result
        request = result.request
        fills = result.fills
        if fills:
            filled = sum((fill.quantity for fill in fills), ZERO)
            fees = sum((fill.fee_in_quote for fill in fills), ZERO)
            average = sum((fill.notional for fill in fills), ZERO) / filled if filled else None
            simulated = any(fill.simulated for fill in fills)
        else:  # what the properties give for no fill
            filled, fees, average, simulated = ZERO, ZERO, None, False
        return {
            "client_order_id": request.client_order_id,
            "order_id": result.order_id,
            "symbol": str(request.symbol),
            "side": request.side._value_,
            "order_type": request.order_type._value_,
            "quantity": request.quantity,
            "limit_price": request.limit_price,
            "reference_price": self.reference_price,
            "status": result.status._value_,
            "ack_status": self.ack_status._value_ if self.ack_status else None,
            "reason": result.reason._value_ if result.reason else None,
            "message": result.message,
            "reached_exchange": self.reached_exchange,
            "final": self.final,
            "filled_quantity": filled,
            "average_price": average,
            "fees": fees,
            "simulated": simulated,
            "risk_violations": list(self.risk_violations),
            **self.context.fields(),
        }


@attrs.define
class OrderCounters:
    """Counts of what happened to orders; only the OrderRecorder changes them."""

    submitted: int = 0  # reached ExchangePort.submit_order
    validated: int = 0
    accepted: int = 0
    filled: int = 0
    rejected: int = 0  # by the venue or by the instrument rules before sending
    risk_blocked: int = 0
    unknown: int = 0
    simulated_fills: int = 0
    real_fills: int = 0

    def count(self, ack: AckStatus | None, status: ExecutionStatus, *, final: bool) -> None:
        """Count one recorded outcome: the venue's acknowledgement, then the final status."""
        if ack is AckStatus.VALIDATED:
            self.validated += 1
        elif ack is AckStatus.ACCEPTED:
            self.accepted += 1
        elif ack is AckStatus.UNKNOWN:
            self.unknown += 1
        if final:
            self.count_final(status)

    def count_final(self, status: ExecutionStatus) -> None:
        """Count a final outcome (statuses counted at acknowledgement are not counted again)."""
        if status is ExecutionStatus.FILLED:
            self.filled += 1
        elif status is ExecutionStatus.REJECTED:
            self.rejected += 1
        elif status is ExecutionStatus.RISK_BLOCKED:
            self.risk_blocked += 1
