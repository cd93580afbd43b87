"""Record closed candles from a venue's public market data, paging forward (for `data fetch`)."""

from __future__ import annotations

from datetime import datetime

from peak_trade.app.session.warmup import closed_pages
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.exchange import ExchangePort


def record_candles(
    exchange: ExchangePort, symbol: Symbol, timeframe: Timeframe, since: datetime | None
) -> list[Candle]:
    """Closed candles after `since`, paging forward while pages come back full (720 rows)."""
    pages = closed_pages(exchange, symbol, timeframe, since, max_pages=1000)
    return [candle for page in pages for candle in page]
