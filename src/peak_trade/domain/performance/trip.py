"""A round trip: one position on one symbol from flat back to flat, with its PnL and fees."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import name_decimal_fields, optional_decimal, to_decimal
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import require_utc, utc_validator


class TripDirection(enum.Enum):
    LONG = "long"
    SHORT = "short"

    @property
    def sign(self) -> int:
        """+1 for long, -1 for short: the sign of the position and of price PnL."""
        return 1 if self is TripDirection.LONG else -1


def _optional_utc(
    _instance: object, attribute: attrs.Attribute[datetime | None], value: datetime | None
) -> None:
    if value is not None:
        require_utc(value, attribute.name)


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class RoundTrip:
    """One trip from flat to flat (or still open), its prices, quantities, PnL and fees.

    Quantities are position units as the ledger counts them: a base-asset fee is part of the
    position change (a buy of 1 BTC with a 0.001 BTC fee enters 0.999). Amounts are in the
    quote currency. For a closed trip:
      gross_pnl = sign x (exit_price - entry_price) x entered_quantity  (= the ledger's
                  realized PnL booked by this trip's fills),
      fees      = this trip's share of its fills' `fee_in_quote`,
      net_pnl   = gross_pnl - fees.
    For an open trip gross_pnl is the price PnL realized by partial exits so far (at the
    ledger's average price), fees include every entry so far, and unrealized_pnl is
    (mark - open_average_price) x signed open quantity when a mark was given, else None (it
    is 0 once closed). pnl_pct is net_pnl (plus unrealized_pnl while open) in percent of the
    entry notional (entry_price x entered_quantity); None for an open trip without a mark.
    """

    symbol: Symbol
    direction: TripDirection
    entry_time: datetime = attrs.field(validator=utc_validator)
    exit_time: datetime | None = attrs.field(validator=_optional_utc)
    entry_price: Decimal = attrs.field(converter=to_decimal)  # quantity-weighted, all entries
    exit_price: Decimal | None = attrs.field(converter=optional_decimal)  # ... all exits
    entered_quantity: Decimal = attrs.field(converter=to_decimal)  # sum of position increases
    exited_quantity: Decimal = attrs.field(converter=to_decimal)  # sum of position decreases
    max_position: Decimal = attrs.field(converter=to_decimal)  # largest absolute position held
    open_quantity: Decimal = attrs.field(converter=to_decimal)  # absolute position still held
    open_average_price: Decimal | None = attrs.field(converter=optional_decimal)  # ledger's
    gross_pnl: Decimal = attrs.field(converter=to_decimal)
    fees: Decimal = attrs.field(converter=to_decimal)
    net_pnl: Decimal = attrs.field(converter=to_decimal)
    unrealized_pnl: Decimal | None = attrs.field(converter=optional_decimal)
    pnl_pct: Decimal | None = attrs.field(converter=optional_decimal)
    exit_reason: str | None = None
    fill_count: int
    simulated: bool

    def __attrs_post_init__(self) -> None:
        if (self.exit_time is None) != (self.open_quantity > 0):
            raise ValueError("a trip is open exactly when it still holds a position")
        if self.exit_time is not None and self.exit_time < self.entry_time:
            raise ValueError("a trip cannot exit before it entered")
        if self.fill_count < 1:
            raise ValueError("a trip has at least one fill")

    @property
    def is_open(self) -> bool:
        return self.exit_time is None

    @property
    def duration(self) -> timedelta | None:
        """Exit time minus entry time; None while the trip is open."""
        return None if self.exit_time is None else self.exit_time - self.entry_time
