"""Exposure: how long any position was open during a run, trips merged across symbols."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import name_decimal_fields, optional_decimal
from peak_trade.domain.performance.precision import analytics_precision, percent, seconds
from peak_trade.domain.performance.trip import RoundTrip


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class Exposure:
    """Time with at least one open position, and its share of the run in percent."""

    time: timedelta
    pct: Decimal | None = attrs.field(converter=optional_decimal)  # None: run of zero length


def exposure(trips: Iterable[RoundTrip], *, start: datetime, end: datetime) -> Exposure:
    """The union of the trips' [entry, exit] spans within [start, end].

    Overlapping trips (on one symbol or several) count once; an open trip runs to `end`.
    """
    spans = sorted((max(trip.entry_time, start), _until(trip, end)) for trip in trips)
    total = timedelta(0)
    covered_until = start
    for opened, closed in spans:
        opened = max(opened, covered_until)
        if closed > opened:
            total += closed - opened
            covered_until = closed
    with analytics_precision():
        run = seconds(end - start)
        return Exposure(time=total, pct=percent(seconds(total), run) if run else None)


def _until(trip: RoundTrip, end: datetime) -> datetime:
    return end if trip.exit_time is None else min(trip.exit_time, end)
