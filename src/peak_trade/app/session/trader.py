"""SessionTrader: turns a target position into sized orders and runs them through the executor."""

from __future__ import annotations

import logging
from decimal import Decimal

from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.domain.ids import client_order_id
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import ExecutionStatus, OrderRequest
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.sizing import plan_orders
from peak_trade.ports.events import EventLogPort, EventType

_log = logging.getLogger(__name__)
_DONE = (ExecutionStatus.VALIDATED, ExecutionStatus.FILLED)


class SessionTrader:
    """Sizes from current equity x position_fraction; logs skipped legs; flips close first."""

    def __init__(
        self,
        *,
        executor: TestnetExchangeOrderExecutor,
        portfolio: Portfolio,
        event_log: EventLogPort,
        position_fraction: Decimal,
    ) -> None:
        self._executor = executor
        self._portfolio = portfolio
        self._events = event_log
        self._fraction = position_fraction
        self._order_seq = 0
        self.last_block_reason = ""

    def trade_towards(self, target: Decimal, price: Decimal, rules: InstrumentRules) -> None:
        """Send the legs that move the position to `target` at about `price`."""
        symbol = rules.symbol
        plan = plan_orders(
            target=target,
            current_quantity=self._portfolio.quantity(symbol),
            equity=self._portfolio.equity,
            price=price,
            position_fraction=self._fraction,
            rules=rules,
        )
        for skip in plan.skipped:
            _log.info("order skipped: %s", skip.message)
            self._events.append(
                EventType.RISK_DECISION,
                {
                    "allowed": False,
                    "stage": "sizing",
                    "intent": skip.intent,
                    "reason": skip.reason.value,
                    "message": skip.message,
                },
                durable=False,  # no order exists: flushed now, on disk with the next fsync
            )
        for leg in plan.orders:
            self._order_seq += 1
            request = OrderRequest(
                symbol=symbol,
                side=leg.side,
                quantity=leg.quantity,
                client_order_id=client_order_id(self._events.run_id, self._order_seq),
            )
            result = self._executor.execute(request)
            if result.status is ExecutionStatus.RISK_BLOCKED:
                self.last_block_reason = result.message
            if result.status not in _DONE:
                break  # a flip never opens the new side unless the close went through
