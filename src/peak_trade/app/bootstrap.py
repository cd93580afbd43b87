"""The composition root: the one place that chooses adapters and wires a session.

`SessionContainer` declares config -> clock -> exchange (built by the plan's venue registry entry)
-> risk limits -> executor -> strategy -> run log -> alerts -> session. Two ways in:
- `build_testnet_session(config, plan, environ=...)`: the config-driven path the CLI uses;
- `build_session(exchange=..., strategy=..., symbols=..., ...)`: for another Peak_Trade tool,
  without a TOML file or CLI strings.
Tests override providers (`container.exchange.override(providers.Object(fake))`), never patch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from dependency_injector import containers, providers

from peak_trade import __version__
from peak_trade.adapters.alerts.jsonl_sink import JsonlAlertSink
from peak_trade.adapters.alerts.log_sink import LogAlertSink
from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink
from peak_trade.adapters.clocks import SimulatedClock, SystemClock
from peak_trade.adapters.in_memory.replay import write_candles_csv
from peak_trade.adapters.in_memory.synthetic import SynthSpec, write_synthetic_csv
from peak_trade.adapters.runlog.layout import RunPaths
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.adapters.runlog.writer import NullEventLog, RunLogWriter
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.app.config import AppConfig
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.plan import SessionPlan, plan_for_embedding
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.app.session.session import TestnetSession
from peak_trade.app.session.stop import StopRequest
from peak_trade.app.venues import VenueBuild, VenueRegistry, builtin_venues
from peak_trade.domain.environment import Venue
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.strategies import Strategy, StrategyRegistry
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.alerts import AlertObserver, AlertSinkPort
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort

SYSTEM_SLEEP_SLICE_SECONDS = 0.25  # how quickly a stop request ends a real-time sleep
_log = logging.getLogger(__name__)


# --- factories the container calls ----------------------------------------------------------
def build_exchange(
    plan: SessionPlan, config: AppConfig, clock: ClockPort, environ: Mapping[str, str]
) -> ExchangePort:
    """The plan's venue, built by its registry entry from its `[exchange.<name>]` section."""
    if plan.venue is None:
        raise ValueError("an embedded session brings its own exchange (container override)")
    settings = config.exchange(plan.venue.name)
    return plan.venue.build(VenueBuild(settings=settings, clock=clock, environ=environ, plan=plan))


def open_event_log(plan: SessionPlan, clock: ClockPort) -> EventLogPort:
    """The run log for this plan; nothing on disk for --no-logging and --dry-run."""
    if plan.dry_run or not plan.logging_enabled:
        return NullEventLog(plan.run_id)
    return RunLogWriter(plan.log_dir, plan.run_id, clock)


def run_dir_of(plan: SessionPlan) -> Path | None:
    """The plan's run directory, or None when it writes no run log."""
    if plan.dry_run or not plan.logging_enabled:
        return None
    return RunPaths(plan.log_dir, plan.run_id).run_dir


def build_alert_sinks(
    config: AlertsConfig, *, run_dir: Path | None, environ: Mapping[str, str], run_id: str = ""
) -> list[AlertSinkPort]:
    """Log sink always; alerts.jsonl when there is a run directory; webhook when its URL is set.

    The webhook URL is read from the environment variable named by `webhook_url_env_var`; a
    configured but unset variable is logged by name (never a value) and the webhook is skipped.
    """
    sinks: list[AlertSinkPort] = [LogAlertSink()]
    if run_dir is not None:
        sinks.append(JsonlAlertSink(RunPaths(run_dir.parent, run_dir.name).alerts))
    variable = config.webhook_url_env_var
    if variable:
        url = environ.get(variable, "").strip()
        if url:
            sinks.append(
                WebhookAlertSink(
                    url,
                    timeout_seconds=float(config.webhook_timeout_seconds),
                    extra_fields={"run_id": run_id} if run_id else None,
                )
            )
        else:
            _log.warning("alerts: %s is not set; webhook alerts are off", variable)
    return sinks


def build_alert_engine(
    config: AlertsConfig, *, run_dir: Path | None, environ: Mapping[str, str], run_id: str = ""
) -> AlertEngine:
    """An AlertEngine with the sinks of `build_alert_sinks`."""
    return AlertEngine(
        config, build_alert_sinks(config, run_dir=run_dir, environ=environ, run_id=run_id)
    )


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
    if isinstance(value, Timeframe | Symbol):
        return str(value)
    return value


