"""SessionTrader: a symbol's target position becomes sized orders through the executor.

A target whose orders were refused (by the risk limits, a sizing minimum or the venue) is not
sent again on every candle: it waits for the strategy's next signal, i.e. its next change of
target (one block per signal; a target that comes back later, 1 -> 0 -> 1, is a new signal and
is tried again). Flips close first and open the new side only once the close went through.
A position the venue cannot trade (dust, see domain/sizing.py) counts as flat here.

An order whose submission failed (the executor raised: nothing was placed) is tried again at the
next chance under the same client order id; nothing is sent on a symbol while an order there
has an unknown outcome. Auth errors and unknown symbols are fatal and raised.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.session.book import SymbolBook
from peak_trade.domain.decimals import ZERO
from peak_trade.domain.ids import client_order_id
from peak_trade.domain.orders import (
    ExecutionStatus,
    OrderExecutionResult,
    OrderRequest,
    OrderSide,
    RejectReason,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.sizing import plan_orders, position_side, side_price_range
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeAuthError, ExchangeError, UnknownSymbolError
from peak_trade.ports.events import EventLogPort, EventType

_log = logging.getLogger(__name__)
_DONE = (ExecutionStatus.VALIDATED, ExecutionStatus.FILLED)
FLAT = ZERO
_FATAL = (ExchangeAuthError, UnknownSymbolError)


class SessionTrader:
    """Sizes from current equity x position_fraction per symbol; logs skipped legs once."""

    def __init__(
        self,
        *,
        executor: TestnetExchangeOrderExecutor,
        portfolio: Portfolio,
        event_log: EventLogPort,
        position_fraction: Decimal,
        first_order_number: int = 1,
    ) -> None:
        self._executor = executor
        self._portfolio = portfolio
        self._events = event_log
        self._fraction = position_fraction
        self._next_order = first_order_number
        self._retry: dict[Symbol, int] = {}  # order numbers to send again after a failed submit
        self._blocked_at: dict[Symbol, int] = {}  # the book's signal count when it was refused
        self.last_block: tuple[str, str] = ("", "")  # (symbol, reason) of the latest refusal

    @property
    def next_order_number(self) -> int:
        return self._next_order

    def continue_numbering(self, next_number: int) -> None:
        """Number new orders from `next_number` on (a resumed run never reuses a client order
        id of its earlier lives)."""
        self._next_order = max(self._next_order, next_number)

    def wants_orders(self, book: SymbolBook) -> bool:
        """Whether the book's target differs from its position (dust is flat) and was not
        refused already for the same signal."""
        target = book.target
        if target is None or self._refused(book, target):
            return False
        if self.side(book) == target:
            return False
        # an order there with an unknown outcome is settled first (the core's reconcile)
        return not self._executor.has_unresolved(book.symbol)

    def calm_prices(self, book: SymbolBook) -> tuple[Decimal | None, Decimal | None] | None:
        """None when the book wants orders now; else the mark prices (low, high; None: no
        bound) within which `wants_orders` keeps saying no while the book's target and
        position stand and no order has an unknown outcome: only the price can move a
        position across the venue's minimum cost (dust, or back)."""
        if self.wants_orders(book):
            return None
        target = book.target
        quantity = self._portfolio.quantity(book.symbol)
        if target is None or quantity == 0 or book.rules is None or self._refused(book, target):
            return None, None
        price = self._portfolio.mark_price(book.symbol)
        if price is None:
            return None
        return side_price_range(quantity, book.rules, price)

    def side(self, book: SymbolBook) -> Decimal:
        """-1, 0 or 1: the book's position as far as trading goes (dust counts as flat)."""
        quantity = self._portfolio.quantity(book.symbol)
        if quantity == 0:
            return ZERO
        if book.rules is None:
            return Decimal(1) if quantity > 0 else Decimal(-1)
        return position_side(quantity, book.rules, self._portfolio.mark_price(book.symbol))

    def _refused(self, book: SymbolBook, target: Decimal) -> bool:
        return (
            target == book.blocked_target
            and self._blocked_at.get(book.symbol, book.signals) == book.signals
        )

    def _block(self, book: SymbolBook, goal: Decimal) -> None:
        book.blocked_target = goal
        self._blocked_at[book.symbol] = book.signals

    def trade_towards(
        self, book: SymbolBook, price: Decimal, *, target: Decimal | None = None, reason: str
    ) -> bool:
        """Send the legs that move the book's position to `target` (default: its strategy's
        target) at about `price`; True when the position reached it."""
        goal = book.target if target is None else target
        if goal is None or book.rules is None:
            return False
        plan = plan_orders(
            target=goal,
            current_quantity=self._portfolio.quantity(book.symbol),
            equity=self._portfolio.equity,
            price=price,
            position_fraction=self._fraction,
            rules=book.rules,
        )
        for skip in plan.skipped:
            _log.info("%s: order skipped: %s", book.symbol, skip.message)
            self.last_block = (str(book.symbol), skip.message)
            self._events.append(
                EventType.RISK_DECISION,
                {
                    "symbol": str(book.symbol),
                    "allowed": False,
                    "stage": "sizing",
                    "intent": skip.intent,
                    "target": goal,
                    "reason": skip.reason.value,
                    "message": skip.message,
                },
                durable=False,  # no order exists: flushed now, on disk with the next fsync
            )
        for leg in plan.orders:
            result = self._send(book, leg.side, leg.quantity, leg.intent, reason)
            if result is None:
                return False  # the submission failed; tried again next time, same order id
            if result.status not in _DONE:
                if result.status is ExecutionStatus.RISK_BLOCKED or (
                    result.status is ExecutionStatus.REJECTED
                    and result.reason is not RejectReason.UNRESOLVED_ORDER
                ):  # an order waiting for an unknown one is tried again once that resolves
                    self.last_block = (str(book.symbol), result.message)
                    self._block(book, goal)
                return False  # a flip never opens the new side unless the close went through
        if plan.skipped:
            self._block(book, goal)
            return False
        book.blocked_target = None
        return True

    def _send(
        self, book: SymbolBook, side: OrderSide, quantity: Decimal, intent: str, reason: str
    ) -> OrderExecutionResult | None:
        """Execute one leg; None when its submission failed (logged by the executor)."""
        number = self._retry.pop(book.symbol, None)
        if number is None:
            number = self._next_order
            self._next_order += 1
        request = OrderRequest(
            symbol=book.symbol,
            side=side,
            quantity=quantity,
            client_order_id=client_order_id(self._events.run_id, number),
        )
        try:
            return self._executor.execute(request, intent=intent, reason=reason, number=number)
        except _FATAL:
            raise
        except ExchangeError:
            self._retry[book.symbol] = number  # nothing was placed: same id next time
            return None
