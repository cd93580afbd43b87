"""Orders and their lifecycle: requests, acknowledgements, states and fills."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import (
    ZERO,
    format_decimal,
    name_decimal_fields,
    optional_decimal,
    to_decimal,
)
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import utc_validator


class OrderSide(enum.Enum):
    BUY = "buy"
    SELL = "sell"

    @property
    def sign(self) -> int:
        """+1 for buys, -1 for sells: the sign of the position change."""
        return 1 if self is OrderSide.BUY else -1

    @property
    def opposite(self) -> OrderSide:
        return OrderSide.SELL if self is OrderSide.BUY else OrderSide.BUY


class OrderType(enum.Enum):
    MARKET = "market"
    LIMIT = "limit"


class RejectReason(enum.Enum):
    """Reason codes for refused orders, shared by local checks, venues and risk limits."""

    ORDER_MINIMUM_NOT_MET = "order_minimum_not_met"
    COST_MINIMUM_NOT_MET = "cost_minimum_not_met"
    QUANTITY_MAXIMUM_EXCEEDED = "quantity_maximum_exceeded"
    COST_MAXIMUM_EXCEEDED = "cost_maximum_exceeded"
    PRICE_OUT_OF_RANGE = "price_out_of_range"
    TICK_SIZE_CHECK_FAILED = "tick_size_check_failed"
    LOT_SIZE_CHECK_FAILED = "lot_size_check_failed"
    MARKET_NOT_TRADING = "market_not_trading"
    MARKET_CANCEL_ONLY = "market_cancel_only"
    MARKET_POST_ONLY = "market_post_only"
    MARKET_LIMIT_ONLY = "market_limit_only"
    MARKET_REDUCE_ONLY = "market_reduce_only"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    INVALID_PRICE = "invalid_price"
    INVALID_ARGUMENTS = "invalid_arguments"
    UNKNOWN_SYMBOL = "unknown_symbol"
    NO_REFERENCE_PRICE = "no_reference_price"
    RISK_LIMIT = "risk_limit"
    ENVIRONMENT = "environment"
    TRADING_HALTED = "trading_halted"
    REDUCING_ONLY = "reducing_only"
    UNRESOLVED_ORDER = "unresolved_order"
    PERMISSION_DENIED = "permission_denied"
    ORDERS_LIMIT_EXCEEDED = "orders_limit_exceeded"
    VENUE_REJECTED = "venue_rejected"


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class OrderRequest:
    """An order the caller wants placed; validates itself on construction."""

    symbol: Symbol
    side: OrderSide
    quantity: Decimal = attrs.field(converter=to_decimal)
    order_type: OrderType = OrderType.MARKET
    limit_price: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    client_order_id: str

    def __attrs_post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"quantity must be > 0, got {format_decimal(self.quantity)}")
        if self.order_type is OrderType.LIMIT:
            if self.limit_price is None or self.limit_price <= 0:
                raise ValueError("a limit order needs a positive limit_price")
        elif self.limit_price is not None:
            raise ValueError("a market order must not carry a limit_price")
        if not self.client_order_id or len(self.client_order_id) > 64:
            raise ValueError("client_order_id must be 1..64 characters")
        if not self.client_order_id.isascii() or not self.client_order_id.isprintable():
            raise ValueError("client_order_id must be printable ASCII")

    @property
    def signed_quantity(self) -> Decimal:
        return self.quantity * self.side.sign


class AckStatus(enum.Enum):
    """What the venue said about a submitted order."""

    VALIDATED = "validated"  # checked by the venue, not executed (validate-only)
    ACCEPTED = "accepted"  # live on the venue; follow order_status / fills
    REJECTED = "rejected"  # refused; see reason
    UNKNOWN = "unknown"  # sent, outcome not known; resolve with find_order before resending


@attrs.frozen(kw_only=True)
class OrderAck:
    """The venue's answer to submit_order."""

    status: AckStatus
    client_order_id: str
    order_id: str | None = None
    reason: RejectReason | None = None
    message: str = ""
    description: str = ""  # venue's own order description, e.g. Kraken descr.order

    def __attrs_post_init__(self) -> None:
        if self.status is AckStatus.REJECTED and self.reason is None:
            raise ValueError("a REJECTED ack needs a reason code")
        if self.status is AckStatus.ACCEPTED and not self.order_id:
            raise ValueError("an ACCEPTED ack needs the exchange order id")


