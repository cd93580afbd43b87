"""Warmup: the last N closed candles, paging through the venue's OHLC row limit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs

from peak_trade.domain.market import Candle, CandleBatch
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.exchange import ExchangePort

OHLC_PAGE_ROWS = 720  # Kraken's OHLC limit; the in-memory exchange keeps the same window


def closed_after(batch: CandleBatch, since: datetime | None) -> list[Candle]:
    """The batch's closed candles that open after `since` (all of them when since is None)."""
    return [c for c in batch.closed if since is None or c.open_time > since]


def closed_pages(
    exchange: ExchangePort,
    symbol: Symbol,
    timeframe: Timeframe,
    since: datetime | None,
    *,
    max_pages: int,
) -> Iterator[list[Candle]]:
    """Pages of new closed candles after `since`, paging forward while a page comes back full.

    An adapter that pages from the oldest row is followed to the present; Kraken-like venues
    answer the latest rows at once (one page).
    """
    cursor = since
    for _page in range(max_pages):
        batch = exchange.candles(symbol, timeframe, since=cursor)
        fresh = closed_after(batch, cursor)
        if not fresh:
            return
        yield fresh
        if len(batch.closed) < OHLC_PAGE_ROWS:
            return
        cursor = fresh[-1].open_time


def fetch_warmup_candles(
    exchange: ExchangePort, symbol: Symbol, timeframe: Timeframe, wanted: int
) -> list[Candle]:
    """Up to `wanted` most recent closed candles, oldest first (never the forming one)."""
    if wanted <= 0:
        return []
    collected: list[Candle] = []
    for page in closed_pages(
        exchange, symbol, timeframe, None, max_pages=wanted // OHLC_PAGE_ROWS + 3
    ):
        collected = [*collected, *page][-wanted:]
    return collected


@attrs.frozen(kw_only=True)
class Warmup:
    """What warmup fed the strategy, and the newest closed candle (where the live feed starts)."""

    primed: int
    wanted: int
    last_candle: Candle | None


def warm_up(
    exchange: ExchangePort,
    strategy: Strategy,
    symbol: Symbol,
    timeframe: Timeframe,
    wanted: int,
) -> Warmup:
    """Prime `strategy` with the last `wanted` closed candles; no decision is taken on them.

    At least the newest closed candle is fetched even with wanted = 0: it is where the live feed
    starts, so history is never replayed as if it were new.
    """
    candles = fetch_warmup_candles(exchange, symbol, timeframe, max(wanted, 1))
    primed = candles[-wanted:] if wanted else []
    for candle in primed:
        strategy.on_candle(candle)
    return Warmup(primed=len(primed), wanted=wanted, last_candle=candles[-1] if candles else None)
