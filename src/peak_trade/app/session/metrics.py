"""TestnetSessionMetrics: a snapshot of a session's counters and its ledger, and the summary."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.app.orders.execution_log import OrderCounters
from peak_trade.app.session.book import SymbolBook
from peak_trade.domain.decimals import ZERO
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.sizing import dust_quantity
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingState


class SessionStatus(enum.Enum):
    """The run's status in summary.json."""

    RUNNING = "running"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    HALTED = "halted"
    FAILED = "failed"


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
    positions: Mapping[Symbol, Decimal]
    last_candle_time: datetime | None
    trading_state: TradingState
    halt_reason: str = ""

    @property
    def position(self) -> Decimal:
        """The position of a single-symbol session (the first symbol's)."""
        return next(iter(self.positions.values()), ZERO)

    @classmethod
    def capture(
        cls,
        *,
        steps: int,
        books: Mapping[Symbol, SymbolBook],
        orders: OrderCounters,
        portfolio: Portfolio,
        exchange_errors: int,
        trading_state: TradingState,
        halt_reason: str,
    ) -> TestnetSessionMetrics:
        """Snapshot the counters and the ledger."""
        times = [b.last_candle_time for b in books.values() if b.last_candle_time is not None]
        return cls(
            steps=steps,
            candles_processed=sum(b.candles for b in books.values()),
            signals=sum(b.signals for b in books.values()),
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
            positions={symbol: portfolio.quantity(symbol) for symbol in books},
            last_candle_time=max(times) if times else None,
            trading_state=trading_state,
            halt_reason=halt_reason,
        )


def symbol_summary(
    book: SymbolBook, orders: OrderCounters | None, portfolio: Portfolio
) -> dict[str, Any]:
    """One symbol's figures for summary.json `symbols` (money in its quote currency)."""
    symbol = book.symbol
    counts = orders or OrderCounters()
    position = portfolio.position(symbol)
    mark = portfolio.mark_price(symbol)
    quantity = position.quantity if position else ZERO
    dust = dust_quantity(quantity, book.rules, mark) if book.rules and quantity else ZERO
    return {
        "quote_currency": symbol.quote,
        "candles": book.candles,
        "signals": book.signals,
        "orders_submitted": counts.submitted,
        "orders_filled": counts.filled,
        "orders_rejected": counts.rejected,
        "orders_risk_blocked": counts.risk_blocked,
        "fills": counts.simulated_fills + counts.real_fills,
        "position": quantity,
        "dust": dust,  # part of the position the venue cannot trade (it counts as flat)
        "average_price": position.average_price if position else None,
        "mark_price": mark,
        "realized_pnl": portfolio.realized_by_symbol.get(symbol, ZERO),
        "unrealized_pnl": position.unrealized_pnl(mark) if position and mark else ZERO,
        "fees_paid": portfolio.fees_by_symbol.get(symbol, ZERO),
        "last_candle_time": book.last_candle_time,
        "target": book.target,
    }


def build_summary(
    *,
    run_id: str,
    status: SessionStatus,
    started_at: datetime,
    ended_at: datetime | None,
    metrics: TestnetSessionMetrics,
    portfolio: Portfolio,
    symbols: Mapping[str, Mapping[str, Any]],
    lives: list[dict[str, Any]],
    error: str = "",
) -> dict[str, Any]:
    """summary.json as docs/run-log.md lists it (totals in the portfolio's currency)."""
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
        "base_currency": portfolio.base_currency,
        "fees_paid": metrics.fees_paid,
        "realized_pnl": metrics.realized_pnl,
        "unrealized_pnl": metrics.unrealized_pnl,
        "start_equity": metrics.start_equity,
        "end_equity": metrics.equity,
        "max_drawdown_pct": metrics.max_drawdown_pct,
        "positions": positions,
        "symbols": dict(symbols),
        "simulated_fills": metrics.simulated_fill_count > 0,
        "trading_state": metrics.trading_state.value,
        "halt_reason": metrics.halt_reason,
        "lives": lives,
        "error": error,
    }
