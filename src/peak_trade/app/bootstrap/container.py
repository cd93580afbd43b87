"""SessionContainer: the one DeclarativeContainer, and the factories its providers call.

config + plan -> clock (system | simulated) -> exchange (the plan's venue registry entry) ->
trading gate, portfolio, run log -> executor -> books (one strategy per symbol) -> trader ->
trading core -> driver (live poller | replay feed) -> alerts -> session. Tests override
providers (`container.exchange.override(providers.Object(fake))`), never patch modules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import attrs
from dependency_injector import containers, providers

from peak_trade import __version__
from peak_trade.adapters.alerts.factories import discord_sink, telegram_sink, webhook_sink
from peak_trade.adapters.alerts.jsonl_sink import JsonlAlertSink
from peak_trade.adapters.alerts.log_sink import LogAlertSink
from peak_trade.adapters.candle_files import CandleFileReader
from peak_trade.adapters.clocks import SimulatedClock, SystemClock
from peak_trade.adapters.runlog.jsonl import iter_jsonl
from peak_trade.adapters.runlog.layout import RunPaths
from peak_trade.adapters.runlog.resume import VerifyingRunLog
from peak_trade.adapters.runlog.writer import NullEventLog, RunLogWriter
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.app.config import AppConfig
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.app.plan import SessionPlan
from peak_trade.app.session.book import SymbolBook
from peak_trade.app.session.core import TradingCore
from peak_trade.app.session.live import LivePoller
from peak_trade.app.session.poll_schedule import PollSchedule
from peak_trade.app.session.replay import ReplayFeed
from peak_trade.app.session.session import Recording, RunBounds, TestnetSession
from peak_trade.app.session.stop import StopRequest
from peak_trade.app.session.trader import SessionTrader
from peak_trade.app.venues import VenueBuild
from peak_trade.domain.environment import Venue
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.trading_state import TradingGate
from peak_trade.ports.alerts import AlertObserver, AlertSinkPort
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort
from peak_trade.ports.replay import ReplayClockPort, ReplayVenuePort

SYSTEM_SLEEP_SLICE_SECONDS = 0.25  # how quickly a stop request ends a real-time sleep
_log = logging.getLogger(__name__)


# --- factories ------------------------------------------------------------------------------
def build_exchange(
    plan: SessionPlan, config: AppConfig, clock: ClockPort, environ: Mapping[str, str]
) -> ExchangePort:
    """The plan's venue, built by its registry entry from its `[exchange.<name>]` section."""
    if plan.venue is None:
        raise ValueError("an embedded session brings its own exchange (container override)")
    settings = config.exchange(plan.venue.name)
    return plan.venue.build(VenueBuild(settings=settings, clock=clock, environ=environ, plan=plan))


def open_event_log(plan: SessionPlan, clock: ClockPort, wall_clock: ClockPort) -> EventLogPort:
    """The run log for this plan; nothing on disk for --no-logging and --dry-run.

    Venues whose orders live outside this process get every order event fsynced; a replay on
    the in-memory venue is made durable at heartbeats (docs/run-log.md, Durability). A resumed
    run reopens its log after the last whole line; a resumed replay re-lives its record first
    (every re-simulated event checked against it, see VerifyingRunLog).
    """
    if plan.dry_run or not plan.logging_enabled:
        return NullEventLog(plan.run_id)
    outside = plan.venue is None or plan.venue.orders_outside_process
    resume = plan.resume
    writer = RunLogWriter(
        plan.log_dir, plan.run_id, clock, fsync_orders=outside, existing=resume is not None
    )
    if resume is None or not resume.replay:
        return writer
    return VerifyingRunLog(
        writer, writer.events_path, resumed=lambda: resume.resumed_payload(wall_clock.now())
    )


def resume_log_of(plan: SessionPlan, event_log: EventLogPort) -> VerifyingRunLog | None:
    """The run log while a resumed replay re-lives its record, else None."""
    return event_log if isinstance(event_log, VerifyingRunLog) else None


def recorded_events(plan: SessionPlan) -> RecordedEvents | None:
    """A resumed live run's recorded events (read lazily, before anything new is written)."""
    resume = plan.resume
    if resume is None or resume.replay:
        return None
    return RecordedEvents(RunPaths(plan.log_dir, plan.run_id).events, resume.last_seq)


@attrs.frozen
class RecordedEvents:
    """The events of a run log up to `last_seq`, read when iterated (an iterable object: a
    generator handed to the container would be taken for an awaitable)."""

    path: Path
    last_seq: int

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        for line in iter_jsonl(self.path):
            if int(line.record.get("seq", 0)) > self.last_seq:
                return
            yield line.record


