"""Performance statistics of a run: returns, trade results, drawdown, ratios and exposure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import to_decimal
from peak_trade.domain.performance.drawdown import Drawdown, max_drawdown
from peak_trade.domain.performance.exposure import Exposure, exposure
from peak_trade.domain.performance.periods import (
    EquityPoint,
    default_period,
    period_ends,
    period_returns,
    periods_per_year,
    resample,
)
from peak_trade.domain.performance.precision import analytics_precision, percent, seconds
from peak_trade.domain.performance.ratios import sharpe_ratio, sortino_ratio
from peak_trade.domain.performance.trade_stats import TradeStatistics, trade_statistics
from peak_trade.domain.performance.trip import RoundTrip
from peak_trade.domain.symbols import Timeframe
from peak_trade.domain.timeutil import require_utc

_DAY_SECONDS = Decimal(86400)


@attrs.frozen(kw_only=True)
class PerformanceStatistics:
    """The figures every view of a run shows, at full precision (quantize when presenting).

    Percentages are in percent (12.5 means 12.5 %). Sharpe and Sortino are annualised from
    `period` returns with sqrt(`periods_per_year`), 365-day years, risk-free rate zero. The
    drawdown reads every equity sample, not the resampled periods.
    """

    start: datetime
    end: datetime
    start_equity: Decimal
    end_equity: Decimal  # the latest equity sample, else start_equity
    total_return: Decimal  # end_equity - start_equity
    total_return_pct: Decimal | None  # None when start_equity <= 0
    trades: TradeStatistics
    max_drawdown: Drawdown
    period: Timeframe
    periods_per_year: Decimal
    period_count: int  # periods in the run (the first and last may be cut short)
    sharpe_ratio: Decimal | None  # None: < 2 periods, zero deviation or a period from equity <= 0
    sortino_ratio: Decimal | None  # None: < 2 periods, no losing period or one from equity <= 0
    exposure: Exposure
    trades_per_day: Decimal | None  # round trips opened (closed and open) per day of the run


def performance_statistics(
    *,
    round_trips: Sequence[RoundTrip],
    equity: Sequence[EquityPoint],
    start_equity: Decimal,
    start: datetime,
    end: datetime,
    period: Timeframe | None = None,
) -> PerformanceStatistics:
    """Statistics of a run from its round trips and its equity curve between start and end.

    `equity` holds (time, equity) samples within [start, end] in any order (sorted stably
    here); the curve starts at start_equity at `start`. `period` defaults to
    `default_period(start, end)`: daily for runs of 7 days or more, hourly below.
    """
    require_utc(start, "start")
    require_utc(end, "end")
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    opening = to_decimal(start_equity, "start_equity")
    points = _checked(equity, start, end)
    chosen = default_period(start, end) if period is None else period
    per_year = periods_per_year(chosen)
    ends = period_ends(start, end, chosen)
    returns = period_returns(resample(points, start_equity=opening, ends=ends)) or ()
    closing = points[-1][1] if points else opening
    trades = trade_statistics(round_trips)
    with analytics_precision():
        run_seconds = seconds(end - start)
        return PerformanceStatistics(
            start=start,
            end=end,
            start_equity=opening,
            end_equity=closing,
            total_return=closing - opening,
            total_return_pct=percent(closing - opening, opening) if opening > 0 else None,
            trades=trades,
            max_drawdown=max_drawdown(opening, (value for _, value in points)),
            period=chosen,
            periods_per_year=per_year,
            period_count=len(ends) - 1,
            sharpe_ratio=sharpe_ratio(returns, periods_per_year=per_year),
            sortino_ratio=sortino_ratio(returns, periods_per_year=per_year),
            exposure=exposure(round_trips, start=start, end=end),
            trades_per_day=(
                (trades.trip_count + trades.open_trip_count) * _DAY_SECONDS / run_seconds
                if run_seconds
                else None
            ),
        )


def _checked(equity: Sequence[EquityPoint], start: datetime, end: datetime) -> list[EquityPoint]:
    points = []
    for moment, value in equity:
        require_utc(moment, "equity time")
        if not start <= moment <= end:
            raise ValueError(
                f"equity sample at {moment.isoformat()} is outside the run "
                f"{start.isoformat()} .. {end.isoformat()}"
            )
        points.append((moment, to_decimal(value, "equity")))
    points.sort(key=lambda point: point[0])
    return points
