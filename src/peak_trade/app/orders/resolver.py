"""UnknownOrderResolver: settles orders whose outcome is UNKNOWN without ever resending them.

Each one is looked up by client order id (`find_order`) at once and then with backoff on the
session clock, whenever `reconcile` finds a lookup due — the trading core calls it every step,
so resolution never waits for a new order to be attempted. Found: the order is booked and
followed to its fills. Still missing once the resolution window since the send has passed: it
was never placed (a final `order_result`, status `rejected`). A lookup that raises proves
nothing and is tried again later; a venue pause (Retry-After) defers every lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal

from peak_trade.app.orders.execution_log import OrderContext
from peak_trade.app.orders.pending import PendingOrder, PendingOrders, ResolutionPolicy
from peak_trade.app.orders.recorder import OrderRecorder
from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.domain.orders import (
    ExecutionStatus,
    OrderAck,
    OrderExecutionResult,
    OrderRequest,
    RejectReason,
)
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeAuthError, ExchangeError
from peak_trade.ports.exchange import ExchangePort, UnknownOutcomeHorizon

_log = logging.getLogger(__name__)

Follow = Callable[[OrderRequest, Decimal | None, str, frozenset[str]], OrderExecutionResult]


def resolution_window(exchange: ExchangePort, configured_seconds: float) -> float:
    """How long after an UNKNOWN send a missing order may still appear: the venue's own bound
    when it documents one (UnknownOutcomeHorizon, e.g. Binance's recvWindow + 5 s), else the
    configured `unknown_order_resolution_seconds`."""
    if isinstance(exchange, UnknownOutcomeHorizon):
        return float(exchange.unknown_outcome_horizon_seconds)
    return configured_seconds


class UnknownOrderResolver:
    """The UNKNOWN orders of one executor and their lookups."""

    def __init__(
        self,
        *,
        exchange: ExchangePort,
        clock: ClockPort,
        recorder: OrderRecorder,
        pause: VenuePause,
        policy: ResolutionPolicy,
        follow: Follow,
        on_settled: Callable[[bool, str], None],
    ) -> None:
        self._exchange = exchange
        self._clock = clock
        self._recorder = recorder
        self._pause = pause
        self._pending = PendingOrders(policy)
        self._follow = follow
        self._on_settled = on_settled  # (found, what): found ends a failure streak, absent adds

    @property
    def window_seconds(self) -> float:
        return self._pending.policy.window_seconds

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> Mapping[str, PendingOrder]:
        """The unresolved orders by client order id (live view; falsy when there are none)."""
        return self._pending.by_client_id

    def orders(self) -> tuple[OrderRequest, ...]:
        return tuple(p.order for p in self._pending)

    def blocking(self, symbol: Symbol) -> OrderRequest | None:
        """The unresolved order on `symbol` that keeps new orders there from going out."""
        pending = self._pending.on_symbol(symbol)
        return pending.order if pending is not None else None

    def unknown(
        self, order: OrderRequest, reference: Decimal, ack: OrderAck
    ) -> OrderExecutionResult:
        """submit_order answered UNKNOWN: record that (non-final) and start resolving; the
        order's result so far (its final one if the first lookup settled it)."""
        unknown = OrderExecutionResult(
            request=order,
            status=ExecutionStatus.UNKNOWN,
            reason=ack.reason,
            message=ack.message or "sent, outcome unknown; resolving by client order id",
            order_id=ack.order_id,
        )
        self._recorder.record(unknown, reference, ack.status, final=False)
        context = self._recorder.context(order)
        return self._wait_for(order, reference, context) or unknown

    def _wait_for(
        self,
        order: OrderRequest,
        reference: Decimal | None,
        context: OrderContext,
        *,
        elapsed: float = 0.0,
    ) -> OrderExecutionResult | None:
        """Start resolving `order` (sent `elapsed` seconds ago) with a first lookup now unless
        the venue is paused; its final result when that lookup settled it, else None."""
        pending = self._pending.add(
            order, reference, context, now=self._clock.monotonic(), elapsed=elapsed
        )
        if self._pause.remaining() > 0:
            return None
        return self._look_up(pending)

    def adopt(
        self,
        order: OrderRequest,
        reference: Decimal | None,
        context: OrderContext,
        *,
        elapsed: float,
        booked_trade_ids: frozenset[str] = frozenset(),
    ) -> None:
        """Take over an order of an earlier life of the run whose outcome is not known: a
        non-final `order_result` (unknown) now, the first lookup at the next `reconcile`.
        `booked_trade_ids` are its fills the earlier life booked already (not booked again)."""
        self._recorder.begin(order, context)
        adopted = OrderExecutionResult(
            request=order,
            status=ExecutionStatus.UNKNOWN,
            message="outcome unknown (taken over from an earlier life of the run); "
            "resolving by client order id",
        )
        self._recorder.record(adopted, reference, None, final=False)
        self._pending.add(
            order,
            reference,
            context,
            now=self._clock.monotonic(),
            elapsed=elapsed,
            booked_trade_ids=booked_trade_ids,
        )

    def reconcile(self) -> tuple[OrderExecutionResult, ...]:
        """Look up every order whose lookup is due; O(1) when none is pending."""
        if not self._pending or self._pause.remaining() > 0:
            return ()
        results = []
        for pending in self._pending.due(self._clock.monotonic()):
            if self._pause.remaining() > 0:
                break
            result = self._look_up(pending)
            if result is not None:
                results.append(result)
        return tuple(results)

    def settle_symbol(self, symbol: Symbol) -> None:
        """Look up the order blocking `symbol` if its lookup is due (before a new order)."""
        pending = self._pending.on_symbol(symbol)
        if pending is None or pending.due_at > self._clock.monotonic():
            return
        if self._pause.remaining() <= 0:
            self._look_up(pending)

    def _look_up(self, pending: PendingOrder) -> OrderExecutionResult | None:
        order = pending.order
        try:
            state = self._exchange.find_order(order.symbol, order.client_order_id)
        except ExchangeAuthError:
            raise
        except ExchangeError as exc:
            self._pause.note(exc)
            self._pending.failed(pending, self._clock.monotonic())
            _log.warning(
                "%s: looking up order %s (outcome unknown) failed: %s; trying again in %.0f s",
                order.symbol,
                order.client_order_id,
                exc,
                pending.due_at - self._clock.monotonic(),
            )
            return None
        now = self._clock.monotonic()
        if state is None:
            if not self._pending.missed(pending, now):
                return None
            result = OrderExecutionResult(
                request=order,
                status=ExecutionStatus.REJECTED,
                reason=RejectReason.VENUE_REJECTED,
                message=(
                    f"the venue has no order with this client order id after {pending.lookups} "
                    f"lookups over {now - pending.since:.0f} s: it was never placed"
                ),
            )
            self._recorder.record(result, pending.reference, None)
            self._on_settled(False, f"order {order.client_order_id} was never placed")
            return result
        self._pending.remove(pending)
        self._on_settled(True, "")
        self._recorder.found(order, state.order_id)
        return self._follow(order, pending.reference, state.order_id, pending.booked_trade_ids)