class OrderStatus(enum.Enum):
    """Lifecycle of an order live on a venue."""

    OPEN = "open"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"

    @property
    def terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REJECTED}
)

ALLOWED_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.OPEN: frozenset(
        {
            OrderStatus.OPEN,
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELLED,
            OrderStatus.EXPIRED,
            OrderStatus.REJECTED,
        }
    ),
    OrderStatus.PARTIALLY_FILLED: frozenset(
        {
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELLED,
            OrderStatus.EXPIRED,
        }
    ),
    OrderStatus.FILLED: frozenset({OrderStatus.FILLED}),
    OrderStatus.CANCELLED: frozenset({OrderStatus.CANCELLED}),
    OrderStatus.EXPIRED: frozenset({OrderStatus.EXPIRED}),
    OrderStatus.REJECTED: frozenset({OrderStatus.REJECTED}),
}


class IllegalTransitionError(ValueError):
    """An order state change the lifecycle does not allow (e.g. FILLED -> OPEN)."""


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class OrderState:
    """An order as the venue sees it: status, executed quantity, average price and fees."""

    order_id: str
    client_order_id: str | None
    symbol: Symbol
    side: OrderSide
    order_type: OrderType
    quantity: Decimal = attrs.field(converter=to_decimal)
    limit_price: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    status: OrderStatus
    filled_quantity: Decimal = attrs.field(default=ZERO, converter=to_decimal)
    average_price: Decimal | None = attrs.field(default=None, converter=optional_decimal)
    fee: Decimal = attrs.field(default=ZERO, converter=to_decimal)
    fee_currency: str = ""
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self.filled_quantity < 0 or self.filled_quantity > self.quantity:
            raise ValueError(
                f"filled_quantity {format_decimal(self.filled_quantity)} outside "
                f"0..{format_decimal(self.quantity)}"
            )
        if self.status is OrderStatus.FILLED and self.filled_quantity != self.quantity:
            raise ValueError("a FILLED order must have filled_quantity == quantity")
        if self.status is OrderStatus.PARTIALLY_FILLED and not (
            0 < self.filled_quantity < self.quantity
        ):
            raise ValueError("a PARTIALLY_FILLED order must be filled strictly between 0 and all")

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.filled_quantity

    def transition(self, status: OrderStatus, **changes: object) -> OrderState:
        """A copy in `status`; raises IllegalTransitionError when the lifecycle forbids it."""
        if status not in ALLOWED_TRANSITIONS[self.status]:
            raise IllegalTransitionError(
                f"order {self.order_id}: {self.status.value} -> {status.value} is not allowed"
            )
        updated = attrs.evolve(self, status=status, **changes)  # type: ignore[arg-type]
        if updated.filled_quantity < self.filled_quantity:
            raise IllegalTransitionError(
                f"order {self.order_id}: filled quantity cannot go back from "
                f"{format_decimal(self.filled_quantity)} to "
                f"{format_decimal(updated.filled_quantity)}"
            )
        return updated


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class ChargedFee:
    """A commission as the venue charged it in a third asset (e.g. BNB) before it was valued
    in the fill's quote currency: `rate` is quote per 1 `asset`, None when no price existed."""

    asset: str
    amount: Decimal = attrs.field(converter=to_decimal)
    rate: Decimal | None = attrs.field(default=None, converter=optional_decimal)

    def __attrs_post_init__(self) -> None:
        if not self.asset:
            raise ValueError("a charged fee needs its asset")
        if self.amount < 0:
            raise ValueError(f"charged fee amount must be >= 0, got {format_decimal(self.amount)}")
        if self.rate is not None and self.rate <= 0:
            raise ValueError(f"charged fee rate must be > 0, got {format_decimal(self.rate)}")

    @property
    def quote_value(self) -> Decimal:
        """The amount at `rate` (0 when it could not be valued)."""
        return ZERO if self.rate is None else self.amount * self.rate


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class Fill:
    """One execution. `simulated` marks paper-ledger fills of validate-only orders.

    `charged` is set only when the venue took the fee in a third asset (neither base nor
    quote, e.g. BNB): `fee` is then its value in the quote currency (`fee_currency` is the
    quote) and `charged` keeps what was really taken.
    """

    order_id: str
    trade_id: str
    symbol: Symbol
    side: OrderSide
    quantity: Decimal = attrs.field(converter=to_decimal)
    price: Decimal = attrs.field(converter=to_decimal)
    fee: Decimal = attrs.field(converter=to_decimal)
    fee_currency: str
    time: datetime = attrs.field(validator=utc_validator)
    simulated: bool = False
    charged: ChargedFee | None = None

    def __attrs_post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"fill quantity must be > 0, got {format_decimal(self.quantity)}")
        if self.price <= 0:
            raise ValueError(f"fill price must be > 0, got {format_decimal(self.price)}")
        if self.fee < 0:
            raise ValueError(f"fill fee must be >= 0, got {format_decimal(self.fee)}")
        if self.charged is not None:
            self._check_charged(self.charged)

    def _check_charged(self, charged: ChargedFee) -> None:
        symbol = self.symbol
        if charged.asset in (symbol.base, symbol.quote):
            raise ValueError(
                f"charged fee asset {charged.asset} is this fill's own base or quote; "
                "only a third-asset fee is recorded as charged"
            )
        if self.fee_currency != symbol.quote:
            raise ValueError(
                f"a fee charged in {charged.asset} is booked in the quote currency "
                f"{symbol.quote}, not {self.fee_currency!r}"
            )
        if self.fee != charged.quote_value:
            raise ValueError(
                f"fee {format_decimal(self.fee)} {symbol.quote} is not the charged "
                f"{format_decimal(charged.amount)} {charged.asset} at its rate"
            )

    @property
    def notional(self) -> Decimal:
        return self.quantity * self.price

    @property
    def fee_in_base(self) -> bool:
        """True when the venue kept the fee out of the base asset (the position shrinks)."""
        return self.fee_currency == self.symbol.base

    @property
    def fee_in_quote(self) -> Decimal:
        """The fee valued in the quote currency (a base-asset fee at this fill's price).

        The one place this conversion lives. A fee charged in a third asset arrives already
        valued in quote (`charged` says what was taken); a third-asset `fee_currency` has no
        price here and is refused.
        """
        if self.fee_in_base:
            return self.fee * self.price
        if self.fee_currency not in ("", self.symbol.quote):
            raise ValueError(
                f"fee currency {self.fee_currency!r} is neither "
                f"{self.symbol.base} nor {self.symbol.quote}"
            )
        return self.fee


class ExecutionStatus(enum.Enum):
    """The executor's verdict on one order request."""

    VALIDATED = "validated"  # venue validated it; booked as a simulated fill
    FILLED = "filled"
    PARTIALLY_FILLED = "partially_filled"
    OPEN = "open"  # still working when the follow-up window ended
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"  # venue or local instrument rules refused it
    RISK_BLOCKED = "risk_blocked"  # LiveRiskLimits refused it; never reached the venue
    UNKNOWN = "unknown"  # sent, outcome unknown and unresolved


@attrs.frozen(kw_only=True)
class OrderExecutionResult:
    """What happened to one order: status, reason, venue ids and the fills booked."""

    request: OrderRequest
    status: ExecutionStatus
    reason: RejectReason | None = None
    message: str = ""
    order_id: str | None = None
    fills: tuple[Fill, ...] = ()

    @property
    def simulated(self) -> bool:
        return any(fill.simulated for fill in self.fills)
