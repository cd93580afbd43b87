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
    optional_decimal,
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
class PriceBand:
    """Where a limit price may lie, as multiples of the reference price, per side (Binance's
    PERCENT_PRICE_BY_SIDE: a buy within [ref x buy_down, ref x buy_up], a sell likewise)."""

    buy_up: Decimal = attrs.field(converter=to_decimal)
    buy_down: Decimal = attrs.field(converter=to_decimal)
    sell_up: Decimal = attrs.field(converter=to_decimal)
    sell_down: Decimal = attrs.field(converter=to_decimal)

    def bounds(self, side: OrderSide, reference: Decimal) -> tuple[Decimal, Decimal]:
        """(lowest, highest) limit price allowed for `side` around `reference`."""
        if side is OrderSide.BUY:
            return reference * self.buy_down, reference * self.buy_up
        return reference * self.sell_down, reference * self.sell_up


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class InstrumentRules:
    """What a venue accepts for one symbol; checked locally before any order leaves.

    The optional limits (None: the venue has no such rule) are what Binance's filters carry:
    a maximum quantity, a separate lot size for market orders, a maximum notional, a limit
    price range and a band around the reference price. Nothing that passes `check` should be
    refused by the venue for one of these rules.
    """

    symbol: Symbol
    venue_symbol: str
    price_tick: Decimal = attrs.field(converter=to_decimal)
    lot_step: Decimal = attrs.field(converter=to_decimal)
    min_quantity: Decimal = attrs.field(default=ZERO, converter=to_decimal)
    min_cost: Decimal = attrs.field(default=ZERO, converter=to_decimal)
    status: TradingStatus = TradingStatus.ONLINE
    max_quantity: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    market_lot_step: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    market_min_quantity: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    market_max_quantity: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    max_cost: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    min_price: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    max_price: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    price_band: PriceBand | None = None

    def __attrs_post_init__(self) -> None:
        if self.price_tick <= 0 or self.lot_step <= 0:
            raise ValueError(f"{self.symbol}: price_tick and lot_step must be > 0")
        if self.min_quantity < 0 or self.min_cost < 0:
            raise ValueError(f"{self.symbol}: minimums must be >= 0")
        if self.market_lot_step is not None and self.market_lot_step <= 0:
            raise ValueError(f"{self.symbol}: market_lot_step must be > 0 when set")
        for name in ("max_quantity", "market_max_quantity", "max_cost", "max_price"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{self.symbol}: {name} must be > 0 when set")

    def round_quantity(
        self, quantity: Decimal, order_type: OrderType = OrderType.MARKET
    ) -> Decimal:
        """Round down to the lot step (and a market order's own step): never more than asked."""
        rounded = floor_to_step(quantity, self.lot_step)
        if order_type is OrderType.MARKET and self.market_lot_step is not None:
            rounded = floor_to_step(rounded, self.market_lot_step)
        return rounded

    def max_order_quantity(self, order_type: OrderType = OrderType.MARKET) -> Decimal | None:
        """The largest quantity one order may carry, or None when the venue sets no maximum."""
        maximum = self.max_quantity
        market = self.market_max_quantity if order_type is OrderType.MARKET else None
        if market is None:
            return maximum
        return market if maximum is None else min(maximum, market)

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
        violation = self._check_quantity(order)
        if violation is None and order.limit_price is not None:
            violation = self._check_limit_price(order.side, order.limit_price, reference_price)
        if violation is not None:
            return violation
        price = order.limit_price if order.limit_price is not None else reference_price
        if price is None:
            return RuleViolation(
                reason=RejectReason.NO_REFERENCE_PRICE,
                message="no reference price to check the order's cost against the minimum",
            )
        return self._check_cost(order.quantity * price)

    def _check_quantity(self, order: OrderRequest) -> RuleViolation | None:
        market = order.order_type is OrderType.MARKET
        step = self.market_lot_step if market else None
        if step is not None and not is_multiple_of(order.quantity, step):
            return RuleViolation(
                reason=RejectReason.LOT_SIZE_CHECK_FAILED,
                message=(
                    f"quantity {format_decimal(order.quantity)} is not a multiple of the "
                    f"market-order lot step {format_decimal(step)}"
                ),
            )
        minimum = self.min_quantity
        if market and self.market_min_quantity is not None:
            minimum = max(minimum, self.market_min_quantity)
        if order.quantity < minimum:
            return RuleViolation(
                reason=RejectReason.ORDER_MINIMUM_NOT_MET,
                message=(
                    f"quantity {format_decimal(order.quantity)} is below the minimum "
                    f"{format_decimal(minimum)}"
                ),
            )
        maximum = self.max_order_quantity(order.order_type)
        if maximum is not None and order.quantity > maximum:
            return RuleViolation(
                reason=RejectReason.QUANTITY_MAXIMUM_EXCEEDED,
                message=(
                    f"quantity {format_decimal(order.quantity)} is above the maximum "
                    f"{format_decimal(maximum)}"
                ),
            )
        return None

    def _check_limit_price(
        self, side: OrderSide, price: Decimal, reference: Decimal | None
    ) -> RuleViolation | None:
        if not is_multiple_of(price, self.price_tick):
            return RuleViolation(
                reason=RejectReason.TICK_SIZE_CHECK_FAILED,
                message=(
                    f"limit price {format_decimal(price)} is not a multiple of the "
                    f"tick {format_decimal(self.price_tick)}"
                ),
            )
        low, high = self.min_price, self.max_price
        if self.price_band is not None and reference is not None:
            band_low, band_high = self.price_band.bounds(side, reference)
            low = band_low if low is None else max(low, band_low)
            high = band_high if high is None else min(high, band_high)
        if (low is not None and price < low) or (high is not None and price > high):
            allowed = f"{format_decimal(low) if low is not None else '0'} .. " + (
                format_decimal(high) if high is not None else "any"
            )
            return RuleViolation(
                reason=RejectReason.PRICE_OUT_OF_RANGE,
                message=f"limit price {format_decimal(price)} is outside {allowed}",
            )
        return None

    def _check_cost(self, cost: Decimal) -> RuleViolation | None:
        if cost < self.min_cost:
            return RuleViolation(
                reason=RejectReason.COST_MINIMUM_NOT_MET,
                message=(
                    f"cost {format_decimal(cost)} {self.symbol.quote} is below the minimum "
                    f"{format_decimal(self.min_cost)}"
                ),
            )
        if self.max_cost is not None and cost > self.max_cost:
            return RuleViolation(
                reason=RejectReason.COST_MAXIMUM_EXCEEDED,
                message=(
                    f"cost {format_decimal(cost)} {self.symbol.quote} is above the maximum "
                    f"{format_decimal(self.max_cost)}"
                ),
            )
        return None
