"""Trade analytics in the pure domain: round trips from fills and performance statistics.

`round_trips(fills)` turns a ledger's fills into flat-to-flat trips whose PnL adds up to what
`Portfolio` booked; `performance_statistics(...)` summarises a run from those trips and its
equity curve. Every figure is a Decimal at full precision; presentation quantizes.
"""

from __future__ import annotations

from peak_trade.domain.performance.drawdown import Drawdown
from peak_trade.domain.performance.exposure import Exposure
from peak_trade.domain.performance.round_trips import round_trips
from peak_trade.domain.performance.run_statistics import (
    PerformanceStatistics,
    performance_statistics,
)
from peak_trade.domain.performance.trade_stats import TradeStatistics
from peak_trade.domain.performance.trip import RoundTrip, TripDirection

__all__ = [
    "Drawdown",
    "Exposure",
    "PerformanceStatistics",
    "RoundTrip",
    "TradeStatistics",
    "TripDirection",
    "performance_statistics",
    "round_trips",
]
