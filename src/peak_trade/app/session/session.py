"""TestnetSession: warm up a strategy, then poll closed candles and trade its target position.

The session speaks to the ExchangePort only. Every closed candle is fed once, in order; the
forming candle never. Polls follow a fixed schedule (PollSchedule), so work time never adds
drift. A stop request (SIGINT/SIGTERM) ends the loop after the current step and the summary is
written with status `interrupted`. All money figures come from the Portfolio ledger.

A heartbeat event is written every `heartbeat_every_steps` steps; summary.json (an atomic,
fsynced rewrite) goes with it only when `summary_min_interval_seconds` of wall time have passed
since it was last written, so a replay on a simulated clock (thousands of steps per second)
does not spend its time rewriting the summary, while a live session is unaffected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.app.session.config import TestnetSessionConfig
from peak_trade.app.session.events import (
    alert_payload,
    candle_payload,
    heartbeat_payload,
    observation,
    signal_payload,
    started_payload,
)
from peak_trade.app.session.metrics import (
    SessionCounters,
    SessionStatus,
    TestnetSessionMetrics,
    build_summary,
)
from peak_trade.app.session.poll_schedule import PollSchedule
from peak_trade.app.session.stop import StopRequest
from peak_trade.app.session.trader import SessionTrader
from peak_trade.app.session.trading_guard import TradingGuard
from peak_trade.app.session.warmup import closed_after, warm_up
from peak_trade.domain.environment import Venue
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.strategies import Strategy
from peak_trade.ports.alerts import AlertObserver
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeAuthError, ExchangeError, UnknownSymbolError
from peak_trade.ports.events import EventLogPort, EventType
from peak_trade.ports.exchange import ExchangePort

_log = logging.getLogger(__name__)
_FATAL = (ExchangeAuthError, UnknownSymbolError)
SUMMARY_MIN_INTERVAL_SECONDS = 1.0  # wall time between running-summary rewrites at heartbeats


class TestnetSession:
    """The testnet trading session use case (one symbol, one strategy, one venue)."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        *,
        exchange: ExchangePort,
        executor: TestnetExchangeOrderExecutor,
        strategy: Strategy,
        portfolio: Portfolio,
        clock: ClockPort,
        event_log: EventLogPort,
        config: TestnetSessionConfig,
        risk_limits: LiveRiskLimits,
        alert_engine: AlertObserver | None = None,
        meta: Mapping[str, Any] | None = None,
        max_steps: int | None = None,
        duration_minutes: Decimal | None = None,
        heartbeat_every_steps: int = 10,
        stop: StopRequest | None = None,
        on_step: Callable[[TestnetSessionMetrics], None] | None = None,
        sleep_slice_seconds: float | None = None,
        wall_clock: ClockPort | None = None,
        summary_min_interval_seconds: float = SUMMARY_MIN_INTERVAL_SECONDS,
    ) -> None:
        self._exchange = exchange
        self._executor = executor
        self._strategy = strategy
        self._portfolio = portfolio
        self._clock = clock
        self._events = event_log
        self._config = config
        self._alerts = alert_engine
        # an engine that can never fire is not fed: building an observation per step is waste
        self._observed = alert_engine if alert_engine is not None and alert_engine.enabled else None
        self._meta = dict(meta or {})
        self._max_steps = max_steps
        self._heartbeat_every = max(1, heartbeat_every_steps)
        self._stop = stop or StopRequest()
        self._on_step = on_step
        self._wall = wall_clock or clock
        self._summary_interval = max(0.0, summary_min_interval_seconds)
        self._summary_written_at: float | None = None  # wall-clock monotonic seconds
        self._schedule = PollSchedule(
            clock,
            config.poll_interval_seconds,
            stop=self._stop,
            duration_minutes=duration_minutes,
            sleep_slice_seconds=sleep_slice_seconds,
        )
        self._guard = TradingGuard(
            max_consecutive_errors=config.max_consecutive_errors, risk_limits=risk_limits
        )
        self._symbol = config.symbol
        self._timeframe = config.timeframe
        self._counters = SessionCounters()
        self._trader = SessionTrader(
            executor=executor,
            portfolio=portfolio,
            event_log=event_log,
            position_fraction=config.position_fraction,
        )
        self._last_candle: Candle | None = None
        self._target: Decimal | None = None
        self._rules: InstrumentRules | None = None
        self._started_at: datetime | None = None
        self._replay_ended = False

    @property
    def run_id(self) -> str:
        return self._events.run_id

    @property
    def venue(self) -> Venue:
        return self._exchange.venue

    def close(self) -> None:
        """Release the exchange adapter (connections, nonce files) once the run is over."""
        self._exchange.close()

    def metrics(self) -> TestnetSessionMetrics:
        """The counters and ledger figures right now."""
        return TestnetSessionMetrics.capture(
            counters=self._counters,
            orders=self._executor.counters,
            portfolio=self._portfolio,
            symbol=self._symbol,
            exchange_errors=self._guard.exchange_errors,
            last_candle_time=self._last_candle.open_time if self._last_candle else None,
            trading_state=self._guard.state,
            halt_reason=self._guard.halt_reason,
        )

    def summary(self, status: SessionStatus, error: str = "") -> dict[str, Any]:
        """summary.json for the current state (ended_at set unless still running)."""
        return self._summary(status, error, self.metrics())

    def _summary(
        self, status: SessionStatus, error: str, metrics: TestnetSessionMetrics
    ) -> dict[str, Any]:
        now = self._wall.now()
        return build_summary(
            run_id=self.run_id,
            status=status,
            started_at=self._started_at or now,
            ended_at=None if status is SessionStatus.RUNNING else now,
            metrics=metrics,
            portfolio=self._portfolio,
            error=error,
        )

    def _write_running_summary(self, metrics: TestnetSessionMetrics) -> None:
        self._events.write_summary(self._summary(SessionStatus.RUNNING, "", metrics))
        self._summary_written_at = self._wall.monotonic()

    def run(self) -> dict[str, Any]:
        """Run until the replay ends, --duration/--max-steps, a stop request or a fatal error.

        Returns the final summary. A fatal error is logged and summarized (status `failed`),
        then re-raised for the caller to map to an exit code.
        """
        self._start()
        status = SessionStatus.COMPLETED
        error = ""
        try:
            self._rules = self._exchange.instrument(self._symbol)
            self._warmup()
            self._loop()
            if self._stop.requested:
                status = SessionStatus.INTERRUPTED
            elif not self._guard.active:
                status = SessionStatus.HALTED
        except BaseException as exc:
            status = SessionStatus.FAILED
            error = f"{type(exc).__name__}: {exc}"
            self._fail(exc, error)
            raise
        finally:
            summary = self._finish(status, error)
        return summary

    # --- phases ------------------------------------------------------------------------------
    def _start(self) -> None:
        self._started_at = self._wall.now()
        self._events.write_meta(
            {
                **self._meta,
                "run_id": self.run_id,
                "started_at": self._started_at,
                "session_clock_started_at": self._clock.now(),
            }
        )
        self._events.append(
            EventType.SESSION_STARTED,
            started_payload(
                self._strategy, self._exchange.venue, self._timeframe, self._portfolio, self._symbol
            ),
        )
        self._write_running_summary(self.metrics())

    def _warmup(self) -> None:
        done = warm_up(
            self._exchange,
            self._strategy,
            self._symbol,
            self._timeframe,
            self._config.warmup_candles,
        )
        if done.last_candle is not None:
            self._last_candle = done.last_candle
            self._portfolio.mark(self._symbol, done.last_candle.close, self._clock.now())
        if done.primed < done.wanted:
            _log.warning("warmup: only %d of %d candles available", done.primed, done.wanted)
        self._events.append(
            EventType.STATE_CHANGED,
            {
                "from": "warmup",
                "to": self._guard.state.value,
                "reason": f"warmup loaded {done.primed} of {done.wanted} candles",
                "warmup_candles": done.primed,
                "last_candle_time": self._last_candle.open_time if self._last_candle else None,
            },
        )

    def _loop(self) -> None:
        self._schedule.start()
        while not self._should_stop():
            self._step()
            if self._replay_ended or self._should_stop():
                break
            self._schedule.wait_for_next_tick()

    def _should_stop(self) -> bool:
        if self._stop.requested or self._schedule.expired():
            return True
        return self._max_steps is not None and self._counters.steps >= self._max_steps

    def _step(self) -> None:
        self._counters.steps += 1
        new: list[Candle] = []
        try:
            since = self._last_candle.open_time if self._last_candle else None
            batch = self._exchange.candles(self._symbol, self._timeframe, since=since)
            new = closed_after(batch, since)
            for candle in new:
                self._on_candle(candle)
            if new and self._guard.active and self._target is not None:
                assert self._rules is not None
                self._trader.trade_towards(self._target, new[-1].close, self._rules)
            self._guard.record_success()
        except _FATAL:
            raise
        except ExchangeError as exc:
            self._on_exchange_error(exc)
        if not new and getattr(self._exchange, "exhausted", False):
            self._replay_ended = True
        self._note_halt(self._guard.check_daily_loss(self._portfolio, self._clock.now()))
        if self._counters.steps % self._heartbeat_every == 0:
            self._heartbeat()
        self._observe()
        if self._on_step is not None:
            self._on_step(self.metrics())

    def _heartbeat(self) -> None:
        """The heartbeat event; the running summary too once its wall-clock interval is over."""
        metrics = self.metrics()
        self._events.append(EventType.HEARTBEAT, heartbeat_payload(metrics))
        last = self._summary_written_at
        if last is None or self._wall.monotonic() - last >= self._summary_interval:
            self._write_running_summary(metrics)

    def _on_candle(self, candle: Candle) -> None:
        self._counters.candles_processed += 1
        self._last_candle = candle
        self._portfolio.mark(self._symbol, candle.close, self._clock.now())
        self._events.append(EventType.CANDLE, candle_payload(candle))
        target = self._strategy.on_candle(candle)
        if target is None:
            return
        if target != self._target:
            self._counters.signals += 1
            self._events.append(
                EventType.SIGNAL, signal_payload(self._strategy, candle, target, self._target)
            )
        self._target = target

    # --- state -------------------------------------------------------------------------------
    def _on_exchange_error(self, exc: ExchangeError) -> None:
        _log.warning("exchange error: %s: %s", type(exc).__name__, exc)
        halted = self._guard.record_error(exc)
        self._events.append(
            EventType.ERROR,
            {
                "error": type(exc).__name__,
                "message": str(exc),
                "consecutive": self._guard.consecutive_errors,
            },
        )
        self._note_halt(halted)

    def _note_halt(self, reason: str | None) -> None:
        if reason is None:
            return
        _log.warning("trading halted: %s", reason)
        self._events.append(
            EventType.STATE_CHANGED, {"from": "active", "to": "halted", "reason": reason}
        )

    def _observe(self, failed: bool = False, failure: str = "") -> None:
        if self._observed is None:
            return
        last = self._last_candle
        seen = observation(
            now=self._clock.now(),
            portfolio=self._portfolio,
            last_candle_time=last.open_time if last is not None else None,
            trading_state=self._guard.state,
            halt_reason=self._guard.halt_reason,
            risk_blocked_total=self._executor.counters.risk_blocked,
            consecutive_errors=self._guard.consecutive_errors,
            timeframe_seconds=self._timeframe.seconds,
            last_block_reason=self._trader.last_block_reason,
            failed=failed,
            failure=failure,
        )
        for alert in self._observed.observe(seen):
            self._events.append(EventType.ALERT, alert_payload(alert))

    def _fail(self, exc: BaseException, error: str) -> None:
        try:
            self._events.append(
                EventType.ERROR, {"error": type(exc).__name__, "message": str(exc), "fatal": True}
            )
            self._observe(failed=True, failure=error)
        except Exception:
            _log.exception("could not record the failure in the run log")

    def _finish(self, status: SessionStatus, error: str) -> dict[str, Any]:
        summary = self.summary(status, error)
        try:
            if status is not SessionStatus.FAILED:
                self._observe()
            reason = self._stop.reason or self._guard.halt_reason or error
            self._events.append(EventType.SESSION_ENDED, {"status": status.value, "reason": reason})
            self._events.write_summary(summary)
        except Exception:
            _log.exception("could not write the end of the run log")
            if status is not SessionStatus.FAILED:
                raise
        finally:
            self._events.close()
            if self._alerts is not None:
                self._alerts.close()
        return summary
