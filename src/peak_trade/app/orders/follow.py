"""Follow an order live on a venue: poll status and fills until terminal or a timeout."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.domain.orders import ExecutionStatus, Fill, OrderState, OrderStatus
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeAuthError, ExchangeError
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
    """Where the order ended up and every fill it has (see follow_order)."""

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
    pause: VenuePause | None = None,
    booked_trade_ids: frozenset[str] = frozenset(),
) -> FollowOutcome:
    """Poll order_status/fills through the clock, handing every new fill to `on_fill` once.

    The outcome carries every fill of the order, `booked_trade_ids` included (an order a
    resumed run adopted shows its whole fill in its `order_result`); only the others are
    handed to `on_fill`.

    Failed reads (unavailable, rate limited, garbled, not visible yet) are retried until the
    timeout; a Retry-After is waited out (and noted in `pause`, so nothing else asks the venue
    meanwhile). Only auth errors are raised. An order still working when the timeout ends is
    cancelled so the ledger and the venue stay in step.
    """
    deadline = clock.monotonic() + timeout_seconds
    seen: set[str] = set(booked_trade_ids)  # booked before (a resumed run's earlier life)
    every: dict[str, Fill] = {}  # every fill of the order, by trade id, in the venue's order
    state: OrderState | None = None
    message = ""

    def collect() -> None:
        for fill in exchange.fills(symbol, order_id):
            every.setdefault(fill.trade_id, fill)
            if fill.trade_id not in seen:
                seen.add(fill.trade_id)
                on_fill(fill)

    while True:
        wait = poll_seconds
        try:
            state = exchange.order_status(symbol, order_id)
            collect()
        except ExchangeAuthError:
            raise
        except ExchangeError as exc:
            message = f"follow-up retrying after {type(exc).__name__}: {exc}"
            if pause is not None and pause.note(exc):
                wait = max(poll_seconds, pause.remaining())
        else:
            if state.status.terminal:
                break
        now = clock.monotonic()
        if now >= deadline:
            try:
                state = exchange.cancel_order(symbol, order_id)
                collect()
                message = f"still working after {timeout_seconds:g} s; cancelled"
            except ExchangeAuthError:
                raise
            except ExchangeError as exc:
                message = f"still working after {timeout_seconds:g} s; cancel failed: {exc}"
            break
        clock.sleep(min(wait, deadline - now))
    fills = tuple(every.values())
    if state is None:
        return FollowOutcome(status=ExecutionStatus.UNKNOWN, fills=fills, message=message)
    status = _STATUS[state.status]
    if status is ExecutionStatus.CANCELLED and fills:
        status = ExecutionStatus.PARTIALLY_FILLED
    return FollowOutcome(status=status, fills=fills, message=message or state.reason)
