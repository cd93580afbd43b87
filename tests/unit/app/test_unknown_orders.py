"""Issue 12, finding 2: an order whose outcome is UNKNOWN is never resent and never declared
"never placed" on one miss. It is looked up by client order id with backoff on the clock
(`reconcile`, every step, no new order needed) until it is found — then booked and followed —
or the resolution window has passed; resumed runs hand such orders over with adopt_unknown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.unit.app.executor_rig import buy, make_executor
from tests.unit.app.fakes import BTC_EUR, T0, MemoryRunLog, SpyExchange

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.orders.execution_log import OrderContext
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.domain.orders import (
    AckStatus,
    ExecutionStatus,
    Fill,
    OrderAck,
    OrderSide,
    OrderState,
    OrderStatus,
    OrderType,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.ports.errors import ExchangeUnavailableError

WINDOW = Decimal(60)


def live_state(status: OrderStatus = OrderStatus.OPEN) -> OrderState:
    return OrderState(
        order_id="O-1",
        client_order_id="c-1",
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        order_type=OrderType.MARKET,
        quantity=Decimal("0.01"),
        status=status,
        filled_quantity=Decimal("0.01") if status is OrderStatus.FILLED else Decimal(0),
    )


def one_fill() -> Fill:
    return Fill(
        order_id="O-1",
        trade_id="T1",
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=Decimal("0.01"),
        price=Decimal("50020"),
        fee=Decimal("0.5"),
        fee_currency="EUR",
        time=T0,
    )


def unknown_then(spy: SpyExchange, *answers: OrderState | Exception | None) -> None:
    spy.acks.append(OrderAck(status=AckStatus.UNKNOWN, client_order_id="c-1"))
    spy.found.extend(answers)


def run_steps(
    clock: SimulatedClock, executor: TestnetExchangeOrderExecutor, seconds: float, step: float
) -> None:
    """What the trading core does: `reconcile` after every step of `step` seconds."""
    for _ in range(round(seconds / step)):
        clock.advance(step)
        executor.reconcile()


def test_a_missing_unknown_order_is_looked_up_with_backoff_until_the_window_ends() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    spy.clock = clock
    unknown_then(spy)  # the venue never lists it
    log = MemoryRunLog()
    executor = make_executor(spy, clock=clock, log=log, unknown_order_resolution_seconds=WINDOW)

    executor.execute(buy())
    run_steps(clock, executor, 120, 0.5)

    # at once, then 1, 2, 4, 8, 16 s apart, and last right when the window ends
    assert spy.find_times == [0, 1, 3, 7, 15, 31, 60]
    final = log.of_type("order_result")[-1]
    assert final["final"] is True
    assert final["status"] == "rejected"
    assert "never placed" in final["message"]
    assert executor.unresolved() == ()
    assert [o.client_order_id for o in spy.submitted] == ["c-1"]  # never sent again


def test_an_order_the_venue_shows_late_is_found_by_reconcile_and_its_fills_booked() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    unknown_then(spy, None, None, live_state())  # visible only on the third lookup
    spy.states["O-1"] = [live_state(OrderStatus.FILLED)]
    spy.fill_script["O-1"] = [(one_fill(),)]
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
    log = MemoryRunLog()
    executor = make_executor(
        spy, clock=clock, log=log, portfolio=portfolio, unknown_order_resolution_seconds=WINDOW
    )

    assert executor.execute(buy()).status is ExecutionStatus.UNKNOWN
    run_steps(clock, executor, 10, 1)  # no new order is attempted meanwhile

    assert spy.find_calls == ["c-1", "c-1", "c-1"]
    assert portfolio.quantity(BTC_EUR) == Decimal("0.01")
    assert [(e["status"], e["final"]) for e in log.of_type("order_result")] == [
        ("unknown", False),
        ("filled", True),
    ]
    assert len(log.of_type("fill")) == 1
    assert executor.counters.accepted == 1
    assert executor.unresolved() == ()


def test_reconcile_asks_the_venue_nothing_when_no_order_is_pending() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    executor = make_executor(spy, clock=clock)

    run_steps(clock, executor, 600, 1)

    assert spy.calls == []


def test_a_lookup_that_raises_proves_nothing_and_is_tried_again() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    down = ExchangeUnavailableError("down")
    unknown_then(spy, *[down] * 9, None)  # lookups at 0 1 3 7 15 31 60 90 120 s fail
    log = MemoryRunLog()
    executor = make_executor(spy, clock=clock, log=log, unknown_order_resolution_seconds=WINDOW)

    executor.execute(buy())
    run_steps(clock, executor, 120, 1)
    assert [o.client_order_id for o in executor.unresolved()] == ["c-1"]  # errors only

    run_steps(clock, executor, 60, 1)  # the venue answers: not there, past the window
    assert executor.unresolved() == ()
    assert "never placed" in log.of_type("order_result")[-1]["message"]


class HorizonSpy(SpyExchange):
    """A venue that documents when a missing order is final (as Binance does)."""

    @property
    def unknown_outcome_horizon_seconds(self) -> float:
        return 10.0


def test_a_venues_own_horizon_replaces_the_configured_window() -> None:
    spy = HorizonSpy()
    clock = SimulatedClock(T0)
    spy.clock = clock
    unknown_then(spy)
    executor = make_executor(spy, clock=clock, unknown_order_resolution_seconds=Decimal(300))

    executor.execute(buy())
    run_steps(clock, executor, 30, 0.5)

    assert executor.resolution_window_seconds == 10
    assert spy.find_times == [0, 1, 3, 7, 10]
    assert executor.unresolved() == ()


def test_an_adopted_order_is_resolved_by_reconcile_and_never_sent() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    spy.found.append(live_state())
    spy.states["O-1"] = [live_state(OrderStatus.FILLED)]
    spy.fill_script["O-1"] = [(one_fill(),)]
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
    log = MemoryRunLog()
    executor = make_executor(spy, clock=clock, log=log, portfolio=portfolio)
    context = OrderContext(number=7, intent="open", reason="signal")

    executor.adopt_unknown(buy(), Decimal("50010"), context, sent_at=T0 - timedelta(minutes=2))
    assert spy.calls == []  # nothing asked yet: the core's next step looks it up
    assert executor.has_unresolved(BTC_EUR)
    executor.reconcile()

    assert spy.submitted == []
    assert portfolio.quantity(BTC_EUR) == Decimal("0.01")
    results = log.of_type("order_result")
    assert [(e["status"], e["final"]) for e in results] == [("unknown", False), ("filled", True)]
    assert {e["order_no"] for e in results} == {7}


def test_an_adopted_order_sent_longer_ago_than_the_window_is_settled_by_one_lookup() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    log = MemoryRunLog()
    executor = make_executor(spy, clock=clock, log=log, unknown_order_resolution_seconds=WINDOW)
    executor.adopt_unknown(buy(), sent_at=T0 - timedelta(minutes=10))

    blocked = executor.execute(buy("0.01", "c-2"))  # its lookup is due: missing, and final
    assert spy.find_calls == ["c-1"]
    assert blocked.status is ExecutionStatus.VALIDATED
    assert "never placed" in log.of_type("order_result")[1]["message"]
