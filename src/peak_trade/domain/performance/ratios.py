"""Sharpe and Sortino ratios of per-period returns, annualised, risk-free rate zero."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from peak_trade.domain.performance.precision import analytics_precision, mean


def sharpe_ratio(returns: Sequence[Decimal], *, periods_per_year: Decimal) -> Decimal | None:
    """mean / sample standard deviation (n - 1) x sqrt(periods per year).

    None with fewer than two returns or when every return is the same (zero deviation).
    """
    if len(returns) < 2:
        return None
    with analytics_precision():
        average = mean(returns)
        variance = sum(((r - average) ** 2 for r in returns), Decimal(0)) / (len(returns) - 1)
        if variance == 0:
            return None
        return average / variance.sqrt() * periods_per_year.sqrt()


def sortino_ratio(returns: Sequence[Decimal], *, periods_per_year: Decimal) -> Decimal | None:
    """mean / downside deviation x sqrt(periods per year), target return zero.

    Downside deviation is sqrt(sum(min(r, 0)^2) / n) over all n returns (Sortino and Price).
    None with fewer than two returns or when no return is negative (zero downside deviation).
    """
    if len(returns) < 2:
        return None
    with analytics_precision():
        downside = sum((min(r, Decimal(0)) ** 2 for r in returns), Decimal(0)) / len(returns)
        if downside == 0:
            return None
        return mean(returns) / downside.sqrt() * periods_per_year.sqrt()
