"""TestnetSession: warm up a strategy, then poll closed candles and trade its target position.

The session speaks to the ExchangePort only. Every closed candle is fed once, in order; the
forming candle never. Polling follows a fixed schedule through the ClockPort (sleep until the
next tick, skipping ticks that already passed), so work time never adds drift. A stop request
(SIGINT/SIGTERM) ends the loop after the current step; the summary is then written with status
`interrupted`. All money figures come from the Portfolio ledger.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from peak_trade.app.alerting import SessionObservation
from peak_trade.app.config import TestnetSessionConfig
from peak_trade.app.executor import TestnetExchangeOrderExecutor
from peak_trade.app.session_metrics import (
    SessionCounters,
    SessionStatus,
    TestnetSessionMetrics,
    TradingState,
    build_summary,
)
from peak_trade.app.stop import StopRequest
from peak_trade.app.warmup import fetch_warmup_candles
from peak_trade.domain.environment import SafetyRefusal
from peak_trade.domain.ids import client_order_id
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle
from peak_trade.domain.orders import ExecutionStatus, OrderRequest
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.sizing import plan_orders
from peak_trade.domain.strategies import Strategy
from peak_trade.ports.alerts import Alert
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import ExchangeAuthError, ExchangeError, UnknownSymbolError
from peak_trade.ports.events import EventLogPort
from peak_trade.ports.exchange import ExchangePort

__all__ = ["TestnetSession", "TestnetSessionConfig", "TestnetSessionMetrics"]

_log = logging.getLogger(__name__)
_FATAL = (ExchangeAuthError, UnknownSymbolError)


class RunLogPort(EventLogPort, Protocol):
    """The event log plus meta.json (RunLogWriter and NullEventLog)."""

    def write_meta(self, meta: Mapping[str, Any]) -> None: ...


class AlertObserver(Protocol):
    """What the session needs from the AlertEngine."""

    def observe(self, observation: SessionObservation) -> list[Alert]: ...

    def close(self, timeout: float = 2.0) -> None: ...


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
        event_log: RunLogPort,
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
    ) -> None:
        self._exchange = exchange
        self._executor = executor
        self._strategy = strategy
        self._portfolio = portfolio
        self._clock = clock
        self._events = event_log
        self._config = config
        self._risk = risk_limits
        self._alerts = alert_engine
        self._meta = dict(meta or {})
        self._max_steps = max_steps
        self._duration = float(duration_minutes) if duration_minutes is not None else None
        self._heartbeat_every = max(1, heartbeat_every_steps)
        self._stop = stop or StopRequest()
        self._on_step = on_step
        self._slice = sleep_slice_seconds
        self._wall = wall_clock or clock
        self._symbol = config.symbol
        self._timeframe = config.timeframe
        self._counters = SessionCounters()
        self._state = TradingState.ACTIVE
        self._halt_reason = ""
        self._last_candle: Candle | None = None
        self._target: Decimal | None = None
        self._order_seq = 0
        self._rules: InstrumentRules | None = None
        self._started_at: datetime | None = None
        self._last_block_reason = ""
        self._replay_ended = False

    @property
    def run_id(self) -> str:
        return self._events.run_id

    @property
    def trading_state(self) -> TradingState:
        return self._state

    def metrics(self) -> TestnetSessionMetrics:
        """The counters and ledger figures right now."""
        return TestnetSessionMetrics.capture(
            counters=self._counters,
            orders=self._executor.counters,
            portfolio=self._portfolio,
            symbol=self._symbol,
            last_candle_time=self._last_candle.open_time if self._last_candle else None,
            trading_state=self._state,
            halt_reason=self._halt_reason,
        )

    def summary(self, status: SessionStatus, error: str = "") -> dict[str, Any]:
        """summary.json for the current state (ended_at set unless still running)."""
        now = self._wall.now()
        return build_summary(
            run_id=self.run_id,
            status=status,
            started_at=self._started_at or now,
            ended_at=None if status is SessionStatus.RUNNING else now,
            metrics=self.metrics(),
            portfolio=self._portfolio,
            error=error,
        )

    def run(self) -> dict[str, Any]:
        """Run until the replay ends, --duration/--max-steps, a stop request or a fatal error.

        Returns the final summary. A fatal error is logged and summarized (status `failed`),
        then re-raised for the caller to map to an exit code.
        """
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
            "session_started",
            {
                "symbol": str(self._symbol),
                "timeframe": self._timeframe.label,
                "strategy": self._strategy.name,
                "params": dict(self._strategy.params),
                "venue": self._exchange.venue.name,
                "validate_only": self._exchange.venue.validate_only,
                "start_equity": self._portfolio.start_equity,
            },
        )
        self._events.write_summary(self.summary(SessionStatus.RUNNING))
        status = SessionStatus.COMPLETED
        error = ""
        try:
            self._rules = self._exchange.instrument(self._symbol)
            self._warmup()
            self._loop()
            if self._stop.requested:
                status = SessionStatus.INTERRUPTED
            elif self._state is TradingState.HALTED:
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
    def _warmup(self) -> None:
        wanted = self._config.warmup_candles
        candles = fetch_warmup_candles(self._exchange, self._symbol, self._timeframe, wanted)
        for candle in candles:
            self._strategy.on_candle(candle)
            self._last_candle = candle
        if candles:
            self._target = None
            self._portfolio.mark(self._symbol, candles[-1].close, self._clock.now())
        self._counters.warmup_candles = len(candles)
        if len(candles) < wanted:
            _log.warning("warmup: %d of %d candles available", len(candles), wanted)
        self._events.append(
            "state_changed",
            {
                "from": "warmup",
                "to": self._state.value,
                "reason": f"warmup loaded {len(candles)} of {wanted} candles",
                "warmup_candles": len(candles),
                "last_candle_time": self._last_candle.open_time if self._last_candle else None,
            },
        )

    def _loop(self) -> None:
        interval = float(self._config.poll_interval_seconds)
        start = self._clock.monotonic()
        deadline = start + self._duration * 60 if self._duration is not None else None
        tick = 0
        while not self._should_stop(deadline):
            self._step()
            if self._replay_ended or self._should_stop(deadline):
                break
            tick += 1
            now = self._clock.monotonic()
            if now > start + tick * interval:  # work overran: skip the ticks already passed
                tick = math.floor((now - start) / interval) + 1
            wake = start + tick * interval
            self._sleep_until(min(wake, deadline) if deadline is not None else wake)

    def _should_stop(self, deadline: float | None) -> bool:
        if self._stop.requested:
            return True
        if self._max_steps is not None and self._counters.steps >= self._max_steps:
            return True
        return deadline is not None and self._clock.monotonic() >= deadline

    def _sleep_until(self, wake: float) -> None:
        while not self._stop.requested:
            remaining = wake - self._clock.monotonic()
            if remaining <= 0:
                return
            self._clock.sleep(min(remaining, self._slice) if self._slice else remaining)

    def _step(self) -> None:
        self._counters.steps += 1
        new: list[Candle] = []
        try:
            since = self._last_candle.open_time if self._last_candle else None
            batch = self._exchange.candles(self._symbol, self._timeframe, since=since)
            new = [c for c in batch.closed if since is None or c.open_time > since]
            for candle in new:
                self._on_candle(candle)
            if new and self._state is TradingState.ACTIVE and self._target is not None:
                self._trade_towards(self._target, new[-1])
            self._counters.consecutive_errors = 0
        except _FATAL:
            raise
        except ExchangeError as exc:
            self._on_exchange_error(exc)
        if not new and getattr(self._exchange, "exhausted", False):
            self._replay_ended = True
        self._check_daily_loss()
        if self._counters.steps % self._heartbeat_every == 0:
            self._heartbeat()
        self._observe()
        if self._on_step is not None:
            self._on_step(self.metrics())

    def _on_candle(self, candle: Candle) -> None:
        self._counters.candles_processed += 1
        self._last_candle = candle
        self._portfolio.mark(self._symbol, candle.close, self._clock.now())
        self._events.append(
            "candle",
            {
                "symbol": str(candle.symbol),
                "open_time": candle.open_time,
                "open": candle.open,
                "high": candle.high,
                "low": candle.low,
                "close": candle.close,
                "volume": candle.volume,
            },
        )
        target = self._strategy.on_candle(candle)
        if target is not None and target != self._target:
            self._counters.signals += 1
            self._events.append(
                "signal",
                {
                    "strategy": self._strategy.name,
                    "candle_time": candle.open_time,
                    "close": candle.close,
                    "target": target,
                    "previous_target": self._target,
                },
            )
        if target is not None:
            self._target = target

    def _trade_towards(self, target: Decimal, candle: Candle) -> None:
        assert self._rules is not None
        plan = plan_orders(
            target=target,
            current_quantity=self._portfolio.quantity(self._symbol),
            equity=self._portfolio.equity,
            price=candle.close,
            position_fraction=self._config.position_fraction,
            rules=self._rules,
        )
        for skip in plan.skipped:
            self._counters.sizing_skips += 1
            _log.info("order skipped: %s", skip.message)
            self._events.append(
                "risk_decision",
                {
                    "allowed": False,
                    "stage": "sizing",
                    "intent": skip.intent,
                    "reason": skip.reason.value,
                    "message": skip.message,
                },
            )
        for leg in plan.orders:
            self._order_seq += 1
            request = OrderRequest(
                symbol=self._symbol,
                side=leg.side,
                quantity=leg.quantity,
                client_order_id=client_order_id(self.run_id, self._order_seq),
            )
            result = self._executor.execute(request)
            if result.status is ExecutionStatus.RISK_BLOCKED:
                self._last_block_reason = result.message
            if result.status not in (ExecutionStatus.VALIDATED, ExecutionStatus.FILLED):
                break  # a flip never opens the new side unless the close went through

    # --- state -------------------------------------------------------------------------------
    def _on_exchange_error(self, exc: ExchangeError) -> None:
        self._counters.exchange_errors += 1
        self._counters.consecutive_errors += 1
        _log.warning("exchange error: %s: %s", type(exc).__name__, exc)
        self._events.append(
            "error",
            {
                "error": type(exc).__name__,
                "message": str(exc),
                "consecutive": self._counters.consecutive_errors,
            },
        )
        limit = self._config.max_consecutive_errors
        if self._counters.consecutive_errors >= limit:
            count = self._counters.consecutive_errors
            self._halt(f"{count} consecutive exchange errors (max {limit}); last: {exc}")

    def _check_daily_loss(self) -> None:
        if self._state is TradingState.HALTED or not self._risk.enabled:
            return
        loss = -self._portfolio.daily_pnl
        if loss <= 0:
            return
        limit_abs = self._risk.max_daily_loss_abs
        if limit_abs is not None and loss > limit_abs:
            self._halt(f"daily loss {loss:.2f} exceeds max_daily_loss_abs {limit_abs}")
            return
        limit_pct = self._risk.max_daily_loss_pct
        day_start = self._portfolio.day_start_equity
        if limit_pct is not None and day_start > 0 and loss / day_start * 100 > limit_pct:
            pct = loss / day_start * 100
            self._halt(f"daily loss {pct:.2f}% exceeds max_daily_loss_pct {limit_pct}%")

    def _halt(self, reason: str) -> None:
        if self._state is TradingState.HALTED:
            return
        self._state = TradingState.HALTED
        self._halt_reason = reason
        _log.warning("trading halted: %s", reason)
        self._events.append("state_changed", {"from": "active", "to": "halted", "reason": reason})

    def _heartbeat(self) -> None:
        m = self.metrics()
        self._events.append(
            "heartbeat",
            {
                "step": m.steps,
                "candles_processed": m.candles_processed,
                "equity": m.equity,
                "position": m.position,
                "trading_state": m.trading_state.value,
                "last_candle_time": m.last_candle_time,
            },
        )
        self._events.write_summary(self.summary(SessionStatus.RUNNING))

    def _observe(self, failed: bool = False, failure: str = "") -> None:
        if self._alerts is None:
            return
        p = self._portfolio
        observation = SessionObservation(
            now=self._clock.now(),
            equity=p.equity,
            start_equity=p.start_equity,
            peak_equity=p.peak_equity,
            daily_pnl=p.daily_pnl,
            drawdown_pct=p.drawdown_pct,
            consecutive_exchange_errors=self._counters.consecutive_errors,
            last_closed_candle_time=self._last_candle.open_time if self._last_candle else None,
            timeframe_seconds=self._timeframe.seconds,
            trading_state=self._state.value,
            halt_reason=self._halt_reason,
            risk_blocked_total=self._executor.counters.risk_blocked,
            last_risk_block_reason=self._last_block_reason,
            session_failed=failed,
            failure_message=failure,
        )
        for alert in self._alerts.observe(observation):
            self._events.append(
                "alert",
                {
                    "level": str(alert.level),
                    "rule": alert.rule,
                    "message": alert.message,
                    "context": dict(alert.context),
                },
            )

    def _fail(self, exc: BaseException, error: str) -> None:
        if isinstance(exc, SafetyRefusal):
            _log.error("refused for safety: %s", exc)
        try:
            self._events.append(
                "error", {"error": type(exc).__name__, "message": str(exc), "fatal": True}
            )
            self._observe(failed=True, failure=error)
        except Exception:
            _log.exception("could not record the failure in the run log")

    def _finish(self, status: SessionStatus, error: str) -> dict[str, Any]:
        summary = self.summary(status, error)
        try:
            if status is not SessionStatus.FAILED:
                self._observe()
            self._events.append(
                "session_ended",
                {"status": status.value, "reason": self._stop.reason or self._halt_reason or error},
            )
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
