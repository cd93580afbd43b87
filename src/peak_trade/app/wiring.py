"""Factories the container calls: adapters built from config and the session plan, and meta."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from peak_trade import __version__
from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.adapters.runlog.writer import NullEventLog, RunLogWriter
from peak_trade.app.config import AppConfig
from peak_trade.app.session_plan import SessionPlan
from peak_trade.domain.environment import Venue
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.exchange import ExchangePort


def make_replay_exchange(
    config: InMemoryExchangeConfig, clock: ClockPort, plan: SessionPlan
) -> InMemoryExchange:
    """The in-memory venue replaying the plan's candle file (streamed, never loaded whole)."""
    from peak_trade.adapters.in_memory.replay import iter_candles_csv

    if plan.replay_path is None:
        raise ValueError("the in_memory exchange needs a replay file")
    candles = iter_candles_csv(plan.replay_path, plan.session.symbol)
    return InMemoryExchange(
        config, clock, candles, symbol=plan.session.symbol, timeframe=plan.session.timeframe
    )


def make_kraken_exchange(
    config: KrakenTestnetConfig, clock: ClockPort, environ: Mapping[str, str]
) -> ExchangePort:
    """The Kraken adapter; credentials come from the variables config names."""
    from peak_trade.adapters.kraken.client import KrakenTestnetClient

    client: ExchangePort = KrakenTestnetClient(config, clock, environ=environ)
    return client


def open_event_log(plan: SessionPlan, clock: ClockPort) -> RunLogWriter | NullEventLog:
    """The run log for this plan; nothing on disk for --no-logging and --dry-run."""
    if plan.dry_run or not plan.logging_enabled:
        return NullEventLog(plan.run_id)
    return RunLogWriter(plan.log_dir, plan.run_id, clock)


def build_meta(
    *, config: AppConfig, plan: SessionPlan, venue: Venue, strategy: Strategy
) -> dict[str, Any]:
    """meta.json (design.md section 6) without started_at, which the session adds. No secrets."""
    session = plan.session
    return {
        "run_id": plan.run_id,
        "environment": config.environment.mode.value,
        "exchange": plan.exchange,
        "venue": {
            "name": venue.name,
            "host": venue.host,
            "production": venue.production,
            "validate_only": venue.validate_only,
        },
        "symbol": str(session.symbol),
        "timeframe": session.timeframe.label,
        "strategy": {"name": strategy.name, "params": dict(strategy.params)},
        "session": _fields(session),
        "risk_limits": _fields(config.live_risk),
        "replay": str(plan.replay_path) if plan.replay_path else None,
        "clock": plan.clock_kind,
        "max_steps": plan.max_steps,
        "duration_minutes": plan.duration_minutes,
        "package_version": __version__,
        "config_path": str(config.path),
        "config_sha256": config.sha256,
    }


def _fields(value: Any) -> dict[str, Any]:
    return {key: _plain(item) for key, item in attrs.asdict(value, recurse=False).items()}


def _plain(value: object) -> object:
    if isinstance(value, Timeframe):
        return value.label
    if isinstance(value, Symbol):
        return str(value)
    return value