def run_dir_of(plan: SessionPlan) -> Path | None:
    """The plan's run directory, or None when it writes no run log."""
    if plan.dry_run or not plan.logging_enabled:
        return None
    return RunPaths(plan.log_dir, plan.run_id).run_dir


def build_alert_sinks(
    config: AlertsConfig, *, run_dir: Path | None, environ: Mapping[str, str], run_id: str = ""
) -> list[AlertSinkPort]:
    """Log sink always; alerts.jsonl when there is a run directory; then each HTTP service
    (generic/Slack webhook, Discord, Telegram) whose environment variables are set.

    Secrets come only from the variables the config names. A configured but unset variable,
    or one whose value the service refuses, is logged by name (never its value) and that
    service is skipped: the session runs on without it.
    """
    # A failed session raises to its caller, which reports it (the CLI: one error line); the
    # `session_failed` alert still goes to alerts.jsonl (if it can) and every service.
    reported = frozenset({"session_failed"})
    sinks: list[AlertSinkPort] = [LogAlertSink(debug_rules=reported)]
    if run_dir is not None:
        alerts_file = RunPaths(run_dir.parent, run_dir.name).alerts
        sinks.append(JsonlAlertSink(alerts_file, debug_rules=reported))
    delivery = config.delivery
    common: dict[str, Any] = {
        "timeout_seconds": float(delivery.timeout_seconds),
        "max_retries": delivery.max_retries,
        "max_wait_seconds": float(delivery.max_wait_seconds),
        "queue_size": delivery.queue_size,
        "close_timeout_seconds": float(delivery.close_timeout_seconds),
        "extra_fields": {"run_id": run_id} if run_id else None,
    }
    wanted: list[tuple[str, tuple[str, ...], Callable[..., AlertSinkPort]]] = [
        ("webhook", (config.webhook_url_env_var,), lambda url: webhook_sink(url, **common)),
        ("Discord", (config.discord_webhook_url_env_var,), lambda url: discord_sink(url, **common)),
        (
            "Telegram",
            (config.telegram_bot_token_env_var, config.telegram_chat_id_env_var),
            lambda token, chat: telegram_sink(
                token, chat, base_url=config.telegram_api_url, **common
            ),
        ),
    ]
    for service, variables, build in wanted:
        if not all(variables):
            continue
        values = [environ.get(name, "").strip() for name in variables]
        unset = [name for name, value in zip(variables, values, strict=True) if not value]
        if unset:
            verb = "are" if len(unset) > 1 else "is"
            names = " and ".join(unset)
            _log.warning("alerts: %s %s not set; %s alerts are off", names, verb, service)
            continue
        try:
            sinks.append(build(*values))
        except ValueError as exc:  # the adapters' messages never quote the value
            _log.warning("alerts: %s: %s; %s alerts are off", " / ".join(variables), exc, service)
    return sinks


def build_alert_engine(
    config: AlertsConfig, *, run_dir: Path | None, environ: Mapping[str, str], run_id: str = ""
) -> AlertEngine:
    """An AlertEngine with the sinks of `build_alert_sinks`."""
    return AlertEngine(
        config, build_alert_sinks(config, run_dir=run_dir, environ=environ, run_id=run_id)
    )


def build_books(plan: SessionPlan) -> list[SymbolBook]:
    """One book per symbol, each with its own strategy instance and parameters."""
    session = plan.session
    return [
        SymbolBook(
            symbol=symbol,
            strategy=plan.strategies.create(
                session.strategy, plan.strategy_params[symbol], allow_short=session.allow_short
            ),
            timeframe=session.timeframe,
        )
        for symbol in session.symbols
    ]


def replay_streams(plan: SessionPlan) -> dict[Symbol, Iterator[Candle]]:
    """Each symbol's replay candles in the session's timeframe (files validated by the plan)."""
    reader = CandleFileReader()
    timeframe = plan.session.timeframe
    return {s: reader.stream(f, timeframe) for s, f in (plan.replays or {}).items()}


