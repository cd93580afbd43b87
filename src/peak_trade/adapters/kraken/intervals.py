"""The OHLC intervals Kraken serves, as venue-neutral timeframes (a light module: no HTTP)."""

from __future__ import annotations

from peak_trade.domain.symbols import Timeframe

# OHLC `interval` values Kraken accepts (minutes): 1, 5, 15, 30, 60, 240, 1440, 10080, 21600
OHLC_TIMEFRAMES = tuple(
    Timeframe.parse(label) for label in ("1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w", "15d")
)
