"""TestnetSession: one run of the trading core, fed by a live poller or a replay feed.

The session records the run (meta, `session_started`, heartbeats, the summary, `session_ended`),
evaluates the alert rules, and decides when to stop: the end of a replay, --duration, --max-steps,
a stop request (SIGINT/SIGTERM: the current step is finished and the run ends `interrupted`) or
a fatal error (`failed`, re-raised for the caller's exit code). Every figure comes from the
Portfolio ledger. A heartbeat every `heartbeat_every_steps` steps writes a `heartbeat` event
(with each symbol's price bar since the previous one) and makes the run log durable; the
summary is rewritten with it at most once per `summary_min_interval_seconds` of wall time.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

import attrs

from peak_trade.app.session.account import AccountWatch  # issue 13: the venue account
from peak_trade.app.session.core import TradingCore
from peak_trade.app.session.events import (
    alert_payload,
    heartbeat_payload,
    observation,
    started_payload,
)
from peak_trade.app.session.metrics import (
    SessionStatus,
    TestnetSessionMetrics,
    build_summary,
    symbol_summary,
)
from peak_trade.app.session.resume import ResumeInfo, restore_live
from peak_trade.app.session.stop import StopRequest
from peak_trade.domain.environment import Venue
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.trading_state import TradingState
from peak_trade.ports.alerts import AlertObserver
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import (
    EventLogError,
    EventLogPort,
    EventType,
    ResumeMismatchError,
)
from peak_trade.ports.exchange import ExchangePort

SUMMARY_MIN_INTERVAL_SECONDS = 1.0  # wall time between running-summary rewrites at heartbeats
STATUS_MIN_INTERVAL_SECONDS = 0.1  # wall time between status-line updates
_log = logging.getLogger(__name__)


class Driver(Protocol):
    """How candles reach the core: LivePoller or ReplayFeed.

    `run` calls `step(count)` after every `count` steps (True: stop now); it may take up to
    `calm_steps()` steps before telling, and then reads `stop.requested` after each of them.
    """

    consecutive_errors: int
    exchange_errors: int
    ended: bool

    def warm_up(self) -> tuple[int, int]: ...

    def run(
        self, step: Callable[[int], bool], calm_steps: Callable[[], int], stop: StopRequest
    ) -> None: ...


class ResumeLog(Protocol):
    """A resumed replay's run log while it re-lives its record (alerts are not sent again)."""

    @property
    def catching_up(self) -> bool: ...


@attrs.frozen(kw_only=True)
class RunBounds:
    """When a run stops on its own besides the end of its data."""

    max_steps: int | None = None
    duration_minutes: Decimal | None = None


@attrs.frozen(kw_only=True)
class Recording:
    """How often the run log gets a heartbeat and the summary a rewrite."""

    heartbeat_every_steps: int = 10
    summary_min_interval_seconds: float = SUMMARY_MIN_INTERVAL_SECONDS


