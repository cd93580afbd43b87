"""Event payloads and alert observations the session writes and evaluates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.environment import Venue
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.domain.trading_state import TradingState
from peak_trade.ports.alerts import Alert, SessionObservation


def started_payload(
    strategy: Strategy, venue: Venue, timeframe: Timeframe, portfolio: Portfolio, symbol: Symbol
) -> dict[str, Any]:
    """The `session_started` event: what runs where, and the equity it starts from."""
    return {
        "symbol": str(symbol),
        "timeframe": timeframe.label,
        "strategy": strategy.name,
        "params": dict(strategy.params),
        "venue": venue.name,
        "validate_only": venue.validate_only,
        "start_equity": portfolio.start_equity,
    }


def signal_payload(
    strategy: Strategy, candle: Candle, target: Decimal, previous: Decimal | None
) -> dict[str, Any]:
    """A `signal` event: the strategy's target position changed on this candle."""
    return {
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


def heartbeat_payload(m: TestnetSessionMetrics) -> dict[str, Any]:
    """A `heartbeat` event: where the session stands."""
    return {
        "step": m.steps,
        "candles_processed": m.candles_processed,
        "equity": m.equity,
        "position": m.position,
        "realized_pnl": m.realized_pnl,
        "unrealized_pnl": m.unrealized_pnl,
        "fees_paid": m.fees_paid,
        "exchange_errors": m.exchange_errors,
        "trading_state": m.trading_state.value,
        "last_candle_time": m.last_candle_time,
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
    last_block_reason: str,
    failed: bool = False,
    failure: str = "",
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
        halt_reason=halt_reason,
        risk_blocked_total=risk_blocked_total,
        last_risk_block_reason=last_block_reason,
        session_failed=failed,
        failure_message=failure,
    )
