"""Issue 12, findings 3 and 4 on the order path: failed submissions count on their own and halt
trading after `max_consecutive_order_failures` (whatever the polls do), a failed submission is
tried again under the same client order id, a Retry-After pauses every request to the venue,
and no order goes out once the run log cannot record its intent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from tests.unit.app.executor_rig import buy, make_executor
from tests.unit.app.fakes import T0, MemoryRunLog, SpyExchange
from tests.unit.app.session_harness import build, synthetic

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory.exchange import InMemoryExchange
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.app.orders.venue_pause import VenuePausedError
from peak_trade.domain.orders import AckStatus, ExecutionStatus, OrderAck, RejectReason
from peak_trade.domain.trading_state import TradingState
from peak_trade.ports.alerts import Alert
from peak_trade.ports.errors import ExchangeUnavailableError, RateLimitedError
from peak_trade.ports.events import EventLogError, EventType


def refused_connection() -> ExchangeUnavailableError:
    return ExchangeUnavailableError("AddOrder: connection refused (the order never left)")


# --- the executor ---------------------------------------------------------------------------
def test_consecutive_failed_submissions_halt_trading_and_say_why() -> None:
    spy = SpyExchange()
    spy.acks.extend([refused_connection() for _ in range(3)])
    log = MemoryRunLog()
    executor = make_executor(spy, log=log, max_consecutive_order_failures=3)

    for _ in range(3):
        with pytest.raises(ExchangeUnavailableError):
            executor.execute(buy())

    assert executor.gate.state is TradingState.HALTED
    assert "max_consecutive_order_failures = 3" in executor.gate.reason
    halted = log.of_type("state_changed")
    assert [(e["from"], e["to"]) for e in halted] == [("active", "halted")]
    after = executor.execute(buy("0.01", "c-9"))
    assert after.reason is RejectReason.TRADING_HALTED
    assert len(spy.submitted) == 3  # nothing more went out


def test_a_definitive_answer_ends_a_streak_of_failures() -> None:
    spy = SpyExchange()
    ok = OrderAck(status=AckStatus.VALIDATED, client_order_id="c-1")
    spy.acks.extend([refused_connection(), refused_connection(), ok, refused_connection()])
    executor = make_executor(spy, max_consecutive_order_failures=3)

    for answer in list(spy.acks):
        if isinstance(answer, Exception):
            with pytest.raises(ExchangeUnavailableError):
                executor.execute(buy())
        else:
            executor.execute(buy())

    assert executor.gate.state is TradingState.ACTIVE
    assert executor.order_failures.consecutive == 1


def test_a_retry_after_pauses_every_request_until_it_has_passed() -> None:
    spy = SpyExchange()
    spy.ticker_error = RateLimitedError("EAPI:Rate limit exceeded", retry_after=30)
    clock = SimulatedClock(T0)
    executor = make_executor(spy, clock=clock)
    with pytest.raises(RateLimitedError):
        executor.execute(buy("0.01", "c-1"))
    spy.ticker_error = None
    calls = len(spy.calls)

    clock.advance(20)
    with pytest.raises(VenuePausedError):
        executor.execute(buy("0.01", "c-1"))
    assert len(spy.calls) == calls  # the venue was not asked anything
    assert spy.submitted == []

    clock.advance(11)
    assert executor.execute(buy("0.01", "c-1")).status is ExecutionStatus.VALIDATED
    assert [o.client_order_id for o in spy.submitted] == ["c-1"]


class VanishingRunLog(MemoryRunLog):
    """A run log whose directory was deleted: it refuses an order intent, as RunLogWriter does."""

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int:
        if event_type is EventType.ORDER_INTENT:
            raise EventLogError("run log runs/x/events.jsonl was deleted")
        return super().append(event_type, payload, durable=durable)


def test_no_order_goes_out_when_its_intent_cannot_be_recorded() -> None:
    spy = SpyExchange()
    executor = make_executor(spy, log=VanishingRunLog())

    with pytest.raises(EventLogError):
        executor.execute(buy())

    assert spy.submitted == []
    assert executor.gate.state is TradingState.HALTED
    assert "run log unavailable" in executor.gate.reason


# --- a session -------------------------------------------------------------------------------
class MemoryAlerts:
    """An alert sink keeping what it was sent."""

    def __init__(self) -> None:
        self.alerts: list[Alert] = []

    def send(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def close(self) -> None:
        """Nothing to release."""


class RefusingOrders:
    """The in-memory venue with an order endpoint that never accepts a connection."""

    def __init__(self, inner: InMemoryExchange) -> None:
        self._inner = inner
        self.submitted: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def submit_order(self, order: Any) -> Any:
        self.submitted.append(order.client_order_id)
        raise refused_connection()


def test_persistently_failing_submissions_halt_the_session_while_polls_succeed() -> None:
    venues: list[RefusingOrders] = []
    sink = MemoryAlerts()

    def wrap(inner: InMemoryExchange, clock: SimulatedClock) -> RefusingOrders:
        venues.append(RefusingOrders(inner))
        return venues[0]

    h = build(
        synthetic(400),
        wrap=wrap,
        max_steps=120,
        max_consecutive_order_failures=3,
        alerts=AlertEngine(AlertsConfig(), [sink]),
    )
    summary = h.session.run()

    assert summary["status"] == "halted"
    assert "max_consecutive_order_failures = 3" in summary["halt_reason"]
    assert summary["exchange_errors"] == 0  # every poll succeeded
    # three attempts of one order, each under the same client order id, then nothing more
    assert len(venues[0].submitted) == 3
    assert len(set(venues[0].submitted)) == 1
    halt_at = h.log.types().index("state_changed", 1)
    assert "candle" in h.log.types()[halt_at:]  # polling and logging go on
    assert "halted" in {alert.rule for alert in sink.alerts}


class RateLimitedOnce:
    """The in-memory venue whose first ticker read says: come back in 600 s."""

    def __init__(self, inner: InMemoryExchange, clock: SimulatedClock) -> None:
        self._inner = inner
        self._clock = clock
        self.limited_at: float | None = None
        self.request_times: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def candles(self, *args: Any, **kwargs: Any) -> Any:
        self.request_times.append(self._clock.monotonic())
        return self._inner.candles(*args, **kwargs)

    def ticker(self, symbol: Any) -> Any:
        self.request_times.append(self._clock.monotonic())
        if self.limited_at is None:
            self.limited_at = self._clock.monotonic()
            raise RateLimitedError("EGeneral:Too many requests", retry_after=600)
        return self._inner.ticker(symbol)


def test_a_retry_after_met_by_an_order_pauses_the_pollers_requests_too() -> None:
    venues: list[RateLimitedOnce] = []

    def wrap(inner: InMemoryExchange, clock: SimulatedClock) -> RateLimitedOnce:
        venues.append(RateLimitedOnce(inner, clock))
        return venues[0]

    h = build(synthetic(400), wrap=wrap, max_steps=40)
    summary = h.session.run()

    venue = venues[0]
    assert venue.limited_at is not None  # an order met the Retry-After
    quiet = [t for t in venue.request_times if venue.limited_at < t < venue.limited_at + 600]
    assert quiet == []
    assert max(venue.request_times) >= venue.limited_at + 600  # and the session went on
    assert summary["status"] == "completed"
    assert summary["orders_submitted"] >= 1
