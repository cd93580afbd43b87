"""Follow an order live on a venue: poll status and fills until terminal or a timeout."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from peak_trade.domain.orders import ExecutionStatus, Fill, OrderState, OrderStatus
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeUnavailableError, RateLimitedError
from peak_trade.ports.exchange import ExchangePort

_STATUS = {
    OrderStatus.OPEN: ExecutionStatus.OPEN,
    OrderStatus.PARTIALLY_FILLED: ExecutionStatus.PARTIALLY_FILLED,
    OrderStatus.FILLED: ExecutionStatus.FILLED,
    OrderStatus.CANCELLED: ExecutionStatus.CANCELLED,
    OrderStatus.EXPIRED: ExecutionStatus.EXPIRED,
    OrderStatus.REJECTED: ExecutionStatus.REJECTED,
}


@attrs.frozen(kw_only=True)
class FollowOutcome:
    """Where the order ended up and the fills booked while following it."""

    status: ExecutionStatus
    fills: tuple[Fill, ...]
    message: str = ""


def follow_order(
    exchange: ExchangePort,
    clock: ClockPort,
    symbol: Symbol,
    order_id: str,
    *,
    timeout_seconds: float,
    poll_seconds: float,
    on_fill: Callable[[Fill], None],
) -> FollowOutcome:
    """Poll order_status/fills through the clock, handing every new fill to `on_fill` once.

    Transient errors (unavailable, rate limited) are retried until the timeout. An order still
    working when the timeout ends is cancelled so the ledger and the venue stay in step.
    """
    deadline = clock.monotonic() + timeout_seconds
    seen: set[str] = set()
    booked: list[Fill] = []
    state: OrderState | None = None
    message = ""

    def collect() -> None:
        for fill in exchange.fills(symbol, order_id):
            if fill.trade_id not in seen:
                seen.add(fill.trade_id)
                booked.append(fill)
                on_fill(fill)

    while True:
        try:
            state = exchange.order_status(symbol, order_id)
            collect()
        except (ExchangeUnavailableError, RateLimitedError) as exc:
            message = f"follow-up retrying after {type(exc).__name__}: {exc}"
        else:
            if state.status.terminal:
                break
        if clock.monotonic() >= deadline:
            try:
                state = exchange.cancel_order(symbol, order_id)
                collect()
                message = f"still working after {timeout_seconds:g} s; cancelled"
            except (ExchangeUnavailableError, RateLimitedError) as exc:
                message = f"still working after {timeout_seconds:g} s; cancel failed: {exc}"
            break
        clock.sleep(poll_seconds)
    if state is None:
        return FollowOutcome(status=ExecutionStatus.UNKNOWN, fills=tuple(booked), message=message)
    status = _STATUS[state.status]
    if status is ExecutionStatus.CANCELLED and booked:
        status = ExecutionStatus.PARTIALLY_FILLED
    return FollowOutcome(status=status, fills=tuple(booked), message=message or state.reason)
