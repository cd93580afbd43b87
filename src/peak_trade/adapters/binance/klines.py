"""Candles from GET /api/v3/klines: the forming candle by position, long ranges by paging.

Binance answers at most 1000 rows per call. The newest row of an answer that reaches the
present is the candle still forming; every row with a newer row after it is closed. So a page
that comes back full says nothing about its last row, and the next page (startTime = that
row's open + 1 ms) decides: a successor closes it, an empty or short page makes the newest row
the forming one. Nothing is decided from closeTime against a local clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs

from peak_trade.adapters.binance.intervals import INTERVALS, TIMEFRAMES
from peak_trade.adapters.binance.market_data import parse_klines
from peak_trade.adapters.binance.symbols import BinanceMarket
from peak_trade.adapters.binance.transport import BinanceTransport, Request
from peak_trade.domain.market import Candle, CandleBatch
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.errors import UnsupportedTimeframeError

KLINES_PATH = "/api/v3/klines"
KLINES_LIMIT = 1000
KLINES_WEIGHT = 2
CANDLES_MAX_PAGES = 100  # candles(since): at most 100 000 rows per call; the rest next poll


def interval_of(timeframe: Timeframe) -> str:
    """Binance's interval name, or UnsupportedTimeframeError listing the served ones."""
    interval = INTERVALS.get(timeframe)
    if interval is None:
        served = ", ".join(tf.label for tf in TIMEFRAMES)
        raise UnsupportedTimeframeError(
            f"Binance klines serve {served}; {timeframe.label} is not one of them"
        )
    return interval


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


class KlineReader:
    """Reads klines pages through the transport and splits closed rows from the forming one."""

    def __init__(self, transport: BinanceTransport) -> None:
        self._transport = transport

    def page(
        self, market: BinanceMarket, symbol: Symbol, interval: str, start_ms: int | None
    ) -> list[Candle]:
        params = [("symbol", market.name), ("interval", interval), ("limit", str(KLINES_LIMIT))]
        if start_ms is not None:
            params.append(("startTime", str(start_ms)))
        request = Request(
            method="GET", path=KLINES_PATH, params=tuple(params), weight=KLINES_WEIGHT
        )
        return parse_klines(self._transport.call(request), symbol)

    def latest(self, market: BinanceMarket, symbol: Symbol, timeframe: Timeframe) -> CandleBatch:
        """The newest 999 closed candles and the forming one (one request)."""
        rows = self.page(market, symbol, interval_of(timeframe), None)
        return _batch(rows, reached_present=True)

    def since(
        self, market: BinanceMarket, symbol: Symbol, timeframe: Timeframe, since: datetime
    ) -> CandleBatch:
        """Closed candles strictly after `since` (paged), and the forming one."""
        interval = interval_of(timeframe)
        rows: list[Candle] = []
        start = _ms(since) + 1
        for _ in range(CANDLES_MAX_PAGES):
            page = self.page(market, symbol, interval, start)
            rows.extend(page)
            if len(page) < KLINES_LIMIT:
                return _batch([c for c in rows if c.open_time > since], reached_present=True)
            start = _ms(page[-1].open_time) + 1
        return _batch([c for c in rows if c.open_time > since], reached_present=False)

    def closed_pages(
        self,
        market: BinanceMarket,
        symbol: Symbol,
        timeframe: Timeframe,
        start: datetime,
        end: datetime | None = None,
    ) -> Iterator[tuple[Candle, ...]]:
        """Closed candles with start <= open time < end (None: up to the forming one), one
        page at a time, oldest first; a row is yielded once its successor has been seen."""
        interval = interval_of(timeframe)
        cursor = _ms(start)
        held: Candle | None = None  # the newest row so far: closed only once a successor shows
        while True:
            page = self.page(market, symbol, interval, cursor)
            rows = ([held] if held is not None else []) + page
            past_end = end is not None and any(c.open_time >= end for c in page)
            if past_end:
                assert end is not None
                yield tuple(c for c in rows if c.open_time < end)
                return
            if len(page) < KLINES_LIMIT:
                if rows[:-1]:
                    yield tuple(rows[:-1])  # the newest row is the forming candle
                return
            held = rows[-1]
            yield tuple(rows[:-1])
            cursor = _ms(held.open_time) + 1


def _batch(rows: list[Candle], *, reached_present: bool) -> CandleBatch:
    """Rows oldest first -> closed + forming (the newest row, when the answer reached now)."""
    if not rows:
        return CandleBatch()
    if reached_present:
        forming = attrs.evolve(rows[-1], closed=False)
        return CandleBatch(closed=tuple(rows[:-1]), forming=forming)
    return CandleBatch(closed=tuple(rows[:-1]), forming=None)
