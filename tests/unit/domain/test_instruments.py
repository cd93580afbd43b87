"""InstrumentRules: rounding to lot and tick, and `check` naming the exact violated rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from peak_trade.domain.instruments import InstrumentRules, TradingStatus
from peak_trade.domain.orders import OrderRequest, OrderSide, OrderType, RejectReason
from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol("BTC", "EUR")


def rules(**changes: object) -> InstrumentRules:
    fields: dict[str, object] = {
        "symbol": BTC_EUR,
        "venue_symbol": "XXBTZEUR",
        "price_tick": "0.1",
        "lot_step": "0.00000001",
        "min_quantity": "0.0001",
        "min_cost": "0.5",
    } | changes
    return InstrumentRules(**fields)  # type: ignore[arg-type]


def order(
    quantity: str = "0.001", *, limit: str | None = None, side: OrderSide = OrderSide.BUY
) -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR,
        side=side,
        quantity=quantity,
        order_type=OrderType.LIMIT if limit else OrderType.MARKET,
        limit_price=limit,
        client_order_id="c1",
    )


PRICE = Decimal(50000)


def test_round_quantity_floors_to_the_lot_step() -> None:
    r = rules(lot_step="0.001")
    assert r.round_quantity(Decimal("0.0019999")) == Decimal("0.001")
    assert r.round_quantity(Decimal("0.002")) == Decimal("0.002")
    assert r.round_quantity(Decimal("0.0009")) == 0


def test_round_price_is_conservative_per_side() -> None:
    r = rules(price_tick="0.5")
    assert r.round_price(Decimal("100.7"), OrderSide.BUY) == Decimal("100.5")
    assert r.round_price(Decimal("100.7"), OrderSide.SELL) == Decimal("101.0")
    assert r.round_price(Decimal("100.5"), OrderSide.SELL) == Decimal("100.5")


def test_rules_refuse_non_positive_steps_and_negative_minimums() -> None:
    with pytest.raises(ValueError, match="price_tick and lot_step must be > 0"):
        rules(price_tick="0")
    with pytest.raises(ValueError, match="price_tick and lot_step must be > 0"):
        rules(lot_step="-1")
    with pytest.raises(ValueError, match="minimums must be >= 0"):
        rules(min_cost="-0.01")


def test_valid_order_passes() -> None:
    assert rules().check(order(), PRICE) is None


def test_quantity_exactly_at_minimum_passes_and_one_lot_below_fails() -> None:
    r = rules()
    assert r.check(order("0.0001"), PRICE) is None
    violation = r.check(order("0.00009999"), PRICE)
    assert violation is not None
    assert violation.reason is RejectReason.ORDER_MINIMUM_NOT_MET
    assert violation.message == "quantity 0.00009999 is below the minimum 0.0001"


def test_quantity_off_the_lot_step_fails() -> None:
    assert rules(lot_step="0.001", min_quantity="0").check(order("0.002"), PRICE) is None
    violation = rules(lot_step="0.001", min_quantity="0").check(order("0.0015"), PRICE)
    assert violation is not None
    assert violation.reason is RejectReason.LOT_SIZE_CHECK_FAILED
    assert violation.message == "quantity 0.0015 is not a multiple of the lot step 0.001"


def test_limit_price_off_the_tick_fails() -> None:
    assert rules().check(order(limit="50000.1"), None) is None
    violation = rules().check(order(limit="50000.05"), None)
    assert violation is not None
    assert violation.reason is RejectReason.TICK_SIZE_CHECK_FAILED
    assert violation.message == "limit price 50000.05 is not a multiple of the tick 0.1"


def test_cost_exactly_at_minimum_passes_and_just_below_fails() -> None:
    r = rules(min_quantity="0", min_cost="5")
    assert r.check(order("0.0001"), PRICE) is None  # 0.0001 x 50000 = 5
    violation = r.check(order("0.0001"), Decimal("49999.99"))
    assert violation is not None
    assert violation.reason is RejectReason.COST_MINIMUM_NOT_MET
    assert violation.message == "cost 4.999999 EUR is below the minimum 5"


def test_cost_uses_the_limit_price_over_the_reference() -> None:
    r = rules(min_quantity="0", min_cost="5")
    violation = r.check(order("0.0001", limit="40000"), PRICE)
    assert violation is not None
    assert violation.reason is RejectReason.COST_MINIMUM_NOT_MET


def test_market_order_without_reference_price_fails() -> None:
    violation = rules().check(order(), None)
    assert violation is not None
    assert violation.reason is RejectReason.NO_REFERENCE_PRICE
    assert violation.message == "no reference price to check the order's cost against the minimum"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (TradingStatus.CANCEL_ONLY, RejectReason.MARKET_CANCEL_ONLY),
        (TradingStatus.POST_ONLY, RejectReason.MARKET_POST_ONLY),
        (TradingStatus.LIMIT_ONLY, RejectReason.MARKET_LIMIT_ONLY),
        (TradingStatus.REDUCE_ONLY, RejectReason.MARKET_REDUCE_ONLY),
        (TradingStatus.OFFLINE, RejectReason.MARKET_NOT_TRADING),
    ],
)
def test_trading_status_refuses_market_orders(status: TradingStatus, reason: RejectReason) -> None:
    violation = rules(status=status).check(order(), PRICE)
    assert violation is not None
    assert violation.reason is reason
    assert violation.message == f"BTC/EUR is {status.value} on the venue"


def test_limit_only_market_still_takes_limit_orders() -> None:
    assert rules(status=TradingStatus.LIMIT_ONLY).check(order(limit="50000"), None) is None


def test_status_is_checked_before_quantity_rules() -> None:
    violation = rules(status=TradingStatus.OFFLINE).check(order("0.00000001"), PRICE)
    assert violation is not None
    assert violation.reason is RejectReason.MARKET_NOT_TRADING


def test_check_refuses_an_order_for_another_symbol() -> None:
    other = OrderRequest(
        symbol=Symbol("ETH", "EUR"), side=OrderSide.BUY, quantity="1", client_order_id="c1"
    )
    with pytest.raises(ValueError, match="rules for BTC/EUR asked about ETH/EUR"):
        rules().check(other, PRICE)
