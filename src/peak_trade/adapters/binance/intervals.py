"""The kline intervals Binance serves, as venue-neutral timeframes (a light module: no HTTP).

Months (`1M`) are left out: a month is not a fixed length, so it is not a Timeframe here.
"""

from __future__ import annotations

from peak_trade.domain.symbols import Timeframe

INTERVALS: dict[Timeframe, str] = {
    Timeframe.parse(label): label
    for label in ("1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h",
                  "1d", "3d", "1w")
}  # fmt: skip
TIMEFRAMES: tuple[Timeframe, ...] = tuple(sorted(INTERVALS))
