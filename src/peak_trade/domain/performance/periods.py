"""Per-period returns of an equity curve: the period rule, resampling and annualisation.

Periods are whole multiples of the period length counted from the Unix epoch in UTC (daily
periods end at UTC midnight, hourly ones on the hour), so every reader of a run sees the same
periods. The first and last period of a run are cut at its start and end and count like the
others. Equity at a period end is the last sample at or before it (the start equity before the
first sample); the run's start and end are period ends too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from peak_trade.domain.performance.precision import analytics_precision
from peak_trade.domain.symbols import Timeframe

DAILY_FROM = timedelta(days=7)  # shorter runs use hourly returns
SECONDS_PER_YEAR = 365 * 86400  # crypto trades every day of the year
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

EquityPoint = tuple[datetime, Decimal]


def default_period(start: datetime, end: datetime) -> Timeframe:
    """Daily returns for runs of 7 days or more, hourly for shorter runs.

    A week is the fewest days that give a daily Sharpe ratio any meaning; below it hourly
    periods give at least as many returns as a week of days would.
    """
    return Timeframe.D1 if end - start >= DAILY_FROM else Timeframe.H1


def periods_per_year(period: Timeframe) -> Decimal:
    """How many periods a 365-day year holds (365 for 1d, 8760 for 1h)."""
    with analytics_precision():
        return Decimal(SECONDS_PER_YEAR) / period.seconds


def period_ends(start: datetime, end: datetime, period: Timeframe) -> tuple[datetime, ...]:
    """start, every epoch-aligned period boundary strictly between start and end, and end."""
    if end <= start:
        return (start,)
    length = timedelta(seconds=period.seconds)
    boundary = _EPOCH + ((start - _EPOCH) // length + 1) * length
    ends = [start]
    while boundary < end:
        ends.append(boundary)
        boundary += length
    ends.append(end)
    return tuple(ends)


def resample(
    points: Sequence[EquityPoint], *, start_equity: Decimal, ends: Sequence[datetime]
) -> tuple[Decimal, ...]:
    """Equity at each of `ends`: start_equity at the first, then the last sample at or before.

    `points` are sorted by time; `ends` ascend.
    """
    values = [start_equity]
    latest, index = start_equity, 0
    for moment in ends[1:]:
        while index < len(points) and points[index][0] <= moment:
            latest = points[index][1]
            index += 1
        values.append(latest)
    return tuple(values)


def period_returns(values: Sequence[Decimal]) -> tuple[Decimal, ...] | None:
    """Simple returns between consecutive values; None if a period starts at equity <= 0."""
    if any(value <= 0 for value in values[:-1]):
        return None
    with analytics_precision():
        return tuple(now / before - 1 for before, now in pairwise(values))