class TestnetSession:
    """The testnet trading session use case: a trading core, a driver and the run log."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        *,
        core: TradingCore,
        driver: Driver,
        exchange: ExchangePort,
        portfolio: Portfolio,
        clock: ClockPort,
        wall_clock: ClockPort,
        event_log: EventLogPort,
        alerts: AlertObserver | None = None,
        meta: Mapping[str, Any] | None = None,
        bounds: RunBounds = RunBounds(),
        recording: Recording = Recording(),
        stop: StopRequest | None = None,
        on_step: Callable[[TestnetSessionMetrics], None] | None = None,
        resume: ResumeInfo | None = None,
        resume_log: ResumeLog | None = None,
        recorded: Iterable[Mapping[str, Any]] | None = None,
    ) -> None:
        self._core = core
        self._driver = driver
        self._exchange = exchange
        self._portfolio = portfolio
        self._clock = clock
        self._wall = wall_clock
        self._events = event_log
        self._alerts = alerts
        self._observed = alerts if alerts is not None and alerts.enabled else None
        self._meta = dict(meta or {})
        self._bounds = bounds
        self._heartbeat_every = max(1, recording.heartbeat_every_steps)
        self._summary_interval = max(0.0, recording.summary_min_interval_seconds)
        self._stop = stop or StopRequest()
        self._on_step = on_step
        self._resume = resume
        self._resume_log = resume_log  # a replay re-simulating its record (resume)
        self._recorded = recorded  # a live run's recorded events (resume)
        self.steps = 0
        self._started_at: datetime | None = None
        self._deadline: float | None = None
        self._summary_at: float | None = None  # wall monotonic of the last summary rewrite
        self._status_at = -1.0
        self._observed_orders = -1
        self._account = AccountWatch.of(exchange, core, portfolio, event_log)  # issue 13

    # --- reading ---------------------------------------------------------------------------
    @property
    def run_id(self) -> str:
        return self._events.run_id

    @property
    def venue(self) -> Venue:
        return self._exchange.venue

    def metrics(self) -> TestnetSessionMetrics:
        """The counters and ledger figures right now."""
        gate = self._core.gate
        return TestnetSessionMetrics.capture(
            steps=self.steps,
            books=self._core.books,
            orders=self._core.trader_orders(),
            portfolio=self._portfolio,
            exchange_errors=self._driver.exchange_errors,
            trading_state=gate.state,
            halt_reason=gate.reason if gate.state is not TradingState.ACTIVE else "",
        )

    def summary(self, status: SessionStatus, error: str = "") -> dict[str, Any]:
        """summary.json for the current state (ended_at set unless still running)."""
        now = self._wall.now()
        by_symbol = self._core.orders_by_symbol()
        return self._account.summary_fields() | build_summary(  # issue 13: account_balances
            run_id=self.run_id,
            status=status,
            started_at=self._first_started_at() or now,
            ended_at=None if status is SessionStatus.RUNNING else now,
            metrics=self.metrics(),
            portfolio=self._portfolio,
            symbols={
                str(s): symbol_summary(b, by_symbol.get(s), self._portfolio)
                for s, b in self._core.books.items()
            },
            lives=self._lives(),
            error=error,
        )

    def _first_started_at(self) -> datetime | None:
        if self._resume is not None and self._resume.first_started_at is not None:
            return self._resume.first_started_at
        return self._started_at

    def _lives(self) -> list[dict[str, Any]]:
        """Every life of the run: the earlier ones (a resumed run) and this one."""
        if self._resume is None:
            return [{"life": 1, "started_at": self._started_at, "cause": "start"}]
        return [
            *(dict(life) for life in self._resume.previous_lives),
            {
                "life": self._resume.life,
                "started_at": self._started_at,
                "cause": self._resume.cause,
            },
        ]

    def close(self) -> None:
        """Release the exchange adapter (connections, nonce files) once the run is over."""
        self._exchange.close()

    # --- the run ---------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        """Run until the data ends, --duration/--max-steps, a stop request or a fatal error.

        Returns the final summary. A fatal error is logged and summarized (status `failed`),
        then re-raised for the caller to map to an exit code; that includes a failure while
        the run log is opened (meta, `session_started`, the first summary). A resume refused
        because the run log cannot be continued (ResumeMismatchError) writes nothing more.
        """
        status = SessionStatus.COMPLETED
        error = ""
        refused = False
        try:
            self._start()
            self._account.require_capital()  # issue 13: start_balance <= free quote
            for book in self._core.books.values():
                book.rules = self._exchange.instrument(book.symbol)
            self._warm_up()
            if self._duration_seconds() is not None:
                self._deadline = self._clock.monotonic() + self._duration_seconds()  # type: ignore[operator]
            if not self._should_stop():
                self._driver.run(self._step, self._calm_steps, self._stop)
            if self._stop.requested:
                status = SessionStatus.INTERRUPTED
            elif self._core.gate.state is TradingState.HALTED:
                status = SessionStatus.HALTED
        except BaseException as exc:
            status = SessionStatus.FAILED
            error = f"{type(exc).__name__}: {exc}"
            refused = isinstance(exc, ResumeMismatchError)
            if not refused:
                self._fail(exc, error)
            raise
        finally:
            summary = self._finish(status, error, refused=refused)
        return summary

    def _duration_seconds(self) -> float | None:
        minutes = self._bounds.duration_minutes
        return float(minutes) * 60 if minutes is not None else None

    def _start(self) -> None:
        self._started_at = self._wall.now()
        if self._resume is not None and not self._resume.replay:
            self._resume_live(self._resume)
            return
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
            started_payload(self._core.books, self._exchange.venue, self._portfolio)
            | self._account.opening(),  # issue 13: account_balances at start
        )
        self._write_summary(SessionStatus.RUNNING)

    def _resume_live(self, resume: ResumeInfo) -> None:
        """Go on with a live run: its state rebuilt from the run log, `session_resumed`, the
        recorded trading state, and the orders of unknown outcome taken over (reconciled with
        the venue by client order id before anything new is sent)."""
        executor = self._core.executor
        restored = restore_live(
            self._recorded or (), core=self._core, portfolio=self._portfolio, executor=executor
        )
        self.steps = restored.steps
        self._events.append(
            EventType.SESSION_RESUMED,
            resume.resumed_payload(self._wall.now())
            | {
                "fills_rebuilt": restored.fills,
                "unresolved_orders": [o.request.client_order_id for o in restored.unresolved],
                "next_order_no": self._core.trader.next_order_number,
            },
            durable=True,
        )
        if restored.state is not None:
            self._core.restore_state(*restored.state)
        for order in restored.unresolved:
            if self._exchange.venue.validate_only:  # never placed: nothing to look up
                executor.settle_unvalidated(order.request, order.reference, order.context)
                continue
            executor.adopt_unknown(
                order.request,
                order.reference,
                order.context,
                sent_at=order.sent_at,
                booked_trade_ids=frozenset(order.booked_trade_ids),
            )
        self._write_summary(SessionStatus.RUNNING)

    def _warm_up(self) -> None:
        primed, wanted = self._driver.warm_up()
        if primed < wanted:
            _log.warning("warmup: only %d of %d candles available", primed, wanted)
        self._events.append(
            EventType.STATE_CHANGED,
            {
                "from": "warmup",
                "to": self._core.gate.state.value,
                "reason": f"warmup loaded {primed} of {wanted} candles",
                "warmup_candles": primed,
                "last_candle_time": self._core.last_candle_time(),
            },
        )

    def _calm_steps(self) -> int:
        """How many steps the driver may take before telling `_step`: up to the next heartbeat
        and --max-steps; one at a time under a --duration deadline, and while the alert rules
        must look at each step: a state change or a condition held back by the debounce may
        fire at any of them (equity_watch is None). Otherwise, flat, every figure the rules
        read stands still until the stretch ends; with a position, the core ends the stretch
        at the first candle whose equity would change what a rule finds (equity_watch)."""
        if self._deadline is not None:
            return 1
        observed = self._observed
        if observed is not None:
            watch = observed.equity_watch()
            if watch is None:
                return 1
            self._core.alert_watch = watch if self._portfolio.has_positions else None
        every = self._heartbeat_every
        left = every - self.steps % every
        max_steps = self._bounds.max_steps
        if max_steps is not None:
            left = min(left, max(1, max_steps - self.steps))
        return left

    def _step(self, count: int = 1) -> bool:
        """After `count` steps of the driver (at most `_calm_steps()`): heartbeat, alerts,
        status line; True to stop."""
        self.steps += count
        if self.steps % self._heartbeat_every == 0:
            self._heartbeat()
        if self._observed is not None:
            self._observe()
        if self._on_step is not None:
            wall = self._wall.monotonic()
            if wall - self._status_at >= STATUS_MIN_INTERVAL_SECONDS:
                self._status_at = wall
                self._on_step(self.metrics())
        return self._should_stop()

    def _should_stop(self) -> bool:
        if self._stop.requested or self._driver.ended:
            return True
        if self._deadline is not None and self._clock.monotonic() >= self._deadline:
            return True
        return self._bounds.max_steps is not None and self.steps >= self._bounds.max_steps

    def _heartbeat(self, *, final: bool = False) -> None:
        """The heartbeat event; at most once per `summary_min_interval_seconds` of wall time
        also the durable point (sync) and the running summary: a replay runs thousands of
        heartbeats a second, a live session one every few minutes."""
        metrics = self.metrics()
        self._events.append(
            EventType.HEARTBEAT, heartbeat_payload(metrics, self._portfolio, self._core.books)
        )
        if final:
            return  # the final summary follows at once
        self._account.heartbeat()  # issue 13: a testnet reset is reported, not crashed on
        last = self._summary_at
        if last is None or self._wall.monotonic() - last >= self._summary_interval:
            self._events.sync()
            self._write_summary(SessionStatus.RUNNING)

    def _write_summary(self, status: SessionStatus, error: str = "") -> dict[str, Any]:
        summary = self.summary(status, error)
        self._events.write_summary(summary)
        self._summary_at = self._wall.monotonic()
        return summary

    def _observe(self, failed: bool = False, failure: str = "") -> None:
        if self._observed is None:
            return
        gate = self._core.gate
        stale_symbol, stale_time = self._core.stalest_candle_time()
        seen = observation(
            now=self._clock.now(),
            portfolio=self._portfolio,
            last_candle_time=stale_time,
            trading_state=gate.state,
            halt_reason=gate.reason if gate.state is not TradingState.ACTIVE else "",
            risk_blocked_total=self._core.trader_orders().risk_blocked,
            consecutive_errors=self._driver.consecutive_errors,
            timeframe_seconds=self._core.timeframe_seconds(),
            last_block=self._core.trader.last_block,
            stale_symbol=str(stale_symbol) if stale_symbol else "",
            failed=failed,
            failure=failure,
            venue_resets=self._account.resets,
            last_venue_reset=self._account.last_reset,
        )
        deliver = self._resume_log is None or not self._resume_log.catching_up
        for alert in self._observed.observe(seen, deliver=deliver):
            self._events.append(EventType.ALERT, alert_payload(alert))

    def _fail(self, exc: BaseException, error: str) -> None:
        """Record a fatal error and raise the `session_failed` alert, each on its own: when
        the run log is what failed (disk full, deleted), the alert still reaches the sinks."""
        try:
            self._events.append(
                EventType.ERROR, {"error": type(exc).__name__, "message": str(exc), "fatal": True}
            )
        except Exception:  # the run log may be what failed: the caller reports the error
            _log.debug("could not record the failure in the run log", exc_info=True)
        try:
            self._observe(failed=True, failure=error)
        except Exception:  # delivered first, then written as `alert` events (which may fail)
            _log.debug("could not record the failure alert in the run log", exc_info=True)

    def _finish(
        self, status: SessionStatus, error: str, *, refused: bool = False
    ) -> dict[str, Any]:
        summary = self.summary(status, error)
        if refused:  # a run log that cannot be continued is left exactly as it was
            self._close_logs(quiet=True)
            return summary
        failed = status is SessionStatus.FAILED  # that failure is on its way to the caller
        try:
            if status is not SessionStatus.FAILED:
                self._observe()
            if self.steps % self._heartbeat_every:
                self._heartbeat(final=True)  # the figures and price bars since the last one
            gate = self._core.gate
            reason = (
                self._stop.reason
                or (gate.reason if gate.state is not TradingState.ACTIVE else "")
                or error
            )
            ended = {"status": status.value, "reason": reason} | self._account.closing()  # issue 13
            self._events.append(EventType.SESSION_ENDED, ended)
            summary = self._write_summary(status, error)
        except Exception as exc:  # the run log failed at its end (disk full, deleted, I/O)
            _log.debug("could not write the end of the run log", exc_info=True)
            if not failed:
                status, error = SessionStatus.FAILED, f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(Exception):
                summary = self._write_summary(status, error)  # `failed`, if it can be written
            if not failed:
                raise
        finally:
            self._close_logs(quiet=failed)
        return summary

    def _close_logs(self, *, quiet: bool) -> None:
        """Close the run log and the alert sinks; a close error of a failed run stays quiet."""
        try:
            self._events.close()
        except EventLogError:
            if not quiet:
                raise
            _log.debug("could not close the run log", exc_info=True)
        finally:
            if self._alerts is not None:
                self._alerts.close()
