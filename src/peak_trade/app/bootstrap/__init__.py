"""The composition root: the one place that chooses adapters and wires them.

Two ways to a session:
- `build_testnet_session(config, plan, environ=...)`: the config-driven path the CLI uses;
- `build_session(exchange=... | replay_files=..., strategy=..., symbols=..., ...)`: for another
  Peak_Trade tool, without a TOML file or CLI strings.
The other entry points (monitor, dashboard, data) get their adapters here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dependency_injector import providers

from peak_trade.app.bootstrap.container import (
    SessionContainer,
    build_alert_engine,
    build_alert_sinks,
    run_dir_of,
)
from peak_trade.app.bootstrap.embedding import build_session
from peak_trade.app.bootstrap.tools import (
    create_testnet_executor_from_config,
    market_data_exchange,
    open_run_monitor,
    venue_exchange,
    write_candle_file,
    write_synthetic_file,
)
from peak_trade.app.config import AppConfig
from peak_trade.app.plan import SessionPlan
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.app.session.session import TestnetSession
from peak_trade.app.session.stop import StopRequest
from peak_trade.domain.environment import Venue

__all__ = [
    "SessionContainer",
    "build_alert_engine",
    "build_alert_sinks",
    "build_session",
    "build_testnet_session",
    "check_wiring",
    "create_testnet_executor_from_config",
    "market_data_exchange",
    "open_run_monitor",
    "run_dir_of",
    "venue_exchange",
    "write_candle_file",
    "write_synthetic_file",
]


def build_testnet_session(
    config: AppConfig,
    plan: SessionPlan,
    *,
    environ: Mapping[str, str],
    stop: StopRequest | None = None,
    on_step: Callable[[TestnetSessionMetrics], None] | None = None,
) -> TestnetSession:
    """A ready-to-run TestnetSession wired by the container (guards run while it is built)."""
    container = SessionContainer(config=config, plan=plan, environ=environ)
    if stop is not None:
        container.stop.override(providers.Object(stop))
    if on_step is not None:
        container.on_step.override(providers.Object(on_step))
    session: TestnetSession = container.session()
    return session


def check_wiring(
    config: AppConfig, plan: SessionPlan, environ: Mapping[str, str]
) -> tuple[Venue, list[tuple[str, Mapping[str, object]]]]:
    """Build the exchange, executor and strategies as a run would (their guards run) without
    any network call or file, and release them again: what `session --dry-run` reports.
    Returns the venue and each symbol's strategy name and parameters."""
    container = SessionContainer(config=config, plan=plan, environ=environ)
    exchange = container.exchange()
    try:
        container.executor()  # environment and venue guards run here
        books = container.books()
        return exchange.venue, [(str(b.symbol), dict(b.strategy.params)) for b in books]
    finally:
        exchange.close()
