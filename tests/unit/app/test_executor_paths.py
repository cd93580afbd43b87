"""The executor's order path with a spy exchange and the REAL LiveRiskLimits (its guards and the
risk gate are the seed-level tests in tests/test_exchange_order_executor.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.unit.app.executor_rig import buy, make_executor, sell
from tests.unit.app.fakes import BTC_EUR, T0, MemoryRunLog, SpyExchange

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.domain.orders import (
    AckStatus,
    ExecutionStatus,
    Fill,
    OrderAck,
    OrderSide,
    OrderState,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeUnavailableError


def state(status: OrderStatus, filled: str = "0", order_id: str = "O-1") -> OrderState:
    return OrderState(
        order_id=order_id,
        client_order_id="c-1",
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        order_type=OrderType.MARKET,
        quantity=Decimal("0.01"),
        status=status,
        filled_quantity=Decimal(filled),
    )


def fill(trade_id: str, quantity: str, price: str = "50020", order_id: str = "O-1") -> Fill:
    return Fill(
        order_id=order_id,
        trade_id=trade_id,
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=Decimal(quantity),
        price=Decimal(price),
        fee=Decimal("0.5"),
        fee_currency="EUR",
        time=T0,
    )


def test_exit_orders_are_checked_by_the_risk_limits_too() -> None:
    spy = SpyExchange()
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
    executor = make_executor(
        spy, limits=LiveRiskLimits(max_orders_per_minute=1), portfolio=portfolio
    )
    assert executor.execute(buy("0.01")).status is ExecutionStatus.VALIDATED

    result = executor.execute(sell("0.01"))  # an exit, but the second order in the minute

    assert result.status is ExecutionStatus.RISK_BLOCKED
    assert "max_orders_per_minute" in result.message
    assert len(spy.submitted) == 1


def test_order_rate_window_slides_with_the_clock() -> None:
    spy = SpyExchange()
    clock = SimulatedClock(T0)
    executor = make_executor(spy, limits=LiveRiskLimits(max_orders_per_minute=1), clock=clock)
    executor.execute(buy("0.01", "a"))
    clock.advance(61)
    assert executor.execute(sell("0.01", "b")).status is ExecutionStatus.VALIDATED
    assert len(spy.submitted) == 2


def test_order_below_the_minimum_quantity_is_rejected_locally() -> None:
    spy = SpyExchange()
    result = make_executor(spy).execute(buy("0.00001"))
    assert result.status is ExecutionStatus.REJECTED
    assert result.reason is RejectReason.ORDER_MINIMUM_NOT_MET
    assert spy.submitted == []


def test_order_without_a_reference_price_is_never_sent() -> None:
    spy = SpyExchange()
    spy.ticker_error = ExchangeUnavailableError("ticker timed out")
    log = MemoryRunLog()
    with pytest.raises(ExchangeUnavailableError):
        make_executor(spy, log=log).execute(buy())
    assert spy.submitted == []
    assert "order_intent" not in log.types()


# --- venue outcomes -------------------------------------------------------------------------
def test_validated_order_books_a_simulated_fill_with_slippage_and_fee() -> None:
    spy = SpyExchange(bid=Decimal("50000"), ask=Decimal("50010"))
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
    log = MemoryRunLog()
    executor = make_executor(spy, portfolio=portfolio, log=log)

    result = executor.execute(buy("0.01"))

    price = Decimal("50010") * Decimal("1.0005")
    fee = Decimal("0.01") * price * Decimal("0.0026")
    assert result.status is ExecutionStatus.VALIDATED
    assert result.simulated
    assert result.fills[0].price == price
    assert result.fills[0].fee == fee
    assert portfolio.quantity(BTC_EUR) == Decimal("0.01")
    assert portfolio.cash == Decimal(10000) - Decimal("0.01") * price - fee
    assert portfolio.fees_paid == fee
    assert log.types() == ["risk_decision", "order_intent", "order_result", "simulated_fill"]
    assert log.of_type("simulated_fill")[0]["simulated"] is True
    assert log.of_type("order_result")[0]["status"] == "validated"


def test_validated_order_is_made_durable_by_two_fsyncs_intent_first_and_fill_last() -> None:
    log = MemoryRunLog()
    executor = make_executor(SpyExchange(), log=log)

    executor.execute(buy("0.01"))

    # group commit: risk_decision rides on order_intent's fsync (before submit_order), the
    # order_result on the simulated_fill's fsync after it; nothing follows the last fsync
    assert list(zip(log.types(), log.durable, strict=True)) == [
        ("risk_decision", False),
        ("order_intent", True),
        ("order_result", False),
        ("simulated_fill", True),
    ]


def test_risk_blocked_order_is_made_durable_by_its_refusal() -> None:
    log = MemoryRunLog()
    executor = make_executor(
        SpyExchange(),
        limits=LiveRiskLimits(max_order_notional=Decimal(100), size_down=False),
        log=log,
    )

    executor.execute(buy("0.01"))

    assert list(zip(log.types(), log.durable, strict=True)) == [
        ("risk_decision", False),
        ("order_result", True),
    ]


def test_simulated_sell_fills_at_the_bid_minus_slippage() -> None:
    spy = SpyExchange(bid=Decimal("50000"), ask=Decimal("50010"))
    result = make_executor(spy).execute(sell("0.01"))
    assert result.fills[0].price == Decimal("50000") * Decimal("0.9995")


def test_venue_rejection_records_the_reason_code() -> None:
    spy = SpyExchange()
    spy.acks.append(
        OrderAck(
            status=AckStatus.REJECTED,
            client_order_id="c-1",
            reason=RejectReason.INSUFFICIENT_FUNDS,
            message="EOrder:Insufficient funds",
        )
    )
    log = MemoryRunLog()
    executor = make_executor(spy, log=log)

    result = executor.execute(buy())

    assert result.status is ExecutionStatus.REJECTED
    assert result.reason is RejectReason.INSUFFICIENT_FUNDS
    assert log.of_type("order_result")[0]["reason"] == "insufficient_funds"
    assert executor.counters.rejected == 1
    assert "simulated_fill" not in log.types()


def test_accepted_order_is_followed_until_filled_and_each_fill_booked_once() -> None:
    spy = SpyExchange()
    spy.acks.append(OrderAck(status=AckStatus.ACCEPTED, client_order_id="c-1", order_id="O-1"))
    spy.states["O-1"] = [
        state(OrderStatus.OPEN),
        state(OrderStatus.PARTIALLY_FILLED, "0.004"),
        state(OrderStatus.FILLED, "0.01"),
    ]
    first, second = fill("T1", "0.004"), fill("T2", "0.006")
    spy.fill_script["O-1"] = [(), (first,), (first, second)]
    clock = SimulatedClock(T0)
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
    log = MemoryRunLog()
    executor = make_executor(spy, clock=clock, portfolio=portfolio, log=log)

    result = executor.execute(buy())

    assert result.status is ExecutionStatus.FILLED
    assert [f.trade_id for f in result.fills] == ["T1", "T2"]
    assert portfolio.quantity(BTC_EUR) == Decimal("0.01")
    assert len(log.of_type("fill")) == 2
    assert clock.slept > 0  # waited through the clock, never really
    assert [e["final"] for e in log.of_type("order_result")] == [False, True]
    assert executor.counters.accepted == 1
    assert executor.counters.filled == 1


def test_accepted_order_still_open_at_the_timeout_is_cancelled() -> None:
    spy = SpyExchange()
    spy.acks.append(OrderAck(status=AckStatus.ACCEPTED, client_order_id="c-1", order_id="O-1"))
    spy.states["O-1"] = [state(OrderStatus.OPEN)]
    clock = SimulatedClock(T0)

    result = make_executor(spy, clock=clock, timeout=Decimal(5)).execute(buy())

    assert result.status is ExecutionStatus.CANCELLED
    assert spy.cancelled == ["O-1"]
    assert clock.slept >= 5


def test_unknown_outcome_missing_at_the_first_lookup_stays_unknown() -> None:
    spy = SpyExchange()
    spy.acks.append(OrderAck(status=AckStatus.UNKNOWN, client_order_id="c-1"))
    spy.found.append(None)  # the venue's books may lag: not yet proof it was never placed
    log = MemoryRunLog()
    executor = make_executor(spy, log=log)

    result = executor.execute(buy())

    assert spy.find_calls == ["c-1"]
    assert result.status is ExecutionStatus.UNKNOWN
    assert [o.client_order_id for o in executor.unresolved()] == ["c-1"]
    assert [e["final"] for e in log.of_type("order_result")] == [False]
    assert executor.counters.unknown == 1


def test_unresolved_unknown_order_blocks_the_next_order_until_it_is_resolved() -> None:
    spy = SpyExchange()
    spy.acks.append(OrderAck(status=AckStatus.UNKNOWN, client_order_id="c-1"))
    spy.found.extend([ExchangeUnavailableError("down"), ExchangeUnavailableError("down")])
    clock = SimulatedClock(T0)
    executor = make_executor(spy, clock=clock, unknown_order_resolution_seconds=Decimal(60))

    first = executor.execute(buy("0.01", "c-1"))
    clock.advance(5)
    blocked = executor.execute(buy("0.01", "c-3"))

    assert first.status is ExecutionStatus.UNKNOWN
    assert blocked.status is ExecutionStatus.REJECTED
    assert blocked.reason is RejectReason.UNRESOLVED_ORDER
    assert [o.client_order_id for o in spy.submitted] == ["c-1"]  # nothing resent, nothing new

    clock.advance(60)  # past the resolution window, and the venue answers again: not there
    third = executor.execute(buy("0.01", "c-4"))
    assert spy.find_calls == ["c-1", "c-1", "c-1"]
    assert third.status is ExecutionStatus.VALIDATED
    assert [o.client_order_id for o in spy.submitted] == ["c-1", "c-4"]


def test_unknown_outcome_found_live_is_followed_to_its_fills() -> None:
    spy = SpyExchange()
    spy.acks.append(OrderAck(status=AckStatus.UNKNOWN, client_order_id="c-1"))
    spy.found.append(state(OrderStatus.OPEN))
    spy.states["O-1"] = [state(OrderStatus.FILLED, "0.01")]
    spy.fill_script["O-1"] = [(fill("T1", "0.01"),)]
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))

    result = make_executor(spy, portfolio=portfolio).execute(buy())

    assert result.status is ExecutionStatus.FILLED
    assert portfolio.quantity(BTC_EUR) == Decimal("0.01")


def test_submit_failure_is_logged_as_an_order_result_and_raised() -> None:
    spy = SpyExchange()
    spy.acks.append(ExchangeUnavailableError("connection refused"))
    log = MemoryRunLog()
    executor = make_executor(spy, log=log)

    with pytest.raises(ExchangeUnavailableError):
        executor.execute(buy())

    result = log.of_type("order_result")[-1]
    assert result["status"] == "error"
    assert "connection refused" in result["message"]


def test_execution_log_entries_match_the_order_result_events() -> None:
    spy = SpyExchange()
    log = MemoryRunLog()
    executor = make_executor(spy, log=log)
    executor.execute(buy("0.01", "a"))
    executor.execute(sell("0.01", "b"))
    events = log.of_type("order_result")
    assert [entry.to_event() for entry in executor.execution_log] == [
        {k: v for k, v in e.items() if k not in ("seq", "type")} for e in events
    ]


def test_a_leftover_below_the_venues_minimum_does_not_block_a_new_entry() -> None:
    # max_open_positions = 1 and a dust leftover on another symbol: the entry goes out; a
    # tradable position there blocks it (the executor gives the risk check the venue's rules).
    eth = Symbol.parse("ETH/EUR")
    limits = LiveRiskLimits(max_open_positions=1, base_currency="EUR")
    for leftover, allowed in (("0.00001", True), ("0.01", False)):
        portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
        portfolio.apply_fill(
            Fill(
                order_id="O",
                trade_id="T",
                symbol=eth,
                side=OrderSide.BUY,
                quantity=Decimal(leftover),
                price=Decimal(3000),
                fee=Decimal(0),
                fee_currency="EUR",
                time=T0,
            )
        )
        ex = SpyExchange()
        result = make_executor(ex, limits=limits, portfolio=portfolio).execute(buy())
        assert (result.status is not ExecutionStatus.RISK_BLOCKED) is allowed, leftover
        assert len(ex.submitted) == (1 if allowed else 0)
