"""Properties of the sizing rule for dust: what counts as flat is exactly what no market order
the venue accepts can trade, and dust never stops a strategy from trading."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import OrderRequest, OrderSide
from peak_trade.domain.sizing import closable_quantity, dust_quantity, plan_orders
from peak_trade.domain.symbols import Symbol

BTC_USDT = Symbol("BTC", "USDT")


@st.composite
def rules(draw: st.DrawFn) -> InstrumentRules:
    step = draw(st.sampled_from([Decimal("0.00001"), Decimal("0.0001"), Decimal("0.001")]))
    return InstrumentRules(
        symbol=BTC_USDT,
        venue_symbol="BTCUSDT",
        price_tick=Decimal("0.01"),
        lot_step=step,
        min_quantity=step * draw(st.integers(min_value=1, max_value=20)),
        min_cost=draw(st.decimals(min_value=0, max_value=Decimal(20), places=2)),
        market_min_quantity=draw(
            st.none()
            | st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.01"), places=4)
        ),
    )


positions = st.decimals(
    min_value=Decimal("-0.5"), max_value=Decimal("0.5"), places=8, allow_nan=False
)
prices = st.decimals(min_value=Decimal(100), max_value=Decimal(100_000), places=2)


def sell_to_close(quantity: Decimal, closable: Decimal) -> OrderRequest:
    side = OrderSide.SELL if quantity > 0 else OrderSide.BUY
    return OrderRequest(symbol=BTC_USDT, side=side, quantity=abs(closable), client_order_id="c1")


@settings(max_examples=300, deadline=None)
@given(rules=rules(), quantity=positions, price=prices)
def test_the_closable_part_is_an_order_the_venue_accepts_and_the_rest_is_dust(
    rules: InstrumentRules, quantity: Decimal, price: Decimal
) -> None:
    closable = closable_quantity(quantity, rules, price)
    dust = dust_quantity(quantity, rules, price)

    assert closable + dust == quantity  # nothing is lost: dust stays in the ledger
    assert abs(closable) <= abs(quantity)
    assert closable == 0 or (closable > 0) == (quantity > 0)
    if closable != 0:
        assert rules.check(sell_to_close(quantity, closable), price) is None
    elif quantity != 0:
        # the largest order the lot steps allow is refused: nothing of it can be traded
        largest = rules.round_quantity(abs(quantity))
        if largest > 0:
            assert rules.check(sell_to_close(quantity, largest), price) is not None


@settings(max_examples=300, deadline=None)
@given(rules=rules(), quantity=positions, price=prices)
def test_going_flat_leaves_only_dust_and_a_second_plan_sends_nothing(
    rules: InstrumentRules, quantity: Decimal, price: Decimal
) -> None:
    def flat(current: Decimal) -> tuple[Decimal, int]:
        plan = plan_orders(
            target=Decimal(0),
            current_quantity=current,
            equity=Decimal(10_000),
            price=price,
            position_fraction=Decimal("0.1"),
            rules=rules,
        )
        assert plan.skipped == ()  # a close is never refused by sizing: dust is flat
        signed = sum(
            (o.quantity if o.side is OrderSide.BUY else -o.quantity for o in plan.orders),
            Decimal(0),
        )
        return current + signed, len(plan.orders)

    after, sent = flat(quantity)
    assert sent == (0 if closable_quantity(quantity, rules, price) == 0 else 1)
    assert closable_quantity(after, rules, price) == 0
    assert flat(after) == (after, 0)


@settings(max_examples=300, deadline=None)
@given(rules=rules(), quantity=positions, price=prices, target=st.sampled_from([1, -1]))
def test_dust_never_keeps_a_position_from_opening(
    rules: InstrumentRules, quantity: Decimal, price: Decimal, target: int
) -> None:
    dust = dust_quantity(quantity, rules, price)
    plan = plan_orders(
        target=Decimal(target),
        current_quantity=dust,
        equity=Decimal(10_000),
        price=price,
        position_fraction=Decimal("0.5"),
        rules=rules,
    )
    opens = [o for o in plan.orders if o.intent == "open"]
    assert [o.intent for o in plan.orders] == ["open"] or plan.skipped  # no close leg for dust
    if not plan.skipped:
        assert opens[0].side is (OrderSide.BUY if target > 0 else OrderSide.SELL)
