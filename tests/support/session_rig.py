"""A live TestnetSession over any ExchangePort on a SimulatedClock, wired as the container wires
it (one trading gate, one VenuePause shared by executor and poller), for session-level tests
against the loopback servers and wrapped in-memory venues."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.orders.venue_pause import VenuePause
from peak_trade.app.session.book import SymbolBook
from peak_trade.app.session.core import TradingCore
from peak_trade.app.session.live import LivePoller
from peak_trade.app.session.poll_schedule import PollSchedule
from peak_trade.app.session.session import Recording, RunBounds, TestnetSession
from peak_trade.app.session.stop import StopRequest
from peak_trade.app.session.trader import SessionTrader
from peak_trade.domain.environment import EnvironmentConfig
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.trading_state import TradingGate
from peak_trade.ports.alerts import AlertObserver
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort


class FlipStrategy:
    """Long for `every` candles, flat for `every` candles, and so on: a strategy that trades
    on a fixed rhythm whatever the prices do (a deterministic order stream for tests)."""

    def __init__(
        self, every: int = 2, *, on_target: Callable[[Decimal], None] | None = None
    ) -> None:
        self._every = every
        self._seen = 0
        self.on_target = on_target  # called with each target change (test hooks)
        self._last: Decimal | None = None

    @property
    def name(self) -> str:
        return "flip"

    @property
    def params(self) -> dict[str, object]:
        return {"every": self._every}

    def on_candle(self, candle: Candle) -> Decimal | None:
        self._seen += 1
        target = Decimal(1) if (self._seen // self._every) % 2 == 0 else Decimal(0)
        if target != self._last and self.on_target is not None:
            self.on_target(target)
        self._last = target
        return target


@attrs.define
class SessionRig:
    session: TestnetSession
    executor: TestnetExchangeOrderExecutor
    portfolio: Portfolio
    clock: SimulatedClock
    exchange: ExchangePort
    event_log: EventLogPort
    gate: TradingGate
    pause: VenuePause
    poller: LivePoller


def live_session(
    exchange: ExchangePort,
    clock: SimulatedClock,
    event_log: EventLogPort,
    *,
    symbol: Symbol,
    strategy: Strategy | None = None,
    quote: str = "EUR",
    start_balance: Decimal = Decimal(10000),
    position_fraction: Decimal = Decimal("0.05"),
    poll_seconds: Decimal = Decimal(60),
    warmup: int = 5,
    max_steps: int = 20,
    max_consecutive_errors: int = 5,
    limits: LiveRiskLimits | None = None,
    alerts: AlertObserver | None = None,
    executor_options: dict[str, Any] | None = None,
    heartbeat: int = 5,
) -> SessionRig:
    """A live session (poller on its schedule) trading `symbol` with `strategy` (FlipStrategy
    by default) on `exchange`, every clock the SimulatedClock."""
    portfolio = Portfolio(base_currency=quote, cash=start_balance)
    limits = limits or LiveRiskLimits(base_currency=quote, max_order_notional=Decimal(5000))
    gate = TradingGate()
    pause = VenuePause(clock)
    executor = TestnetExchangeOrderExecutor(
        exchange=exchange,
        risk_limits=limits,
        portfolio=portfolio,
        environment=EnvironmentConfig(),
        clock=clock,
        event_log=event_log,
        fee_rate=Decimal("0.0026"),
        slippage_bps=Decimal(5),
        gate=gate,
        venue_pause=pause,
        **(executor_options or {}),
    )
    books = [SymbolBook(symbol=symbol, strategy=strategy or FlipStrategy(), timeframe=Timeframe.M1)]
    trader = SessionTrader(
        executor=executor,
        portfolio=portfolio,
        event_log=event_log,
        position_fraction=position_fraction,
    )
    core = TradingCore(
        books=books,
        portfolio=portfolio,
        executor=executor,
        trader=trader,
        risk_limits=limits,
        event_log=event_log,
        clock=clock,
    )
    stop = StopRequest()
    poller = LivePoller(
        exchange=exchange,
        core=core,
        clock=clock,
        schedule=PollSchedule(clock, poll_seconds, stop=stop),
        event_log=event_log,
        warmup_candles=warmup,
        max_consecutive_errors=max_consecutive_errors,
        venue_pause=pause,
    )
    session = TestnetSession(
        core=core,
        driver=poller,
        exchange=exchange,
        portfolio=portfolio,
        clock=clock,
        wall_clock=clock,
        event_log=event_log,
        alerts=alerts,
        bounds=RunBounds(max_steps=max_steps),
        recording=Recording(heartbeat_every_steps=heartbeat),
        stop=stop,
    )
    return SessionRig(
        session=session,
        executor=executor,
        portfolio=portfolio,
        clock=clock,
        exchange=exchange,
        event_log=event_log,
        gate=gate,
        pause=pause,
        poller=poller,
    )
