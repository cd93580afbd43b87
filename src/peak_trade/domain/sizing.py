"""Position sizing: a target position (-1, 0, 1) becomes the orders that reach it.

A position the venue cannot close (dust: below its lot step, minimum quantity or minimum cost,
typically what a fee charged in the base asset leaves after a round trip) counts as flat here:
it is real and stays in the ledger, but no order can trade it, so it never decides a side.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO, format_decimal, name_decimal_fields, to_decimal
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import OrderSide, OrderType, RejectReason

TARGETS = frozenset({Decimal(-1), Decimal(0), Decimal(1)})


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class SizedOrder:
    """One order leg: `close` flattens the current position, `open` builds the new one."""

    side: OrderSide
    quantity: Decimal = attrs.field(converter=to_decimal)
    intent: str


@attrs.frozen(kw_only=True)
class SizingSkip:
    """A leg that was not sent, and why (below the venue's minimums, no equity...)."""

    intent: str
    reason: RejectReason
    message: str


@attrs.frozen(kw_only=True)
class SizingPlan:
    """The legs to send, in order (close before open), and the legs skipped with a reason."""

    orders: tuple[SizedOrder, ...] = ()
    skipped: tuple[SizingSkip, ...] = ()


def _sign(value: Decimal) -> Decimal:
    return Decimal(1) if value > 0 else Decimal(-1) if value < 0 else ZERO


def closable_quantity(
    quantity: Decimal, rules: InstrumentRules, price: Decimal | None = None
) -> Decimal:
    """The signed part of a position one market order can close: rounded down to the lot
    step(s); zero when that is below the venue's minimum quantity or (at `price`, if known)
    its minimum cost. What is left over is dust."""
    size = rules.round_quantity(abs(quantity), OrderType.MARKET)
    minimum = rules.min_quantity
    if rules.market_min_quantity is not None:
        minimum = max(minimum, rules.market_min_quantity)
    if size <= 0 or size < minimum or (price is not None and size * price < rules.min_cost):
        return ZERO
    return size if quantity > 0 else -size


def dust_quantity(
    quantity: Decimal, rules: InstrumentRules, price: Decimal | None = None
) -> Decimal:
    """The signed part of a position no market order can trade (see closable_quantity)."""
    return quantity - closable_quantity(quantity, rules, price)


def position_side(
    quantity: Decimal, rules: InstrumentRules, price: Decimal | None = None
) -> Decimal:
    """-1, 0 or 1: the side of a position as far as trading goes (dust is flat)."""
    return _sign(closable_quantity(quantity, rules, price))


def side_price_range(
    quantity: Decimal, rules: InstrumentRules, price: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """The prices (low, high; None: no bound) around `price` at which `position_side` of
    `quantity` is what it is at `price`: only the minimum cost makes it depend on the price.
    Both bounds lie a relative 1e-9 inside the exact boundary, far beyond the rounding of
    `size * price`, so within them the side provably stands; outside, ask `position_side`."""
    size = rules.round_quantity(abs(quantity), OrderType.MARKET)
    minimum = rules.min_quantity
    if rules.market_min_quantity is not None:
        minimum = max(minimum, rules.market_min_quantity)
    if size <= 0 or size < minimum or rules.min_cost <= 0:
        return None, None
    boundary = rules.min_cost / size
    margin = boundary * _BOUNDARY_MARGIN
    if size * price < rules.min_cost:
        return None, boundary - margin  # dust at this price, up to just below the boundary
    return boundary + margin, None


_BOUNDARY_MARGIN = Decimal("1e-9")


def plan_orders(
    *,
    target: Decimal,
    current_quantity: Decimal,
    equity: Decimal,
    price: Decimal,
    position_fraction: Decimal,
    rules: InstrumentRules,
) -> SizingPlan:
    """Orders that move `current_quantity` to `target` x equity x position_fraction / price.

    A position already on the target's side is left alone (no resizing as equity moves); target
    0 closes the whole position; a flip closes first, then opens. Quantities are rounded down
    to the lot step; an opening leg is capped at the venue's maximum order quantity and cost;
    a leg below the minimum quantity or cost is skipped with a reason. Dust (the part of the
    position below what the venue trades) is flat: no close leg for it, and a target on its
    side opens a full position beside it.
    """
    if target not in TARGETS:
        raise ValueError(f"target position must be -1, 0 or 1, got {target}")
    if price <= 0:
        raise ValueError(f"sizing needs a positive price, got {price}")
    if not ZERO < position_fraction <= 1:
        raise ValueError(f"position_fraction must be in (0, 1], got {position_fraction}")
    closable = closable_quantity(current_quantity, rules, price)
    current_side = _sign(closable)
    if current_side == target:
        return SizingPlan()
    orders: list[SizedOrder] = []
    skipped: list[SizingSkip] = []
    if current_side != 0:
        side = OrderSide.SELL if current_side > 0 else OrderSide.BUY
        orders.append(SizedOrder(side=side, quantity=abs(closable), intent="close"))
    if target != 0:
        side = OrderSide.BUY if target > 0 else OrderSide.SELL
        if equity <= 0:
            skipped.append(
                SizingSkip(
                    intent="open",
                    reason=RejectReason.INSUFFICIENT_FUNDS,
                    message=f"equity {format_decimal(equity)} leaves nothing to invest",
                )
            )
        else:
            quantity = rules.round_quantity(equity * position_fraction / price)
            maximum = rules.max_order_quantity()
            if rules.max_cost is not None:
                by_cost = rules.round_quantity(rules.max_cost / price)
                maximum = by_cost if maximum is None else min(maximum, by_cost)
            if maximum is not None and quantity > maximum:
                quantity = rules.round_quantity(maximum)  # one order is all the venue takes
            leg = _leg("open", side, quantity, price, rules)
            _collect(leg, orders, skipped)
    return SizingPlan(orders=tuple(orders), skipped=tuple(skipped))


def _collect(
    leg: SizedOrder | SizingSkip, orders: list[SizedOrder], skipped: list[SizingSkip]
) -> None:
    if isinstance(leg, SizedOrder):
        orders.append(leg)
    else:
        skipped.append(leg)


def _leg(
    intent: str, side: OrderSide, quantity: Decimal, price: Decimal, rules: InstrumentRules
) -> SizedOrder | SizingSkip:
    if quantity <= 0 or quantity < rules.min_quantity:
        return SizingSkip(
            intent=intent,
            reason=RejectReason.ORDER_MINIMUM_NOT_MET,
            message=(
                f"{intent} {side.value} of {format_decimal(quantity)} {rules.symbol.base} is "
                f"below the minimum quantity {format_decimal(rules.min_quantity)}"
            ),
        )
    cost = quantity * price
    if cost < rules.min_cost:
        return SizingSkip(
            intent=intent,
            reason=RejectReason.COST_MINIMUM_NOT_MET,
            message=(
                f"{intent} {side.value} costs {format_decimal(cost)} {rules.symbol.quote}, below "
                f"the minimum cost {format_decimal(rules.min_cost)}"
            ),
        )
    return SizedOrder(side=side, quantity=quantity, intent=intent)
