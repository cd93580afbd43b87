"""OrderRequest validation, OrderAck invariants, the OrderState lifecycle and Fill."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from peak_trade.domain.orders import (
    ALLOWED_TRANSITIONS,
    AckStatus,
    ExecutionStatus,
    Fill,
    IllegalTransitionError,
    OrderAck,
    OrderExecutionResult,
    OrderRequest,
    OrderSide,
    OrderState,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol("BTC", "EUR")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def request(**changes: object) -> OrderRequest:
    fields: dict[str, object] = {
        "symbol": BTC_EUR,
        "side": OrderSide.BUY,
        "quantity": "0.01",
        "client_order_id": "run-1",
    } | changes
    return OrderRequest(**fields)  # type: ignore[arg-type]


def state(status: OrderStatus = OrderStatus.OPEN, filled: str = "0", qty: str = "1") -> OrderState:
    return OrderState(
        order_id="O1",
        client_order_id="c1",
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        order_type=OrderType.MARKET,
        quantity=qty,
        status=status,
        filled_quantity=filled,
    )


def fill(**changes: object) -> Fill:
    fields: dict[str, object] = {
        "order_id": "O1",
        "trade_id": "T1",
        "symbol": BTC_EUR,
        "side": OrderSide.BUY,
        "quantity": "1",
        "price": "100",
        "fee": "0.26",
        "fee_currency": "EUR",
        "time": T0,
    } | changes
    return Fill(**fields)  # type: ignore[arg-type]


# --- OrderSide ---------------------------------------------------------------------------------


def test_side_sign_and_opposite() -> None:
    assert (OrderSide.BUY.sign, OrderSide.SELL.sign) == (1, -1)
    assert OrderSide.BUY.opposite is OrderSide.SELL
    assert OrderSide.SELL.opposite is OrderSide.BUY


# --- OrderRequest ------------------------------------------------------------------------------


def test_market_order_is_valid_and_signed() -> None:
    order = request(side=OrderSide.SELL, quantity="0.5")
    assert order.quantity == Decimal("0.5")
    assert order.signed_quantity == Decimal("-0.5")
    assert order.order_type is OrderType.MARKET


def test_smallest_positive_quantity_is_allowed() -> None:
    assert request(quantity="0.00000001").quantity == Decimal("0.00000001")


@pytest.mark.parametrize("quantity", ["0", "-0.00000001"])
def test_quantity_must_be_positive(quantity: str) -> None:
    with pytest.raises(ValueError, match=f"quantity must be > 0, got {quantity}"):
        request(quantity=quantity)


def test_quantity_refuses_float() -> None:
    with pytest.raises(TypeError, match="float is not accepted"):
        request(quantity=0.1)


def test_limit_order_needs_a_positive_price() -> None:
    assert request(order_type=OrderType.LIMIT, limit_price="0.1").limit_price == Decimal("0.1")
    for price in (None, "0", "-1"):
        with pytest.raises(ValueError, match="a limit order needs a positive limit_price"):
            request(order_type=OrderType.LIMIT, limit_price=price)


def test_market_order_must_not_carry_a_price() -> None:
    with pytest.raises(ValueError, match="a market order must not carry a limit_price"):
        request(limit_price="100")


def test_client_order_id_length_boundaries() -> None:
    assert request(client_order_id="x" * 64).client_order_id == "x" * 64
    for bad in ("", "x" * 65):
        with pytest.raises(ValueError, match=r"client_order_id must be 1\.\.64 characters"):
            request(client_order_id=bad)


@pytest.mark.parametrize("bad", ["héllo", "a\nb", "tab\there"])
def test_client_order_id_must_be_printable_ascii(bad: str) -> None:
    with pytest.raises(ValueError, match="client_order_id must be printable ASCII"):
        request(client_order_id=bad)


def test_uuid_client_order_id_is_accepted() -> None:
    uid = "6f1c2a7e-8a3b-5c4d-9e0f-1a2b3c4d5e6f"
    assert request(client_order_id=uid).client_order_id == uid


# --- OrderAck ----------------------------------------------------------------------------------


def test_rejected_ack_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="a REJECTED ack needs a reason code"):
        OrderAck(status=AckStatus.REJECTED, client_order_id="c1")
    ack = OrderAck(
        status=AckStatus.REJECTED, client_order_id="c1", reason=RejectReason.ORDER_MINIMUM_NOT_MET
    )
    assert ack.reason is RejectReason.ORDER_MINIMUM_NOT_MET


def test_accepted_ack_needs_the_exchange_order_id() -> None:
    with pytest.raises(ValueError, match="an ACCEPTED ack needs the exchange order id"):
        OrderAck(status=AckStatus.ACCEPTED, client_order_id="c1")
    with pytest.raises(ValueError, match="an ACCEPTED ack needs the exchange order id"):
        OrderAck(status=AckStatus.ACCEPTED, client_order_id="c1", order_id="")
    assert OrderAck(status=AckStatus.ACCEPTED, client_order_id="c1", order_id="O1").order_id


def test_validated_and_unknown_acks_need_no_order_id() -> None:
    assert OrderAck(status=AckStatus.VALIDATED, client_order_id="c1").order_id is None
    assert OrderAck(status=AckStatus.UNKNOWN, client_order_id="c1").reason is None


# --- OrderState --------------------------------------------------------------------------------


def test_terminal_statuses() -> None:
    terminal = {s for s in OrderStatus if s.terminal}
    assert terminal == {
        OrderStatus.FILLED,
        OrderStatus.CANCELLED,
        OrderStatus.EXPIRED,
        OrderStatus.REJECTED,
    }


def test_open_order_fills_partially_then_completely() -> None:
    partial = state().transition(OrderStatus.PARTIALLY_FILLED, filled_quantity=Decimal("0.4"))
    assert partial.remaining_quantity == Decimal("0.6")
    filled = partial.transition(OrderStatus.FILLED, filled_quantity=Decimal(1))
    assert filled.status is OrderStatus.FILLED
    assert filled.remaining_quantity == 0


def test_partially_filled_order_can_be_cancelled_keeping_its_fills() -> None:
    partial = state(OrderStatus.PARTIALLY_FILLED, filled="0.4")
    cancelled = partial.transition(OrderStatus.CANCELLED)
    assert cancelled.filled_quantity == Decimal("0.4")


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (OrderStatus.FILLED, OrderStatus.OPEN),
        (OrderStatus.FILLED, OrderStatus.CANCELLED),
        (OrderStatus.CANCELLED, OrderStatus.OPEN),
        (OrderStatus.EXPIRED, OrderStatus.FILLED),
        (OrderStatus.REJECTED, OrderStatus.OPEN),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.OPEN),
        (OrderStatus.PARTIALLY_FILLED, OrderStatus.REJECTED),
    ],
)
def test_illegal_transitions_raise(start: OrderStatus, target: OrderStatus) -> None:
    filled = {"FILLED": "1", "PARTIALLY_FILLED": "0.5"}.get(start.name, "0")
    with pytest.raises(
        IllegalTransitionError, match=f"{start.value} -> {target.value} is not allowed"
    ):
        state(start, filled=filled).transition(target)


def test_every_listed_transition_is_allowed_and_terminal_states_only_repeat() -> None:
    for status, targets in ALLOWED_TRANSITIONS.items():
        if status.terminal:
            assert targets == {status}
    assert OrderStatus.OPEN in ALLOWED_TRANSITIONS[OrderStatus.OPEN]


def test_filled_quantity_never_goes_back() -> None:
    partial = state(OrderStatus.PARTIALLY_FILLED, filled="0.5")
    with pytest.raises(IllegalTransitionError, match="filled quantity cannot go back"):
        partial.transition(OrderStatus.PARTIALLY_FILLED, filled_quantity=Decimal("0.4"))


def test_order_state_invariants() -> None:
    with pytest.raises(ValueError, match=r"filled_quantity 1\.1 outside 0\.\.1"):
        state(filled="1.1")
    with pytest.raises(ValueError, match="outside"):
        state(filled="-0.1")
    with pytest.raises(ValueError, match="a FILLED order must have filled_quantity == quantity"):
        state(OrderStatus.FILLED, filled="0.99")
    with pytest.raises(ValueError, match="PARTIALLY_FILLED order must be filled strictly between"):
        state(OrderStatus.PARTIALLY_FILLED, filled="1")
    with pytest.raises(ValueError, match="PARTIALLY_FILLED order must be filled strictly between"):
        state(OrderStatus.PARTIALLY_FILLED, filled="0")


def test_transition_revalidates_the_new_state() -> None:
    with pytest.raises(ValueError, match="a FILLED order must have"):
        state().transition(OrderStatus.FILLED, filled_quantity=Decimal("0.5"))


# --- Fill --------------------------------------------------------------------------------------


def test_fill_notional_and_simulated_flag() -> None:
    f = fill(quantity="0.5", price="200", simulated=True)
    assert f.notional == Decimal(100)
    assert f.simulated


def test_fill_boundaries() -> None:
    assert fill(fee="0").fee == 0
    with pytest.raises(ValueError, match="fill quantity must be > 0, got 0"):
        fill(quantity="0")
    with pytest.raises(ValueError, match="fill price must be > 0, got 0"):
        fill(price="0")
    with pytest.raises(ValueError, match=r"fill fee must be >= 0, got -0\.01"):
        fill(fee="-0.01")
    with pytest.raises(ValueError, match="tz-aware UTC"):
        fill(time=datetime(2026, 1, 1))


# --- OrderExecutionResult ----------------------------------------------------------------------


def test_execution_result_is_simulated_when_any_fill_is() -> None:
    real = OrderExecutionResult(request=request(), status=ExecutionStatus.FILLED, fills=(fill(),))
    paper = OrderExecutionResult(
        request=request(), status=ExecutionStatus.VALIDATED, fills=(fill(simulated=True),)
    )
    blocked = OrderExecutionResult(
        request=request(), status=ExecutionStatus.RISK_BLOCKED, reason=RejectReason.RISK_LIMIT
    )
    assert (real.simulated, paper.simulated, blocked.simulated) == (False, True, False)
