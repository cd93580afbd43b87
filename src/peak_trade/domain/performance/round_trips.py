"""Round trips from fills: per symbol, flat to flat, long and short, flips split pro rata."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO, to_decimal
from peak_trade.domain.orders import Fill
from peak_trade.domain.performance.precision import analytics_precision, percent, split_pro_rata
from peak_trade.domain.performance.trip import RoundTrip, TripDirection
from peak_trade.domain.symbols import Symbol


def position_change(fill: Fill) -> Decimal:
    """The signed change the ledger books for `fill`: a base-asset fee leaves the position.

    Mirrors `Portfolio.apply_fill`; tests/property/test_performance_properties.py pins the two.
    """
    signed = fill.quantity * fill.side.sign
    return signed - fill.fee if fill.fee_in_base else signed


@attrs.define(kw_only=True)
class _OpenTrip:
    """A trip being built; `cost` is the ledger's average price x the open position."""

    symbol: Symbol
    direction: TripDirection
    entry_time: datetime
    position: Decimal = ZERO
    cost: Decimal = ZERO
    entered: Decimal = ZERO
    entry_notional: Decimal = ZERO
    exited: Decimal = ZERO
    exit_notional: Decimal = ZERO
    max_position: Decimal = ZERO
    fees: Decimal = ZERO
    fill_count: int = 0
    simulated: bool = False

    def book(self, fill: Fill, fee: Decimal) -> None:
        self.fees += fee
        self.fill_count += 1
        self.simulated = self.simulated or fill.simulated

    def add(self, quantity: Decimal, price: Decimal) -> None:
        self.position += quantity
        self.cost += quantity * price
        self.entered += quantity
        self.entry_notional += quantity * price
        self.max_position = max(self.max_position, self.position)

    def reduce(self, quantity: Decimal, price: Decimal) -> None:
        remaining = self.position - quantity
        # the ledger realizes against its average price: the cost leaves pro rata
        self.cost = ZERO if remaining == 0 else self.cost * remaining / self.position
        self.position = remaining
        self.exited += quantity
        self.exit_notional += quantity * price

    def result(
        self, *, exit_time: datetime | None, reason: str | None, mark: Decimal | None
    ) -> RoundTrip:
        sign = self.direction.sign
        gross = sign * (self.exit_notional - self.entry_notional + self.cost)
        net = gross - self.fees
        unrealized: Decimal | None = ZERO
        if exit_time is None:
            unrealized = None if mark is None else sign * (mark * self.position - self.cost)
        pct = None if unrealized is None else percent(net + unrealized, self.entry_notional)
        return RoundTrip(
            symbol=self.symbol,
            direction=self.direction,
            entry_time=self.entry_time,
            exit_time=exit_time,
            entry_price=self.entry_notional / self.entered,
            exit_price=self.exit_notional / self.exited if self.exited else None,
            entered_quantity=self.entered,
            exited_quantity=self.exited,
            max_position=self.max_position,
            open_quantity=self.position,
            open_average_price=self.cost / self.position if self.position else None,
            gross_pnl=gross,
            fees=self.fees,
            net_pnl=net,
            unrealized_pnl=unrealized,
            pnl_pct=pct,
            exit_reason=reason,
            fill_count=self.fill_count,
            simulated=self.simulated,
        )


def round_trips(
    fills: Iterable[Fill],
    *,
    exit_reasons: Mapping[str, str] | None = None,
    marks: Mapping[Symbol, Decimal] | None = None,
) -> tuple[RoundTrip, ...]:
    """Every round trip in `fills`, in the order they opened (a symbol's open trip is its last).

    Fills are taken in time order (stable for equal times: the order the ledger booked them).
    A trip opens when a symbol's position leaves zero and closes when it returns to zero; a
    fill that flips the position closes the trip and opens one the other way with the rest,
    its fee split pro rata by quantity. `exit_reasons` maps the closing fill's order id to a
    reason text; `marks` prices open trips' unrealized PnL.

    Equalities with a `Portfolio` that applied the same fills (exact in exact arithmetic; the
    ledger rounds at 28 digits, these figures at 60):
      sum(t.gross_pnl for all trips)           == Portfolio.realized_pnl
      sum(t.fees for all trips)                == Portfolio.fees_paid
      sum(t.net_pnl for closed trips)          == Portfolio.realized_pnl - Portfolio.fees_paid
                                                  - sum(t.net_pnl for open trips)
    so once every symbol is flat the closed trips' net PnL is equity minus start equity.
    A fill that changes no position (a base-asset fee equal to its quantity) while the symbol is
    flat belongs to no trip and is a ValueError.
    """
    reasons = exit_reasons or {}
    ordered = sorted(fills, key=lambda fill: fill.time)
    with analytics_precision():
        trips: list[_OpenTrip | RoundTrip] = []
        current: dict[Symbol, int] = {}
        for fill in ordered:
            _apply(fill, trips, current, reasons)
        marked = {symbol: to_decimal(price, "mark") for symbol, price in (marks or {}).items()}
        return tuple(
            trip
            if isinstance(trip, RoundTrip)
            else trip.result(exit_time=None, reason=None, mark=marked.get(trip.symbol))
            for trip in trips
        )


def _apply(
    fill: Fill,
    trips: list[_OpenTrip | RoundTrip],
    current: dict[Symbol, int],
    reasons: Mapping[str, str],
) -> None:
    change, fee, price = position_change(fill), fill.fee_in_quote, fill.price
    index = current.get(fill.symbol)
    if index is None:
        if change == 0:
            raise ValueError(
                f"fill {fill.trade_id} of order {fill.order_id} changes no position on a flat "
                f"{fill.symbol}: its base-asset fee equals its quantity"
            )
        current[fill.symbol] = _open(fill, change, fee, trips)
        return
    trip = trips[index]
    assert isinstance(trip, _OpenTrip)
    if change * trip.direction.sign >= 0:
        trip.book(fill, fee)
        trip.add(abs(change), price)
        return
    reduction = abs(change)
    if reduction < trip.position:
        trip.book(fill, fee)
        trip.reduce(reduction, price)
        return
    closing_fee, opening_fee = split_pro_rata(fee, trip.position, reduction)
    rest = reduction - trip.position
    trip.book(fill, closing_fee)
    trip.reduce(trip.position, price)
    trips[index] = trip.result(exit_time=fill.time, reason=reasons.get(fill.order_id), mark=None)
    del current[fill.symbol]
    if rest:
        current[fill.symbol] = _open(fill, rest * -trip.direction.sign, opening_fee, trips)


def _open(fill: Fill, change: Decimal, fee: Decimal, trips: list[_OpenTrip | RoundTrip]) -> int:
    direction = TripDirection.LONG if change > 0 else TripDirection.SHORT
    trip = _OpenTrip(symbol=fill.symbol, direction=direction, entry_time=fill.time)
    trip.book(fill, fee)
    trip.add(abs(change), fill.price)
    trips.append(trip)
    return len(trips) - 1
