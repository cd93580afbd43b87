"""Binance market-data and account JSON -> domain values: klines, tickers, balances, time."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import attrs

from peak_trade.adapters.binance.errors import BinanceUnavailableError
from peak_trade.adapters.venue_http.json_values import (
    as_dict,
    as_list,
    dec,
    integer,
    protocol_error,
    text,
)
from peak_trade.domain.market import Candle, Ticker
from peak_trade.domain.symbols import Symbol

KLINES = "GET /api/v3/klines"
BOOK_TICKER = "GET /api/v3/ticker/bookTicker"
PRICE = "GET /api/v3/ticker/price"
ACCOUNT = "GET /api/v3/account"


def ms_time(value: object, endpoint: str, what: str) -> datetime:
    """Binance's integer milliseconds as a UTC datetime."""
    millis = integer(value, endpoint, what)
    try:
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise protocol_error(endpoint, f"{what} is not a time in ms", value) from None


def parse_klines(result: object, symbol: Symbol) -> list[Candle]:
    """Kline rows -> candles, oldest first, all marked closed (the caller decides which one
    is forming: the newest row of an answer that reaches the present)."""
    candles = [_kline(row, symbol) for row in as_list(result, KLINES, "answer")]
    times = [c.open_time for c in candles]
    if times != sorted(set(times)):
        raise protocol_error(KLINES, "kline open times are not strictly increasing", result)
    return candles


def _kline(row: object, symbol: Symbol) -> Candle:
    items = as_list(row, KLINES, "kline")
    if len(items) < 6:
        raise protocol_error(KLINES, "kline row has fewer than 6 fields", items)
    try:
        return Candle(
            symbol=symbol,
            open_time=ms_time(items[0], KLINES, "open time"),
            open=dec(items[1], KLINES, "open"),
            high=dec(items[2], KLINES, "high"),
            low=dec(items[3], KLINES, "low"),
            close=dec(items[4], KLINES, "close"),
            volume=dec(items[5], KLINES, "volume"),
        )
    except ValueError as exc:
        raise protocol_error(KLINES, f"inconsistent kline: {exc}", items) from None


def parse_ticker(book: object, price: object, symbol: Symbol, now: datetime) -> Ticker:
    """bookTicker + ticker/price -> Ticker (time is our clock's now)."""
    entry = as_dict(book, BOOK_TICKER, "answer")
    bid = dec(entry.get("bidPrice"), BOOK_TICKER, "bidPrice")
    ask = dec(entry.get("askPrice"), BOOK_TICKER, "askPrice")
    last = last_price(price)
    if bid <= 0 or ask <= 0:
        side = "bid" if bid <= 0 else "ask"
        raise BinanceUnavailableError(
            f"{symbol}: the order book has no {side} (testnet books can be empty)",
            endpoint=BOOK_TICKER,
        )
    try:
        return Ticker(symbol=symbol, bid=bid, ask=ask, last=last, time=now)
    except ValueError as exc:
        raise protocol_error(BOOK_TICKER, f"inconsistent ticker: {exc}", entry) from None


def last_price(price: object) -> Decimal:
    """ticker/price answer -> the last trade price."""
    return dec(as_dict(price, PRICE, "answer").get("price"), PRICE, "price")


@attrs.frozen
class AssetBalance:
    """Free and locked (held by open orders) amounts of one asset."""

    free: Decimal
    locked: Decimal

    @property
    def total(self) -> Decimal:
        return self.free + self.locked


def parse_account(result: object) -> dict[str, AssetBalance]:
    """account answer -> asset -> free/locked (Binance's asset codes, used as they are)."""
    balances: dict[str, AssetBalance] = {}
    for raw in as_list(as_dict(result, ACCOUNT, "answer").get("balances"), ACCOUNT, "balances"):
        entry = as_dict(raw, ACCOUNT, "balance")
        asset = text(entry.get("asset"), ACCOUNT, "asset")
        balances[asset] = AssetBalance(
            free=dec(entry.get("free"), ACCOUNT, f"{asset}.free"),
            locked=dec(entry.get("locked"), ACCOUNT, f"{asset}.locked"),
        )
    return balances
