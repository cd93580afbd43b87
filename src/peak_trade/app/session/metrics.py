"""TestnetSessionMetrics: a snapshot of a session's counters and its ledger, and the summary."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.app.orders.execution_log import OrderCounters
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingState


class SessionStatus(enum.Enum):
    """The run's status in summary.json."""

    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    HALTED = "halted"
    FAILED = "failed"


@attrs.define
class SessionCounters:
    """What the session loop counts itself (order counts come from the executor)."""

    steps: int = 0
    candles_processed: int = 0
    signals: int = 0


@attrs.frozen(kw_only=True)
class TestnetSessionMetrics:
    """Counters plus ledger figures at one moment; money figures come from the Portfolio."""

    __test__ = False  # not a pytest test class

    steps: int
    candles_processed: int
    signals: int
    orders_submitted: int
    orders_validated: int
    orders_accepted: int
    orders_filled: int
    orders_rejected: int
    orders_risk_blocked: int
    orders_unknown: int
    exchange_errors: int
    simulated_fill_count: int
    fees_paid: Decimal
    realized_pnl: Decimal
    unrealized_pnl: Decimal
    start_equity: Decimal
    equity: Decimal
    max_drawdown_pct: Decimal
    position: Decimal
    last_candle_time: datetime | None
    trading_state: TradingState
    halt_reason: str = ""

    @classmethod
    def capture(
        cls,
        *,
        counters: SessionCounters,
        orders: OrderCounters,
        portfolio: Portfolio,
        symbol: Symbol,
        exchange_errors: int,
        last_candle_time: datetime | None,
        trading_state: TradingState,
        halt_reason: str,
    ) -> TestnetSessionMetrics:
        """Snapshot the counters and the ledger."""
        return cls(
            steps=counters.steps,
            candles_processed=counters.candles_processed,
            signals=counters.signals,
            orders_submitted=orders.submitted,
            orders_validated=orders.validated,
            orders_accepted=orders.accepted,
            orders_filled=orders.filled,
            orders_rejected=orders.rejected,
            orders_risk_blocked=orders.risk_blocked,
            orders_unknown=orders.unknown,
            exchange_errors=exchange_errors,
            simulated_fill_count=orders.simulated_fills,
            fees_paid=portfolio.fees_paid,
            realized_pnl=portfolio.realized_pnl,
            unrealized_pnl=portfolio.unrealized_pnl,
            start_equity=portfolio.start_equity,
            equity=portfolio.equity,
            max_drawdown_pct=portfolio.max_drawdown_pct,
            position=portfolio.quantity(symbol),
            last_candle_time=last_candle_time,
            trading_state=trading_state,
            halt_reason=halt_reason,
        )


def build_summary(
    *,
    run_id: str,
    status: SessionStatus,
    started_at: datetime,
    ended_at: datetime | None,
    metrics: TestnetSessionMetrics,
    portfolio: Portfolio,
    error: str = "",
) -> dict[str, Any]:
    """summary.json as design.md section 6 lists it, plus halt_reason and error."""
    positions = {
        str(symbol): {
            "quantity": position.quantity,
            "average_price": position.average_price,
            "mark_price": portfolio.mark_price(symbol),
        }
        for symbol, position in sorted(portfolio.positions.items())
    }
    return {
        "run_id": run_id,
        "status": status.value,
        "started_at": started_at,
        "ended_at": ended_at,
        "steps": metrics.steps,
        "candles_processed": metrics.candles_processed,
        "signals": metrics.signals,
        "orders_submitted": metrics.orders_submitted,
        "orders_validated": metrics.orders_validated,
        "orders_accepted": metrics.orders_accepted,
        "orders_filled": metrics.orders_filled,
        "orders_rejected": metrics.orders_rejected,
        "orders_risk_blocked": metrics.orders_risk_blocked,
        "orders_unknown": metrics.orders_unknown,
        "exchange_errors": metrics.exchange_errors,
        "fees_paid": metrics.fees_paid,
        "realized_pnl": metrics.realized_pnl,
        "unrealized_pnl": metrics.unrealized_pnl,
        "start_equity": metrics.start_equity,
        "end_equity": metrics.equity,
        "max_drawdown_pct": metrics.max_drawdown_pct,
        "positions": positions,
        "simulated_fills": metrics.simulated_fill_count > 0,
        "trading_state": metrics.trading_state.value,
        "halt_reason": metrics.halt_reason,
        "error": error,
    }
