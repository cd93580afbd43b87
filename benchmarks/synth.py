"""Seeded synthetic 1m candles in the shared candle CSV format (fallback for `data synth`)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 1, 1, tzinfo=UTC)
HEADER = "time,open,high,low,close,volume"


def synth_rows(count: int, seed: int, start_price: float = 60_000.0) -> Iterator[str]:
    """CSV rows of a seeded random walk with volatility regimes; prices on a 0.1 tick."""
    rng = random.Random(seed)
    price = start_price
    sigma = 0.0008
    moment = START
    step = timedelta(minutes=1)
    for _ in range(count):
        if rng.random() < 0.002:  # regime switch: calm <-> busy markets
            sigma = rng.choice((0.0004, 0.0008, 0.0015))
        open_ = round(price, 1)
        close = round(max(open_ * math.exp(rng.gauss(0.0, sigma)), 1.0), 1)
        wick = abs(rng.gauss(0.0, sigma)) * open_ / 2
        high = math.ceil((max(open_, close) + wick) * 10) / 10
        low = math.floor((min(open_, close) - wick) * 10) / 10
        volume = round(rng.expovariate(1 / 3.0), 4)
        yield (
            f"{moment.strftime('%Y-%m-%dT%H:%M:%SZ')},{open_:.1f},{high:.1f},"
            f"{max(low, 0.1):.1f},{close:.1f},{volume:.4f}"
        )
        price = close
        moment += step


def write_synth_csv(path: Path, count: int, seed: int, symbol: str = "BTC/EUR") -> None:
    """Write `count` seeded 1m candles to `path` with the peak_trade comment header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# peak_trade candles v1\n")
        out.write(f"# symbol: {symbol}\n# timeframe: 1m\n")
        out.write(f"# source: synthetic (seed={seed}, benchmarks.synth random walk)\n")
        out.write(HEADER + "\n")
        for row in synth_rows(count, seed):
            out.write(row + "\n")
    tmp.replace(path)
