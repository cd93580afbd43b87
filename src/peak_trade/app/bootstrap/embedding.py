"""build_session: a session for another Peak_Trade tool, without a TOML file or CLI strings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from dependency_injector import providers

from peak_trade.adapters.candle_files import CandleFileReader
from peak_trade.adapters.clocks import SimulatedClock, SystemClock
from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.adapters.runlog.writer import NullEventLog
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.app.bootstrap.container import SessionContainer
from peak_trade.app.config import AppConfig
from peak_trade.app.plan import plan_for_embedding
from peak_trade.app.replay_files import session_timeframe
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.session.session import TestnetSession
from peak_trade.app.session.stop import StopRequest
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.strategies import StrategyRegistry
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.alerts import AlertObserver
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort
from peak_trade.ports.replay import ReplayFile


def build_session(
    *,
    exchange: ExchangePort | None = None,
    replay_files: Mapping[Symbol | str, Path | str] | None = None,
    strategy: str = "ma_crossover",
    strategy_params: Mapping[str, object] | None = None,
    strategies: StrategyRegistry | None = None,
    symbols: Sequence[Symbol | str] = (),
    timeframe: Timeframe | str | None = None,
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

    Either `exchange` (any ExchangePort; the session polls it live on `clock`) or
    `replay_files` ({symbol: candle file}, any format docs/candle-files.md lists: an offline
    replay on the in-memory venue and a simulated clock). Defaults: the built-in strategies,
    the risk limits and session settings config.toml documents, no run log on disk (`event_log`
    takes e.g. a RunLogWriter) and no alerts. Environment and venue guards run here exactly as
    on the CLI path.
    """
    if (exchange is None) == (replay_files is None):
        raise ValueError("give either exchange (live) or replay_files (offline replay)")
    wanted = [s if isinstance(s, Symbol) else Symbol.parse(s) for s in symbols]
    requested = timeframe if not isinstance(timeframe, str) else Timeframe.parse(timeframe)
    replays: dict[Symbol, ReplayFile] | None = None
    if replay_files is not None:
        reader = CandleFileReader()
        replays = {}
        for key, path in replay_files.items():
            symbol = key if isinstance(key, Symbol) else Symbol.parse(key)
            replays[symbol] = reader.inspect(Path(path), symbol=symbol, timeframe=requested)
        wanted = wanted or list(replays)
        requested = session_timeframe(replays, requested)
    plan = plan_for_embedding(
        strategy=strategy,
        strategy_params=strategy_params or {},
        strategies=strategies,
        symbols=wanted or [Symbol("BTC", "EUR")],
        timeframe=requested or Timeframe.M1,
        settings=settings,
        risk_limits=risk_limits,
        max_steps=max_steps,
        duration_minutes=duration_minutes,
        replays=replays,
    )
    container = SessionContainer(
        config=AppConfig(path=Path("<embedded>"), sha256=""), plan=plan, environ={}
    )
    if replays is not None:
        session_clock = clock or SimulatedClock(plan.replay_start_or_epoch)
        venue = InMemoryExchange(
            InMemoryExchangeConfig(),
            session_clock,
            symbols=plan.session.symbols,
            timeframe=plan.session.timeframe,
        )
        container.exchange.override(providers.Object(venue))
    elif exchange is not None:
        session_clock = clock or SystemClock()
        container.exchange.override(providers.Object(exchange))
    container.clock.override(providers.Object(session_clock))
    container.event_log.override(providers.Object(event_log or NullEventLog(plan.run_id)))
    container.alert_engine.override(providers.Object(alerts or AlertEngine(AlertsConfig(), [])))
    if stop is not None:
        container.stop.override(providers.Object(stop))
    session: TestnetSession = container.session()
    return session
