"""What one replay contender reports: trades and money, for the cross-check."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ReplayOutcome:
    """Result of one replay: candles seen, entries, exits, fees and final equity (EUR)."""

    candles: int
    entries: int
    exits: int
    fees: float
    final_equity: float
    final_position: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def iter_csv_rows(path: Path) -> Iterator[list[str]]:
    """Rows (time, open, high, low, close, volume) of a candle CSV, comments and header skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(line for line in handle if not line.startswith("#"))
        header = next(reader)
        if header[:5] != ["time", "open", "high", "low", "close"]:
            raise ValueError(f"{path}: unexpected header {header}")
        yield from reader
