"""Win/loss statistics of closed round trips, on net PnL (after fees)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.performance.precision import analytics_precision, mean, percent
from peak_trade.domain.performance.trip import RoundTrip


@attrs.frozen(kw_only=True)
class TradeStatistics:
    """Counts, win rate, profit factor and averages over closed trips' net PnL.

    A win has net PnL > 0, a loss < 0; a trip at exactly 0 is neither but counts in the win
    rate's denominator and in the expectancy. Open trips are only counted.
    """

    trip_count: int  # closed trips
    open_trip_count: int
    win_count: int
    loss_count: int
    net_pnl: Decimal  # sum over closed trips
    gross_profit: Decimal  # sum of wins
    gross_loss: Decimal  # sum of losses (<= 0)
    win_rate_pct: Decimal | None  # None without closed trips
    profit_factor: Decimal | None  # gross_profit / -gross_loss; None without losses
    average_win: Decimal | None
    average_loss: Decimal | None  # negative
    largest_win: Decimal | None
    largest_loss: Decimal | None  # the most negative
    expectancy: Decimal | None  # mean net PnL per closed trip
    average_duration: timedelta | None  # mean over closed trips


def trade_statistics(trips: Iterable[RoundTrip]) -> TradeStatistics:
    """Statistics of the closed trips in `trips` (open ones are counted, nothing else)."""
    closed, open_count = [], 0
    for trip in trips:
        if trip.exit_time is None:
            open_count += 1
        else:
            closed.append(trip)
    results = [trip.net_pnl for trip in closed]
    wins = [pnl for pnl in results if pnl > 0]
    losses = [pnl for pnl in results if pnl < 0]
    durations = [span for trip in closed if (span := trip.duration) is not None]
    with analytics_precision():
        gross_profit, gross_loss = sum(wins, ZERO), sum(losses, ZERO)
        return TradeStatistics(
            trip_count=len(closed),
            open_trip_count=open_count,
            win_count=len(wins),
            loss_count=len(losses),
            net_pnl=sum(results, ZERO),
            gross_profit=gross_profit,
            gross_loss=gross_loss,
            win_rate_pct=percent(Decimal(len(wins)), Decimal(len(closed))) if closed else None,
            profit_factor=gross_profit / -gross_loss if losses else None,
            average_win=mean(wins) if wins else None,
            average_loss=mean(losses) if losses else None,
            largest_win=max(wins) if wins else None,
            largest_loss=min(losses) if losses else None,
            expectancy=mean(results) if results else None,
            average_duration=sum(durations, timedelta(0)) / len(durations) if durations else None,
        )
