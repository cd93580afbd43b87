"""The composition root: config -> clock -> exchange -> risk limits -> executor -> session.

Declarations only; the factories live in peak_trade.app.wiring. Tests override providers
(`container.exchange.override(providers.Object(fake))`), never patch modules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dependency_injector import containers, providers

from peak_trade.adapters.clocks import SimulatedClock, SystemClock
from peak_trade.app.alert_wiring import build_alert_engine
from peak_trade.app.config import AppConfig
from peak_trade.app.executor import TestnetExchangeOrderExecutor
from peak_trade.app.session import TestnetSession
from peak_trade.app.session_metrics import TestnetSessionMetrics
from peak_trade.app.session_plan import SessionPlan
from peak_trade.app.stop import StopRequest
from peak_trade.app.wiring import (
    build_meta,
    make_kraken_exchange,
    make_replay_exchange,
    open_event_log,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.strategies import create_strategy

SYSTEM_SLEEP_SLICE_SECONDS = 0.25  # how quickly a stop request ends a real-time sleep


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
    exchange = providers.Selector(
        plan.provided.exchange,
        kraken_testnet=providers.Singleton(
            make_kraken_exchange, config.provided.kraken_testnet, clock, environ
        ),
        in_memory=providers.Singleton(make_replay_exchange, config.provided.in_memory, clock, plan),
    )
    risk_limits = providers.Callable(lambda config: config.live_risk, config)
    environment = providers.Callable(lambda config: config.environment_config(), config)
    portfolio = providers.Singleton(
        Portfolio,
        base_currency=plan.provided.session.symbol.quote,
        cash=plan.provided.session.start_balance,
    )
    event_log = providers.Singleton(open_event_log, plan, clock)
    strategy = providers.Singleton(
        create_strategy,
        plan.provided.session.strategy,
        plan.provided.strategy_params,
        allow_short=plan.provided.session.allow_short,
    )
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
    alert_engine = providers.Singleton(
        build_alert_engine,
        config.provided.alerts,
        run_dir=event_log.provided.run_dir,
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