def _create_strategy(plan: SessionPlan) -> Strategy:
    session = plan.session
    return plan.strategies.create(
        session.strategy, plan.strategy_params, allow_short=session.allow_short
    )


# --- the container --------------------------------------------------------------------------
class SessionContainer(containers.DeclarativeContainer):
    """Builds one testnet session from an AppConfig and a SessionPlan."""

    config = providers.Dependency(instance_of=AppConfig)
    plan = providers.Dependency(instance_of=SessionPlan)
    environ: providers.Dependency[Mapping[str, str]] = providers.Dependency()
    stop = providers.Singleton(StopRequest)
    on_step: providers.Provider[Any] = providers.Object(None)

    clock = providers.Selector(
        plan.provided.clock_kind,
        system=providers.Singleton(SystemClock),
        simulated=providers.Singleton(SimulatedClock, start=plan.provided.replay_start_or_epoch),
    )
    wall_clock = providers.Singleton(SystemClock)
    sleep_slice = providers.Selector(
        plan.provided.clock_kind,
        system=providers.Object(SYSTEM_SLEEP_SLICE_SECONDS),
        simulated=providers.Object(None),
    )
    exchange = providers.Singleton(build_exchange, plan, config, clock, environ)
    risk_limits = providers.Callable(lambda config: config.live_risk, config)
    environment = providers.Callable(lambda config: config.environment_config(), config)
    portfolio = providers.Singleton(
        Portfolio,
        base_currency=plan.provided.session.symbol.quote,
        cash=plan.provided.session.start_balance,
    )
    event_log = providers.Singleton(open_event_log, plan, clock)
    strategy = providers.Singleton(_create_strategy, plan)
    executor = providers.Singleton(
        TestnetExchangeOrderExecutor,
        exchange=exchange,
        risk_limits=risk_limits,
        portfolio=portfolio,
        environment=environment,
        clock=clock,
        event_log=event_log,
        fee_rate=plan.provided.session.fee_rate,
        slippage_bps=plan.provided.session.slippage_bps,
        order_follow_timeout_seconds=plan.provided.session.order_follow_timeout_seconds,
    )
    alert_engine: providers.Provider[AlertObserver] = providers.Singleton(
        build_alert_engine,
        config.provided.alerts,
        run_dir=providers.Callable(run_dir_of, plan),
        environ=environ,
        run_id=plan.provided.run_id,
    )
    meta = providers.Callable(
        build_meta, config=config, plan=plan, venue=exchange.provided.venue, strategy=strategy
    )
    session = providers.Factory(
        TestnetSession,
        exchange=exchange,
        executor=executor,
        strategy=strategy,
        portfolio=portfolio,
        clock=clock,
        event_log=event_log,
        config=plan.provided.session,
        risk_limits=risk_limits,
        alert_engine=alert_engine,
        meta=meta,
        max_steps=plan.provided.max_steps,
        duration_minutes=plan.provided.duration_minutes,
        heartbeat_every_steps=plan.provided.heartbeat_every_steps,
        stop=stop,
        on_step=on_step,
        sleep_slice_seconds=sleep_slice,
        wall_clock=wall_clock,
    )


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
) -> tuple[Venue, Strategy]:
    """Build the exchange, executor and strategy as a run would (their guards run) without any
    network call or file, and release them again: what `session --dry-run` reports."""
    container = SessionContainer(config=config, plan=plan, environ=environ)
    exchange = container.exchange()
    try:
        container.executor()  # environment and venue guards run here
        return exchange.venue, container.strategy()
    finally:
        exchange.close()


