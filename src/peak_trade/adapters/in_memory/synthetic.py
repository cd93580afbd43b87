"""Seeded synthetic candles: a geometric random walk whose volatility switches between regimes.

The walk runs in floats (it is a simulation, not money); prices leave this module as exact
decimal strings on the price tick, and every candle is consistent (low <= open, close <= high).
`write_synthetic_csv` streams rows straight to the v1 candle CSV format, fast enough for
millions of candles; `synthetic_candles` yields the same data as Candle values.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import attrs

from peak_trade.adapters.in_memory.replay import FORMAT_LINE, HEADER
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc

# Per-minute volatility of each regime; the chance per candle of switching to another one.
_REGIMES = (0.0004, 0.0009, 0.0022)
_SWITCH_PROBABILITY = 1 / 400
_SUBSTEPS = 4

Row = tuple[datetime, str, str, str, str, str]


@attrs.frozen(kw_only=True)
class SynthSpec:
    """What to generate: symbol, timeframe, how many candles, seed, start time and price."""

    symbol: Symbol
    timeframe: Timeframe
    candles: int
    seed: int
    start: datetime
    start_price: Decimal = Decimal(60000)
    price_decimals: int = 1

    def source(self) -> str:
        """The `# source:` header text: labels the file synthetic and says how to remake it."""
        return (
            f"synthetic (seed={self.seed}, model=gbm-volatility-regimes, "
            f"start_price={self.start_price}, candles={self.candles}, "
            f"start={isoformat_utc(self.start)})"
        )


def synthetic_rows(spec: SynthSpec) -> Iterator[Row]:
    """(open time, open, high, low, close, volume) rows as exact decimal strings."""
    rng = random.Random(spec.seed)
    gauss, uniform, exp = rng.gauss, rng.random, math.exp
    step = timedelta(minutes=spec.timeframe.minutes)
    scale = math.sqrt(spec.timeframe.minutes / _SUBSTEPS)
    per_unit = 10**spec.price_decimals
    fmt = _formatter(spec.price_decimals)
    price = float(spec.start_price)
    regime = 1
    open_time = spec.start
    for _ in range(spec.candles):
        if uniform() < _SWITCH_PROBABILITY:
            regime = (regime + 1 + int(uniform() * 2)) % len(_REGIMES)
        sigma = _REGIMES[regime] * scale
        drift = -0.5 * sigma * sigma
        o = max(1, round(price * per_unit))
        high = low = price
        for _sub in range(_SUBSTEPS):
            price *= exp(gauss(drift, sigma))
            if price > high:
                high = price
            elif price < low:
                low = price
        c = max(1, round(price * per_unit))
        wick = abs(gauss(0.0, sigma / 2))
        h = max(round(high * (1 + wick) * per_unit), o, c)
        lo = max(1, min(round(low * (1 - wick) * per_unit), o, c))
        volume = rng.lognormvariate(0.0, 0.6) * (1 + 8 * _REGIMES[regime] / 0.001)
        yield (open_time, fmt(o), fmt(h), fmt(lo), fmt(c), f"{volume:.8f}".rstrip("0").rstrip("."))
        price = c / per_unit
        open_time += step


def synthetic_candles(spec: SynthSpec) -> Iterator[Candle]:
    """The rows of `synthetic_rows` as Candle values."""
    for open_time, o, h, lo, c, v in synthetic_rows(spec):
        yield Candle(
            symbol=spec.symbol, open_time=open_time, open=o, high=h, low=lo, close=c, volume=v
        )


def write_synthetic_csv(path: Path, spec: SynthSpec) -> int:
    """Write the candle CSV (v1 header, labelled synthetic) atomically; returns rows written."""
    tmp = path.with_name(f".{path.name}.tmp")
    rows = 0
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(f"# {FORMAT_LINE}\n# symbol: {spec.symbol}\n")
            fh.write(f"# timeframe: {spec.timeframe.label}\n# source: {spec.source()}\n")
            fh.write(",".join(HEADER) + "\n")
            batch: list[str] = []
            stamps = _Stamps()
            for open_time, o, h, lo, c, v in synthetic_rows(spec):
                stamp = stamps.format(open_time)
                batch.append(f"{stamp},{o},{h},{lo},{c},{v}\n")
                if len(batch) >= 10000:
                    fh.writelines(batch)
                    rows += len(batch)
                    batch.clear()
            fh.writelines(batch)
            rows += len(batch)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


def _formatter(decimals: int) -> Callable[[int], str]:
    """Integer units of 10^-decimals as a plain decimal string without trailing zeros."""

    def fmt(units: int) -> str:
        text = str(units).rjust(decimals + 1, "0")
        frac = text[-decimals:].rstrip("0")
        return f"{text[:-decimals]}.{frac}" if frac else text[:-decimals]

    return str if decimals == 0 else fmt


class _Stamps:
    """ISO-8601 UTC stamps with the date part cached (strftime per row is the slow part)."""

    def __init__(self) -> None:
        self._day: object = None
        self._prefix = ""

    def format(self, moment: datetime) -> str:
        day = moment.date()
        if day != self._day:
            self._day = day
            self._prefix = day.isoformat()
        return f"{self._prefix}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
