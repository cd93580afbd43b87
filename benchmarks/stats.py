"""Timing samples and the numbers the report shows: median, min-max, rates and ratios."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """Repeated measurements of one quantity (seconds unless `unit` says otherwise)."""

    values: tuple[float, ...]
    unit: str = "s"

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def runs(self) -> int:
        return len(self.values)

    def scaled(self, factor: float, unit: str) -> Sample:
        return Sample(tuple(v * factor for v in self.values), unit)

    def rate(self, work: float, unit: str) -> Sample:
        """work / value per run (e.g. candles per second); min-max swap accordingly."""
        return Sample(tuple(work / v for v in self.values), unit)


def fmt_num(value: float, digits: int = 3) -> str:
    """Human number: thousands separators for big values, `digits` significant for small ones."""
    if value != value:  # NaN
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.{digits}g}"


def fmt_sample(sample: Sample, fmt: Callable[[float], str] = fmt_num) -> tuple[str, str]:
    """(median, 'min - max') cells for a table."""
    return fmt(sample.median), f"{fmt(sample.low)} - {fmt(sample.high)}"


def fmt_ratio(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}x"


def ratio(numerator: Sample | float, denominator: Sample | float) -> float:
    """Ratio of medians (or plain floats)."""
    num = numerator.median if isinstance(numerator, Sample) else numerator
    den = denominator.median if isinstance(denominator, Sample) else denominator
    return num / den if den else float("nan")


def median_of(values: Sequence[float]) -> float:
    return statistics.median(values)