def build_session(
    *,
    exchange: ExchangePort,
    strategy: str = "ma_crossover",
    strategy_params: Mapping[str, object] | None = None,
    strategies: StrategyRegistry | None = None,
    symbols: Sequence[Symbol | str] = ("BTC/EUR",),
    timeframe: Timeframe | str = Timeframe.M1,
    risk_limits: LiveRiskLimits | None = None,
    settings: TestnetSessionConfig | None = None,
    event_log: EventLogPort | None = None,
    clock: ClockPort | None = None,
    alerts: AlertObserver | None = None,
    max_steps: int | None = None,
    duration_minutes: Decimal | None = None,
    stop: StopRequest | None = None,
) -> TestnetSession:
    """A session for another Peak_Trade tool: no TOML file, no CLI strings.

    Defaults: the built-in strategies, config.toml's documented risk limits and session
    settings, a system clock, no run log on disk (`event_log` takes e.g. a RunLogWriter) and
    no alerts. Environment and venue guards run here exactly as on the CLI path.
    """
    plan = plan_for_embedding(
        strategy=strategy,
        strategy_params=strategy_params or {},
        strategies=strategies,
        symbols=[s if isinstance(s, Symbol) else Symbol.parse(s) for s in symbols],
        timeframe=timeframe if isinstance(timeframe, Timeframe) else Timeframe.parse(timeframe),
        settings=settings,
        max_steps=max_steps,
        duration_minutes=duration_minutes,
    )
    config = AppConfig(path=Path("<embedded>"), sha256="")
    if risk_limits is not None:
        config = attrs.evolve(config, live_risk=risk_limits)
    container = SessionContainer(config=config, plan=plan, environ={})
    container.exchange.override(providers.Object(exchange))
    container.clock.override(providers.Object(clock or SystemClock()))
    container.event_log.override(providers.Object(event_log or NullEventLog(plan.run_id)))
    container.alert_engine.override(providers.Object(alerts or AlertEngine(AlertsConfig(), [])))
    if stop is not None:
        container.stop.override(providers.Object(stop))
    session: TestnetSession = container.session()
    return session


def venue_exchange(
    config: AppConfig,
    exchange: str,
    clock: ClockPort,
    environ: Mapping[str, str],
    venues: VenueRegistry | None = None,
) -> ExchangePort:
    """A registered venue's ExchangePort outside a session (its guards still run)."""
    settings = config.exchange(exchange)
    build = VenueBuild(settings=settings, clock=clock, environ=environ, plan=None)
    return (venues or builtin_venues()).get(exchange).build(build)


def market_data_exchange(
    config: AppConfig, exchange: str, *, base_url: str | None = None
) -> tuple[ExchangePort, str]:
    """A venue adapter for public market data only (`data fetch`): no credentials, no orders;
    and the base URL it reads from."""
    settings: Any = config.exchange(exchange)
    if base_url:
        settings = attrs.evolve(settings, base_url=base_url)
    build = VenueBuild(settings=settings, clock=SystemClock(), environ={}, plan=None)
    return builtin_venues().get(exchange).build(build), str(settings.base_url)


def write_candle_file(
    path: Path, candles: Sequence[Candle], *, symbol: Symbol, timeframe: Timeframe, source: str
) -> None:
    """Write candles in this project's v1 candle file format (atomically)."""
    write_candles_csv(path, candles, symbol=symbol, timeframe=timeframe, source=source)


def write_synthetic_file(
    path: Path,
    *,
    symbol: Symbol,
    timeframe: Timeframe,
    candles: int,
    seed: int,
    start: datetime,
    start_price: Decimal,
) -> tuple[int, str]:
    """Write seeded synthetic candles to `path`; (rows written, the file's `source` text)."""
    spec = SynthSpec(
        symbol=symbol,
        timeframe=timeframe,
        candles=candles,
        seed=seed,
        start=start,
        start_price=start_price,
    )
    return write_synthetic_csv(path, spec), spec.source()


def open_run_monitor(base_dir: Path) -> tuple[RunMonitor, ClockPort]:
    """The read side over a run log directory, for `monitor` and `dashboard` (never writes)."""
    clock = SystemClock()
    return RunMonitor(RunLogReader(base_dir), clock), clock


def create_testnet_executor_from_config(
    config: AppConfig,
    *,
    exchange: ExchangePort,
    portfolio: Portfolio,
    clock: ClockPort,
    event_log: EventLogPort,
) -> TestnetExchangeOrderExecutor:
    """The executor with [environment], [live_risk] and [testnet_session] settings applied."""
    session = config.testnet_session
    return TestnetExchangeOrderExecutor(
        exchange=exchange,
        risk_limits=config.live_risk,
        portfolio=portfolio,
        environment=config.environment_config(),
        clock=clock,
        event_log=event_log,
        fee_rate=session.fee_rate,
        slippage_bps=session.slippage_bps,
        order_follow_timeout_seconds=session.order_follow_timeout_seconds,
    )
