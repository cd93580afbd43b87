"""PendingOrders: orders whose outcome is UNKNOWN, and when to look each one up again.

An UNKNOWN order may have executed: it is never sent again. It is looked up by client order id
at once, then with exponential backoff (1 s, 2 s, 4 s ... at most `max_delay_seconds`) on the
session clock. A lookup that finds it ends the wait (the order is booked and followed). A lookup
that does not is conclusive only once the resolution window since the send has passed — venues
apply orders late — and the last lookup is scheduled at that moment, so an order missing then
was never placed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from peak_trade.app.orders.execution_log import OrderContext
from peak_trade.domain.orders import OrderRequest
from peak_trade.domain.symbols import Symbol


@attrs.frozen(kw_only=True)
class ResolutionPolicy:
    """How long a missing UNKNOWN order may still appear, and how often to look."""

    window_seconds: float
    first_delay_seconds: float = 1.0
    max_delay_seconds: float = 30.0

    def __attrs_post_init__(self) -> None:
        if self.window_seconds < 0:
            raise ValueError(f"resolution window must be >= 0, got {self.window_seconds}")
        if not 0 < self.first_delay_seconds <= self.max_delay_seconds:
            raise ValueError("need 0 < first_delay_seconds <= max_delay_seconds")


@attrs.define(kw_only=True)
class PendingOrder:
    """One UNKNOWN order: why it exists and its lookup schedule (monotonic seconds)."""

    order: OrderRequest
    reference: Decimal | None
    context: OrderContext
    since: float  # when the wait began (the answer to submit_order, or the adoption)
    conclusive_at: float  # from then on, "not found" means never placed
    due_at: float  # the next lookup
    delay: float  # the backoff step after the next lookup
    lookups: int = 0
    booked_trade_ids: frozenset[str] = frozenset()  # fills an earlier life booked already

    @property
    def symbol(self) -> Symbol:
        return self.order.symbol


class PendingOrders:
    """The session's UNKNOWN orders by client order id; `len()` is O(1)."""

    def __init__(self, policy: ResolutionPolicy) -> None:
        self.policy = policy
        self._orders: dict[str, PendingOrder] = {}

    def __len__(self) -> int:
        return len(self._orders)

    @property
    def by_client_id(self) -> Mapping[str, PendingOrder]:
        """The pending orders by client order id (a live read-only view: empty is falsy)."""
        return self._orders

    def __iter__(self) -> Iterator[PendingOrder]:
        return iter(tuple(self._orders.values()))

    def add(
        self,
        order: OrderRequest,
        reference: Decimal | None,
        context: OrderContext,
        *,
        now: float,
        elapsed: float = 0.0,
        booked_trade_ids: frozenset[str] = frozenset(),
    ) -> PendingOrder:
        """Start waiting for `order` (sent `elapsed` seconds ago); its first lookup is due now."""
        pending = PendingOrder(
            order=order,
            reference=reference,
            context=context,
            since=now,
            conclusive_at=now + max(0.0, self.policy.window_seconds - elapsed),
            due_at=now,
            delay=self.policy.first_delay_seconds,
            booked_trade_ids=booked_trade_ids,
        )
        self._orders[order.client_order_id] = pending
        return pending

    def on_symbol(self, symbol: Symbol) -> PendingOrder | None:
        """An unresolved order on `symbol` (it blocks new orders there), if any."""
        if not self._orders:
            return None
        return next((p for p in self._orders.values() if p.symbol == symbol), None)

    def due(self, now: float) -> list[PendingOrder]:
        """The orders whose next lookup is due at `now`, oldest first."""
        return [p for p in self._orders.values() if p.due_at <= now]

    def missed(self, pending: PendingOrder, now: float) -> bool:
        """A lookup did not find `pending` at `now`: True (and dropped) when that is conclusive,
        else False with the next lookup scheduled."""
        pending.lookups += 1
        if now >= pending.conclusive_at:
            self.remove(pending)
            return True
        self._schedule(pending, now)
        return False

    def failed(self, pending: PendingOrder, now: float) -> None:
        """A lookup raised: look again later (an error never proves anything)."""
        pending.lookups += 1
        self._schedule(pending, now)

    def remove(self, pending: PendingOrder) -> None:
        self._orders.pop(pending.order.client_order_id, None)

    def _schedule(self, pending: PendingOrder, now: float) -> None:
        wake = now + pending.delay
        if now < pending.conclusive_at:
            wake = min(wake, pending.conclusive_at)  # one lookup right when it becomes conclusive
        pending.due_at = wake
        pending.delay = min(pending.delay * 2, self.policy.max_delay_seconds)
