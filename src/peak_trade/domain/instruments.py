"""Instrument rules of a venue: tick, lot step, minimums, trading status."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import (
    ZERO,
    ceil_to_step,
    floor_to_step,
    format_decimal,
    is_multiple_of,
    name_decimal_fields,
    to_decimal,
)
from peak_trade.domain.orders import OrderRequest, OrderSide, OrderType, RejectReason
from peak_trade.domain.symbols import Symbol


class TradingStatus(enum.Enum):
    """Venue-side trading status of an instrument."""

    ONLINE = "online"
    CANCEL_ONLY = "cancel_only"
    POST_ONLY = "post_only"
    LIMIT_ONLY = "limit_only"
    REDUCE_ONLY = "reduce_only"
    OFFLINE = "offline"


_STATUS_REASON = {
    TradingStatus.CANCEL_ONLY: RejectReason.MARKET_CANCEL_ONLY,
    TradingStatus.POST_ONLY: RejectReason.MARKET_POST_ONLY,
    TradingStatus.LIMIT_ONLY: RejectReason.MARKET_LIMIT_ONLY,
    TradingStatus.REDUCE_ONLY: RejectReason.MARKET_REDUCE_ONLY,
    TradingStatus.OFFLINE: RejectReason.MARKET_NOT_TRADING,
}


@attrs.frozen(kw_only=True)
class RuleViolation:
    """The precise instrument rule an order breaks."""

    reason: RejectReason
    message: str


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class InstrumentRules:
    """What a venue accepts for one symbol; checked locally before any order leaves."""

    symbol: Symbol
    venue_symbol: str
    price_tick: Decimal = attrs.field(converter=to_decimal)
    lot_step: Decimal = attrs.field(converter=to_decimal)
    min_quantity: Decimal = attrs.field(default=ZERO, converter=to_decimal)
    min_cost: Decimal = attrs.field(default=ZERO, converter=to_decimal)
    status: TradingStatus = TradingStatus.ONLINE

    def __attrs_post_init__(self) -> None:
        if self.price_tick <= 0 or self.lot_step <= 0:
            raise ValueError(f"{self.symbol}: price_tick and lot_step must be > 0")
        if self.min_quantity < 0 or self.min_cost < 0:
            raise ValueError(f"{self.symbol}: minimums must be >= 0")

    def round_quantity(self, quantity: Decimal) -> Decimal:
        """Round down to the lot step (never sends more than asked)."""
        return floor_to_step(quantity, self.lot_step)

    def round_price(self, price: Decimal, side: OrderSide) -> Decimal:
        """Round a limit price to the tick, never in the trader's favour at the venue's cost:
        buys round down, sells round up (the order stays at least as conservative)."""
        if side is OrderSide.BUY:
            return floor_to_step(price, self.price_tick)
        return ceil_to_step(price, self.price_tick)

    def check(self, order: OrderRequest, reference_price: Decimal | None) -> RuleViolation | None:
        """The first rule `order` breaks, or None. Cost uses the limit price, else reference."""
        if order.symbol != self.symbol:
            raise ValueError(f"rules for {self.symbol} asked about {order.symbol}")
        if self.status is not TradingStatus.ONLINE:
            allowed = self.status is TradingStatus.LIMIT_ONLY and order.order_type is (
                OrderType.LIMIT
            )
            if not allowed:
                return RuleViolation(
                    reason=_STATUS_REASON[self.status],
                    message=f"{self.symbol} is {self.status.value} on the venue",
                )
        if not is_multiple_of(order.quantity, self.lot_step):
            return RuleViolation(
                reason=RejectReason.LOT_SIZE_CHECK_FAILED,
                message=(
                    f"quantity {format_decimal(order.quantity)} is not a multiple of the lot "
                    f"step {format_decimal(self.lot_step)}"
                ),
            )
        if order.quantity < self.min_quantity:
            return RuleViolation(
                reason=RejectReason.ORDER_MINIMUM_NOT_MET,
                message=(
                    f"quantity {format_decimal(order.quantity)} is below the minimum "
                    f"{format_decimal(self.min_quantity)}"
                ),
            )
        if order.limit_price is not None and not is_multiple_of(order.limit_price, self.price_tick):
            return RuleViolation(
                reason=RejectReason.TICK_SIZE_CHECK_FAILED,
                message=(
                    f"limit price {format_decimal(order.limit_price)} is not a multiple of the "
                    f"tick {format_decimal(self.price_tick)}"
                ),
            )
        price = order.limit_price if order.limit_price is not None else reference_price
        if price is None:
            return RuleViolation(
                reason=RejectReason.NO_REFERENCE_PRICE,
                message="no reference price to check the order's cost against the minimum",
            )
        cost = order.quantity * price
        if cost < self.min_cost:
            return RuleViolation(
                reason=RejectReason.COST_MINIMUM_NOT_MET,
                message=(
                    f"cost {format_decimal(cost)} {self.symbol.quote} is below the minimum "
                    f"{format_decimal(self.min_cost)}"
                ),
            )
        return None
