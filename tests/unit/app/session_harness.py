"""Builds a TestnetSession over the real InMemoryExchange and a SimulatedClock for unit tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from tests.unit.app.fakes import BTC_EUR, T0, MemoryRunLog

from peak_trade.adapters.candle_files import write_candles_csv
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory.config import InMemoryExchangeConfig
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.adapters.in_memory.synthetic import SynthSpec, synthetic_candles
from peak_trade.app.config import TestnetSessionConfig
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.app.session.book import SymbolBook
from peak_trade.app.session.core import TradingCore
from peak_trade.app.session.live import LivePoller
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.app.session.poll_schedule import PollSchedule
from peak_trade.app.session.replay import ReplayFeed
from peak_trade.app.session.session import Recording, RunBounds, TestnetSession
from peak_trade.app.session.stop import StopRequest
from peak_trade.app.session.trader import SessionTrader
from peak_trade.domain.environment import EnvironmentConfig
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.strategies import Strategy, builtin_strategies
from peak_trade.domain.symbols import Timeframe
from peak_trade.domain.trading_state import TradingGate
from peak_trade.ports.alerts import AlertObserver
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort


def synthetic(count: int, seed: int = 3) -> list[Candle]:
    spec = SynthSpec(symbol=BTC_EUR, timeframe=Timeframe.M1, candles=count, seed=seed, start=T0)
    return list(synthetic_candles(spec))


class RecordingStrategy:
    """Wraps a strategy and records what it was fed and when."""

    def __init__(self, inner: Strategy, clock: SimulatedClock) -> None:
        self.inner = inner
        self.clock = clock
        self.fed: list[tuple[Candle, datetime]] = []

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def params(self) -> Any:
        return self.inner.params

    def on_candle(self, candle: Candle) -> Decimal | None:
        self.fed.append((candle, self.clock.now()))
        return self.inner.on_candle(candle)


@attrs.define
class Harness:
    session: TestnetSession
    log: MemoryRunLog
    portfolio: Portfolio
    clock: SimulatedClock
    exchange: ExchangePort
    strategy: RecordingStrategy
    executor: TestnetExchangeOrderExecutor
    stop: StopRequest


def build(
    candles: list[Candle],
    *,
    poll: int = 60,
    warmup: int = 30,
    strategy: str = "ma_crossover",
    params: dict[str, object] | None = None,
    limits: LiveRiskLimits | None = None,
    max_steps: int | None = None,
    duration: Decimal | None = None,
    heartbeat: int = 10,
    wrap: Callable[[InMemoryExchange, SimulatedClock], ExchangePort] | None = None,
    on_step: Callable[[TestnetSessionMetrics], None] | None = None,
    history: int | None = None,
    wall_clock: SimulatedClock | None = None,
    replay: bool = False,
    alerts: AlertObserver | None = None,
    event_log: Callable[[SimulatedClock], EventLogPort] | None = None,
    **session_changes: Any,
) -> Harness:
    """A session over the in-memory venue and a simulated clock: live (the poller on its
    schedule; the venue reveals `candles` as the clock passes them) or, with `replay`, the
    replay feed pushing them. `history`: candles already closed when a live session starts
    (default: `warmup`); `wall_clock`: the session's wall clock (default: the session clock);
    `event_log`: a run log made on the session clock to use instead of the memory one."""
    if replay:
        clock = SimulatedClock(candles[0].open_time)
        inner = InMemoryExchange(
            InMemoryExchangeConfig(), clock, symbols=[BTC_EUR], timeframe=Timeframe.M1
        )
    else:
        start = history if history is not None else warmup
        clock = SimulatedClock(candles[0].open_time + timedelta(minutes=start))
        inner = InMemoryExchange(
            InMemoryExchangeConfig(), clock, iter(candles), symbol=BTC_EUR, timeframe=Timeframe.M1
        )
    exchange: ExchangePort = wrap(inner, clock) if wrap else inner
    config = attrs.evolve(
        TestnetSessionConfig(),
        poll_interval_seconds=Decimal(poll),
        warmup_candles=warmup,
        strategy=strategy,
        **session_changes,
    )
    portfolio = Portfolio(base_currency="EUR", cash=config.start_balance)
    log = MemoryRunLog("20260101T000000Z-000001")
    events: EventLogPort = event_log(clock) if event_log is not None else log
    limits = limits or LiveRiskLimits(base_currency="EUR")
    gate = TradingGate()
    pause = VenuePause(clock)  # one per session: the executor's and the poller's
    executor = TestnetExchangeOrderExecutor(
        exchange=exchange,
        risk_limits=limits,
        portfolio=portfolio,
        environment=EnvironmentConfig(),
        clock=clock,
        event_log=events,
        fee_rate=config.fee_rate,
        slippage_bps=config.slippage_bps,
        gate=gate,
        max_consecutive_order_failures=config.max_consecutive_order_failures,
        unknown_order_resolution_seconds=config.unknown_order_resolution_seconds,
        venue_pause=pause,
    )
    recording = RecordingStrategy(
        builtin_strategies().create(strategy, params or {"fast_window": 3, "slow_window": 8}), clock
    )
    book = SymbolBook(symbol=BTC_EUR, strategy=recording, timeframe=Timeframe.M1)
    trader = SessionTrader(
        executor=executor,
        portfolio=portfolio,
        event_log=events,
        position_fraction=config.position_fraction,
    )
    core = TradingCore(
        books=[book],
        portfolio=portfolio,
        executor=executor,
        trader=trader,
        risk_limits=limits,
        event_log=events,
        clock=clock,
        flatten_on_halt=config.flatten_on_halt,
    )
    stop = StopRequest()
    driver: LivePoller | ReplayFeed
    if replay:
        driver = ReplayFeed(
            streams={BTC_EUR: iter(candles)},
            venue=inner,
            clock=clock,
            core=core,
            warmup_candles=warmup,
        )
    else:
        schedule = PollSchedule(
            clock, config.poll_interval_seconds, stop=stop, duration_minutes=duration
        )
        driver = LivePoller(
            exchange=exchange,
            core=core,
            clock=clock,
            schedule=schedule,
            event_log=events,
            warmup_candles=warmup,
            max_consecutive_errors=config.max_consecutive_errors,
            venue_pause=pause,
        )
    session = TestnetSession(
        core=core,
        driver=driver,
        exchange=exchange,
        portfolio=portfolio,
        clock=clock,
        wall_clock=wall_clock or clock,
        event_log=events,
        alerts=alerts,
        bounds=RunBounds(max_steps=max_steps, duration_minutes=duration),
        recording=Recording(heartbeat_every_steps=heartbeat),
        stop=stop,
        on_step=on_step,
    )
    return Harness(
        session=session,
        log=log,
        portfolio=portfolio,
        clock=clock,
        exchange=exchange,
        strategy=recording,
        executor=executor,
        stop=stop,
    )


REPLAY_CONFIG = """
[environment]
mode = "{mode}"
[testnet_session]
default_exchange = "in_memory"
warmup_candles = 20
[strategy.ma_crossover]
fast_window = 3
slow_window = 9
"""


def setup_replay(tmp_path: Path, mode: str = "testnet", candles: int = 200) -> tuple[Path, Path]:
    """A config file for an in-memory replay session and a synthetic candle file beside it."""
    config = tmp_path / "c.toml"
    config.write_text(REPLAY_CONFIG.replace("{mode}", mode))
    replay = tmp_path / "r.csv"
    write_candles_csv(
        replay, synthetic(candles), symbol=BTC_EUR, timeframe=Timeframe.M1, source="synthetic test"
    )
    return config, replay
