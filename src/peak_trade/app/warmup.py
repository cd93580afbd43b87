"""Warmup: the last N closed candles, paging through the venue's OHLC row limit."""

from __future__ import annotations

from datetime import datetime

from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.exchange import ExchangePort

OHLC_PAGE_ROWS = 720  # Kraken's OHLC limit; the in-memory exchange keeps the same window


def fetch_warmup_candles(
    exchange: ExchangePort, symbol: Symbol, timeframe: Timeframe, wanted: int
) -> list[Candle]:
    """Up to `wanted` most recent closed candles, oldest first (never the forming one).

    Pages forward with `since` while a page comes back full, so an adapter that pages from the
    oldest row is followed to the present; Kraken-like venues answer the latest rows at once.
    """
    if wanted <= 0:
        return []
    collected: list[Candle] = []
    since: datetime | None = None
    max_pages = wanted // OHLC_PAGE_ROWS + 3
    for _page in range(max_pages):
        batch = exchange.candles(symbol, timeframe, since=since)
        fresh = [c for c in batch.closed if since is None or c.open_time > since]
        if not fresh:
            break
        collected.extend(fresh)
        collected = collected[-wanted:]
        since = fresh[-1].open_time
        if len(batch.closed) < OHLC_PAGE_ROWS:
            break
    return collected
