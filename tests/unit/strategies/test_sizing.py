"""Sizing: target position -> order legs from equity x fraction, lot rounding, minimums, flips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.unit.app.fakes import btc_rules

from peak_trade.domain.orders import OrderSide, RejectReason
from peak_trade.domain.sizing import SizedOrder, SizingPlan, plan_orders


def plan(
    target: int, current: str, equity: str = "10000", price: str = "50000", **rules: str
) -> SizingPlan:
    return plan_orders(
        target=Decimal(target),
        current_quantity=Decimal(current),
        equity=Decimal(equity),
        price=Decimal(price),
        position_fraction=Decimal("0.1"),
        rules=btc_rules(**{k: Decimal(v) for k, v in rules.items()}),
    )


def test_opens_from_current_equity_rounded_down_to_the_lot_step() -> None:
    result = plan(1, "0", equity="12345", price="30000")
    # 12345 x 0.1 / 30000 = 0.04115 -> lot 0.00000001 keeps it exact
    assert result.orders == (SizedOrder(side=OrderSide.BUY, quantity="0.04115", intent="open"),)


def test_rounds_down_to_a_coarse_lot_step() -> None:
    result = plan(1, "0", equity="10000", price="30000", lot_step="0.001")
    assert result.orders[0].quantity == Decimal("0.033")


def test_target_flat_closes_the_whole_position() -> None:
    result = plan(0, "0.02")
    assert result.orders == (SizedOrder(side=OrderSide.SELL, quantity="0.02", intent="close"),)


def test_flip_closes_first_then_opens_the_other_side() -> None:
    result = plan(-1, "0.02")
    assert [(o.side, o.intent) for o in result.orders] == [
        (OrderSide.SELL, "close"),
        (OrderSide.SELL, "open"),
    ]
    assert result.orders[0].quantity == Decimal("0.02")
    assert result.orders[1].quantity == Decimal("0.02")  # 10000 x 0.1 / 50000


def test_position_already_on_the_target_side_is_left_alone() -> None:
    assert plan(1, "0.015").orders == ()
    assert plan(0, "0").orders == ()


def test_leg_below_minimum_quantity_is_skipped_with_a_reason() -> None:
    result = plan(1, "0", equity="100", min_quantity="0.001")
    assert result.orders == ()
    assert result.skipped[0].reason is RejectReason.ORDER_MINIMUM_NOT_MET
    assert "minimum quantity" in result.skipped[0].message


def test_leg_below_minimum_cost_is_skipped_with_a_reason() -> None:
    result = plan(1, "0", equity="100", min_quantity="0", min_cost="50")
    assert result.skipped[0].reason is RejectReason.COST_MINIMUM_NOT_MET


def test_no_equity_means_no_new_position() -> None:
    result = plan(1, "0", equity="0")
    assert result.skipped[0].reason is RejectReason.INSUFFICIENT_FUNDS


def test_refuses_targets_other_than_minus_one_zero_one() -> None:
    with pytest.raises(ValueError, match="target position"):
        plan(2, "0")


def test_opening_leg_is_capped_at_the_venues_maximum_quantity() -> None:
    result = plan(1, "0", equity="10000", price="100", market_max_quantity="2.5")
    assert result.orders == (SizedOrder(side=OrderSide.BUY, quantity="2.5", intent="open"),)


def test_opening_leg_is_capped_at_the_venues_maximum_notional() -> None:
    result = plan(1, "0", equity="10000", price="100", max_cost="333")
    assert result.orders[0].quantity == Decimal("3.33")
