"""The in-memory venue: a deterministic fake exchange that replays candles."""

from __future__ import annotations

from .config import InMemoryExchangeConfig
from .exchange import InMemoryExchange
from .replay import iter_candles_csv, read_csv_header, write_candles_csv

__all__ = [
    "InMemoryExchange",
    "InMemoryExchangeConfig",
    "iter_candles_csv",
    "read_csv_header",
    "write_candles_csv",
]
