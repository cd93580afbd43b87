"""Dust in sizing: a position below what the venue trades counts as flat for targeting."""

from __future__ import annotations

from decimal import Decimal

from tests.unit.app.fakes import btc_rules

from peak_trade.domain.orders import OrderSide
from peak_trade.domain.sizing import (
    SizedOrder,
    SizingPlan,
    closable_quantity,
    dust_quantity,
    plan_orders,
    position_side,
)

# Binance-like BTC rules: lot 0.00001, minimum 0.00001 BTC, minimum notional 5
BINANCE = {"lot_step": Decimal("0.00001"), "min_quantity": Decimal("0.00001"), "min_cost": 5}


def plan(target: int, current: str, price: str = "50000") -> SizingPlan:
    return plan_orders(
        target=Decimal(target),
        current_quantity=Decimal(current),
        equity=Decimal(10000),
        price=Decimal(price),
        position_fraction=Decimal("0.1"),
        rules=btc_rules(**BINANCE),
    )


def test_a_sliver_below_the_lot_step_is_dust_and_counts_as_flat() -> None:
    rules = btc_rules(**BINANCE)
    sliver = Decimal("0.000008")  # what a 0.1 % fee in BTC leaves of a 0.008 BTC buy, sold

    assert closable_quantity(sliver, rules, Decimal(50000)) == 0
    assert dust_quantity(sliver, rules, Decimal(50000)) == sliver
    assert position_side(sliver, rules, Decimal(50000)) == 0


def test_a_lot_multiple_below_the_minimum_notional_is_dust() -> None:
    rules = btc_rules(**BINANCE)
    small = Decimal("0.00009")  # 4.5 at 50000: below the minimum notional of 5

    assert closable_quantity(small, rules, Decimal(50000)) == 0
    assert closable_quantity(small, rules, Decimal(60000)) == small  # 5.4: sellable
    assert closable_quantity(small, rules) == small  # no price: quantity rules only


def test_a_short_sliver_is_dust_too() -> None:
    rules = btc_rules(**BINANCE)
    assert position_side(Decimal("-0.000004"), rules, Decimal(50000)) == 0
    assert closable_quantity(Decimal("-0.0100042"), rules) == Decimal("-0.01")


def test_the_market_order_minimum_counts() -> None:
    rules = btc_rules(**BINANCE, market_min_quantity=Decimal("0.001"))
    assert closable_quantity(Decimal("0.0005"), rules) == 0
    assert closable_quantity(Decimal("0.0015"), rules) == Decimal("0.0015")


def test_a_position_sells_its_lot_multiple_and_leaves_the_rest_as_dust() -> None:
    rules = btc_rules(**BINANCE)
    held = Decimal("0.0199800")  # a 0.02 buy less its 0.1 % fee in BTC
    assert closable_quantity(held, rules) == Decimal("0.01998")
    held = Decimal("0.01998002")
    assert closable_quantity(held, rules) == Decimal("0.01998")
    assert dust_quantity(held, rules) == Decimal("0.00000002")


def test_going_flat_from_dust_sends_nothing_and_skips_nothing() -> None:
    result = plan(0, "0.000008")
    assert result == SizingPlan()


def test_a_buy_signal_over_long_dust_opens_a_full_position() -> None:
    result = plan(1, "0.000008")
    assert result.orders == (SizedOrder(side=OrderSide.BUY, quantity="0.02", intent="open"),)
    assert result.skipped == ()


def test_a_sell_signal_over_long_dust_opens_the_short_without_a_close_leg() -> None:
    result = plan(-1, "0.000008")
    assert [(o.side, o.intent) for o in result.orders] == [(OrderSide.SELL, "open")]


def test_closing_a_position_sells_only_what_the_venue_accepts() -> None:
    result = plan(0, "0.01998002")
    assert result.orders == (SizedOrder(side=OrderSide.SELL, quantity="0.01998", intent="close"),)
