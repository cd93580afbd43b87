"""InstrumentRules: rounding to lot and tick, and `check` naming the exact violated rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from peak_trade.domain.instruments import InstrumentRules, PriceBand, TradingStatus
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


# --- limits Binance's filters carry ----------------------------------------------------------


def test_market_orders_also_obey_the_market_lot_step_and_minimum() -> None:
    r = rules(lot_step="0.00001", market_lot_step="0.001", market_min_quantity="0.002")
    assert r.round_quantity(Decimal("0.12345")) == Decimal("0.123")
    assert r.round_quantity(Decimal("0.12345"), OrderType.LIMIT) == Decimal("0.12345")
    off_step = r.check(order("0.00123"), Decimal(50000))
    assert off_step is not None
    assert off_step.reason is RejectReason.LOT_SIZE_CHECK_FAILED
    below = r.check(order("0.001"), Decimal(50000))
    assert below is not None
    assert below.reason is RejectReason.ORDER_MINIMUM_NOT_MET
    assert r.check(order("0.00123", limit="50000.0"), Decimal(50000)) is None  # limit: own rules


def test_quantity_above_the_maximum_is_refused_and_the_market_maximum_binds_market_orders() -> None:
    r = rules(max_quantity="100", market_max_quantity="2")
    assert r.max_order_quantity() == Decimal(2)
    assert r.max_order_quantity(OrderType.LIMIT) == Decimal(100)
    assert r.check(order("2"), Decimal(100)) is None
    too_big = r.check(order("2.1"), Decimal(100))
    assert too_big is not None
    assert too_big.reason is RejectReason.QUANTITY_MAXIMUM_EXCEEDED
    assert r.check(order("2.1", limit="100.0"), Decimal(100)) is None


def test_cost_above_the_maximum_notional_is_refused() -> None:
    r = rules(max_cost="1000")
    assert r.check(order("0.02"), Decimal(50000)) is None
    refused = r.check(order("0.0201"), Decimal(50000))
    assert refused is not None
    assert refused.reason is RejectReason.COST_MAXIMUM_EXCEEDED


def test_limit_price_outside_the_price_filter_or_the_band_is_refused() -> None:
    band = PriceBand(buy_up="5", buy_down="0.2", sell_up="5", sell_down="0.2")
    r = rules(min_price="1000.0", max_price="90000.0", price_band=band)
    assert r.check(order(limit="45000.0"), Decimal(50000)) is None
    for price, reference in (("999.9", None), ("90000.1", None), ("9000.0", Decimal(50000))):
        refused = r.check(order(limit=price), reference)
        assert refused is not None, price
        assert refused.reason is RejectReason.PRICE_OUT_OF_RANGE, price
    assert r.check(order(limit="10000.0"), Decimal(50000)) is None  # exactly at ref x 0.2


def test_optional_maximums_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_cost must be > 0"):
        rules(max_cost="0")
