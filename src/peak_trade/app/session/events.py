"""Event payloads and alert observations the session writes and evaluates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from peak_trade.app.session.book import SymbolBook
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.environment import Venue
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.domain.trading_state import TradingState
from peak_trade.ports.alerts import Alert, SessionObservation


def started_payload(
    books: Mapping[Symbol, SymbolBook], venue: Venue, portfolio: Portfolio
) -> dict[str, Any]:
    """The `session_started` event: what runs where, and the equity it starts from."""
    first = next(iter(books.values()))
    return {
        "symbols": [str(symbol) for symbol in books],
        "symbol": str(first.symbol),
        "timeframe": first.timeframe.label,
        "strategy": first.strategy.name,
        "params": dict(first.strategy.params),
        "params_by_symbol": {str(s): dict(b.strategy.params) for s, b in books.items()},
        "venue": venue.name,
        "validate_only": venue.validate_only,
        "start_equity": portfolio.start_equity,
        "base_currency": portfolio.base_currency,
        "life": 1,
    }


def signal_payload(
    strategy: Strategy, candle: Candle, target: Decimal, previous: Decimal | None
) -> dict[str, Any]:
    """A `signal` event: the strategy's target position changed on this candle."""
    return {
        "symbol": str(candle.symbol),
        "strategy": strategy.name,
        "candle_time": candle.open_time,
        "close": candle.close,
        "target": target,
        "previous_target": previous,
    }


def candle_payload(candle: Candle) -> dict[str, Any]:
    """A `candle` event: one closed candle as fed to the strategy, already JSON-ready.

    One per candle, so it is formatted here exactly as the run log would format it (plain
    decimal strings, ISO times) and the writer passes it through without converting.
    """
    return {
        "symbol": str(candle.symbol),
        "open_time": isoformat_utc(candle.open_time),
        "open": format_decimal(candle.open),
        "high": format_decimal(candle.high),
        "low": format_decimal(candle.low),
        "close": format_decimal(candle.close),
        "volume": format_decimal(candle.volume),
    }


def heartbeat_payload(
    m: TestnetSessionMetrics, portfolio: Portfolio, books: Mapping[Symbol, SymbolBook]
) -> dict[str, Any]:
    """A `heartbeat` event: where the session stands, and each symbol's price range since the
    previous heartbeat (`bars`: a replay's price record, as it writes no `candle` events)."""
    bars = {}
    for symbol, book in books.items():
        bar = book.bar.take()
        if bar is not None:
            bars[str(symbol)] = bar
    return {
        "step": m.steps,
        "candles_processed": m.candles_processed,
        "equity": m.equity,
        "cash": portfolio.cash,
        "position": m.position,
        "positions": {str(s): q for s, q in m.positions.items()},
        "marks": {str(s): portfolio.mark_price(s) for s in books},
        "realized_pnl": m.realized_pnl,
        "unrealized_pnl": m.unrealized_pnl,
        "fees_paid": m.fees_paid,
        "drawdown_pct": portfolio.drawdown_pct,
        "exchange_errors": m.exchange_errors,
        "trading_state": m.trading_state.value,
        "last_candle_time": m.last_candle_time,
        "bars": bars,
    }


def alert_payload(alert: Alert) -> dict[str, Any]:
    """An `alert` event: a fired alert as the engine returned it."""
    return {
        "level": str(alert.level),
        "rule": alert.rule,
        "message": alert.message,
        "context": dict(alert.context),
    }


def observation(
    *,
    now: datetime,
    portfolio: Portfolio,
    last_candle_time: datetime | None,
    trading_state: TradingState,
    halt_reason: str,
    risk_blocked_total: int,
    consecutive_errors: int,
    timeframe_seconds: int,
    last_block: tuple[str, str],
    stale_symbol: str = "",
    failed: bool = False,
    failure: str = "",
    venue_resets: int = 0,
    last_venue_reset: str = "",
) -> SessionObservation:
    """What the alert rules see after a step; every figure comes from the ledger."""
    return SessionObservation(
        now=now,
        equity=portfolio.equity,
        start_equity=portfolio.start_equity,
        peak_equity=portfolio.peak_equity,
        daily_pnl=portfolio.daily_pnl,
        drawdown_pct=portfolio.drawdown_pct,
        consecutive_exchange_errors=consecutive_errors,
        last_closed_candle_time=last_candle_time,
        timeframe_seconds=timeframe_seconds,
        trading_state=trading_state.value,
        base_currency=portfolio.base_currency,
        halt_reason=halt_reason,
        risk_blocked_total=risk_blocked_total,
        last_risk_block_reason=last_block[1],
        last_risk_block_symbol=last_block[0],
        stale_symbol=stale_symbol,
        session_failed=failed,
        failure_message=failure,
        venue_resets=venue_resets,
        last_venue_reset=last_venue_reset,
    )