def build_meta(*, config: AppConfig, plan: SessionPlan, venue: Venue) -> dict[str, Any]:
    """meta.json (docs/run-log.md) without started_at, which the session adds. No secrets."""
    session = plan.session
    return {
        "format_version": 2,
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
        "symbols": [str(s) for s in session.symbols],
        "base_currency": plan.risk_limits.base_currency,
        "quote_currencies": {str(s): s.quote for s in session.symbols},
        "timeframe": session.timeframe.label,
        "strategy": {
            "name": session.strategy,
            "params": dict(plan.strategy_params[session.symbol]),
            "per_symbol": {str(s): dict(p) for s, p in plan.strategy_params.items()},
        },
        "session": _fields(session),
        "risk_limits": _fields(plan.risk_limits),
        "replay": {str(s): str(f.path) for s, f in plan.replays.items()} if plan.replays else None,
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
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def build_driver(
    plan: SessionPlan,
    exchange: ExchangePort,
    core: TradingCore,
    clock: ClockPort,
    event_log: EventLogPort,
    stop: StopRequest,
    sleep_slice: float | None,
    streams: Mapping[Symbol, Iterator[Candle]],
    venue_pause: VenuePause | None = None,
) -> LivePoller | ReplayFeed:
    """A replay feed for plans with replay files, else the live poller on its schedule."""
    session = plan.session
    if plan.replays is not None:
        return ReplayFeed(
            streams=streams,
            venue=cast(ReplayVenuePort, exchange),
            clock=cast(ReplayClockPort, clock),
            core=core,
            warmup_candles=session.warmup_candles,
        )
    schedule = PollSchedule(
        clock,
        session.poll_interval_seconds,
        stop=stop,
        duration_minutes=plan.duration_minutes,
        sleep_slice_seconds=sleep_slice,
    )
    return LivePoller(
        exchange=exchange,
        core=core,
        clock=clock,
        schedule=schedule,
        event_log=event_log,
        warmup_candles=session.warmup_candles,
        max_consecutive_errors=session.max_consecutive_errors,
        venue_pause=venue_pause,
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
    risk_limits = providers.Callable(lambda plan: plan.risk_limits, plan)
    environment = providers.Callable(lambda config: config.environment_config(), config)
    gate = providers.Singleton(TradingGate)
    portfolio = providers.Singleton(
        Portfolio,
        base_currency=plan.provided.risk_limits.base_currency,
        cash=plan.provided.session.start_balance,
    )
    event_log = providers.Singleton(open_event_log, plan, clock, wall_clock)
    venue_pause = providers.Singleton(VenuePause, clock)  # shared by executor and poller
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
        gate=gate,
        unknown_order_resolution_seconds=plan.provided.session.unknown_order_resolution_seconds,
        max_consecutive_order_failures=plan.provided.session.max_consecutive_order_failures,
        venue_pause=venue_pause,
    )
    books = providers.Singleton(build_books, plan)
    trader = providers.Singleton(
        SessionTrader,
        executor=executor,
        portfolio=portfolio,
        event_log=event_log,
        position_fraction=plan.provided.session.position_fraction,
    )
    alert_engine: providers.Provider[AlertObserver] = providers.Singleton(
        build_alert_engine,
        config.provided.alerts,
        run_dir=providers.Callable(run_dir_of, plan),
        environ=environ,
        run_id=plan.provided.run_id,
    )
    core = providers.Singleton(
        TradingCore,
        books=books,
        portfolio=portfolio,
        executor=executor,
        trader=trader,
        risk_limits=risk_limits,
        event_log=event_log,
        clock=clock,
        flatten_on_halt=plan.provided.session.flatten_on_halt,
        on_transition=alert_engine.provided.note_transition,  # every state change alerts
    )
    streams = providers.Singleton(replay_streams, plan)
    driver = providers.Singleton(
        build_driver,
        plan,
        exchange,
        core,
        clock,
        event_log,
        stop,
        sleep_slice,
        streams,
        venue_pause,
    )
    meta = providers.Callable(build_meta, config=config, plan=plan, venue=exchange.provided.venue)
    bounds = providers.Factory(
        RunBounds,
        max_steps=plan.provided.max_steps,
        duration_minutes=plan.provided.duration_minutes,
    )
    recording = providers.Factory(
        Recording, heartbeat_every_steps=plan.provided.heartbeat_every_steps
    )
    session = providers.Factory(
        TestnetSession,
        core=core,
        driver=driver,
        exchange=exchange,
        portfolio=portfolio,
        clock=clock,
        wall_clock=wall_clock,
        event_log=event_log,
        alerts=alert_engine,
        meta=meta,
        bounds=bounds,
        recording=recording,
        stop=stop,
        on_step=on_step,
        resume=plan.provided.resume,
        resume_log=providers.Callable(resume_log_of, plan, event_log),
        recorded=providers.Callable(recorded_events, plan),
    )
