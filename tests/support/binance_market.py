"""Markets of the loopback Binance server: exchangeInfo entries, prices and klines.

Prices come from the Kraken loopback's seeded LoopbackMarket (a pure function of seed, symbol
and minute, on a market clock that runs at `speed` or follows an injected time source),
interpolated between minutes so 1s klines move too. Symbols include the names that break
string splitting (BTCTUSD, BETHETH, 1000SATSUSDT) and the testnet's Unicode `这是测试币456`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

from tests.support.kraken_market import LoopbackMarket

BASE_PRICES = {
    "BTCUSDT": 65000.0,
    "ETHUSDT": 3200.0,
    "BNBUSDT": 600.0,
    "ETHBTC": 0.05,
    "BNBBTC": 0.0092,
    "BTCEUR": 60000.0,
    "BTCTUSD": 65000.0,
    "BETHETH": 0.99,
    "1000SATSUSDT": 0.00031,
    "这是测试币456": 1.5,
    "HALTUSDT": 2.0,
    "LIMITUSDT": 5.0,
    "CANCELUSDT": 3.0,
}
INTERVAL_SECONDS = {
    "1s": 1, "1m": 60, "3m": 180, "5m": 300, "15m": 900, "30m": 1800, "1h": 3600,
    "2h": 7200, "4h": 14400, "6h": 21600, "8h": 28800, "12h": 43200, "1d": 86400,
    "3d": 259200, "1w": 604800,
}  # fmt: skip
MONDAY_OFFSET = 4 * 86400  # 1970-01-01 was a Thursday; weekly klines open on Mondays
MAX_KLINES = 1000


def _filters(
    tick: str, step: str, min_qty: str, max_qty: str, min_notional: str, market_max: str
) -> list[dict[str, Any]]:
    pad = lambda v: f"{Decimal(v):.8f}"  # noqa: E731 - Binance pads to 8 decimals
    return [
        {"filterType": "PRICE_FILTER", "minPrice": pad(tick), "maxPrice": "1000000.00000000",
         "tickSize": pad(tick)},
        {"filterType": "LOT_SIZE", "minQty": pad(min_qty), "maxQty": pad(max_qty),
         "stepSize": pad(step)},
        {"filterType": "ICEBERG_PARTS", "limit": 10},
        {"filterType": "MARKET_LOT_SIZE", "minQty": "0.00000000", "maxQty": pad(market_max),
         "stepSize": "0.00000000"},
        {"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": 10,
         "maxTrailingAboveDelta": 2000, "minTrailingBelowDelta": 10,
         "maxTrailingBelowDelta": 2000},
        {"filterType": "PERCENT_PRICE_BY_SIDE", "bidMultiplierUp": "5", "bidMultiplierDown": "0.2",
         "askMultiplierUp": "5", "askMultiplierDown": "0.2", "avgPriceMins": 5},
        {"filterType": "NOTIONAL", "minNotional": pad(min_notional), "applyMinToMarket": True,
         "maxNotional": "9000000.00000000", "applyMaxToMarket": False, "avgPriceMins": 5},
        {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200},
        {"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5},
    ]  # fmt: skip


def symbol_entry(
    name: str,
    base: str,
    quote: str,
    *,
    tick: str,
    step: str,
    min_qty: str,
    max_qty: str = "9000",
    min_notional: str = "5",
    market_max: str = "100",
    status: str = "TRADING",
    order_types: tuple[str, ...] = ("LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT",
                                    "TAKE_PROFIT_LIMIT"),
) -> dict[str, Any]:  # fmt: skip
    """One exchangeInfo `symbols[]` entry in Binance's shape."""
    return {
        "symbol": name,
        "status": status,
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "baseCommissionPrecision": 8,
        "quoteCommissionPrecision": 8,
        "orderTypes": list(order_types),
        "icebergAllowed": True,
        "ocoAllowed": True,
        "quoteOrderQtyMarketAllowed": True,
        "allowTrailingStop": True,
        "cancelReplaceAllowed": True,
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "filters": _filters(tick, step, min_qty, max_qty, min_notional, market_max),
        "permissions": [],
        "permissionSets": [["SPOT"]],
        "defaultSelfTradePreventionMode": "EXPIRE_MAKER",
        "allowedSelfTradePreventionModes": ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
    }


def default_symbols() -> dict[str, dict[str, Any]]:
    """The loopback listing, keyed by Binance symbol name."""
    entries = [
        symbol_entry("BTCUSDT", "BTC", "USDT", tick="0.01", step="0.00001", min_qty="0.0001"),
        symbol_entry("ETHUSDT", "ETH", "USDT", tick="0.01", step="0.0001", min_qty="0.0001"),
        symbol_entry("BNBUSDT", "BNB", "USDT", tick="0.01", step="0.001", min_qty="0.001"),
        symbol_entry("ETHBTC", "ETH", "BTC", tick="0.00001", step="0.0001", min_qty="0.0001",
                     min_notional="0.0001"),
        symbol_entry("BNBBTC", "BNB", "BTC", tick="0.000001", step="0.001", min_qty="0.001",
                     min_notional="0.0001"),
        symbol_entry("BTCEUR", "BTC", "EUR", tick="0.01", step="0.00001", min_qty="0.00001"),
        symbol_entry("BTCTUSD", "BTC", "TUSD", tick="0.01", step="0.00001", min_qty="0.00001"),
        symbol_entry("BETHETH", "BETH", "ETH", tick="0.00001", step="0.0001", min_qty="0.0001",
                     min_notional="0.001"),
        symbol_entry("1000SATSUSDT", "1000SATS", "USDT", tick="0.0000001", step="1",
                     min_qty="1", max_qty="90000000000", market_max="10000000000"),
        symbol_entry("这是测试币456", "这是测试币", "456", tick="0.0001", step="0.01",
                     min_qty="0.01"),
        symbol_entry("HALTUSDT", "HALT", "USDT", tick="0.001", step="0.1", min_qty="0.1",
                     status="HALT"),
        symbol_entry("LIMITUSDT", "LIMIT", "USDT", tick="0.001", step="0.1", min_qty="0.1",
                     order_types=("LIMIT", "LIMIT_MAKER")),
        symbol_entry("CANCELUSDT", "CANCEL", "USDT", tick="0.001", step="0.1", min_qty="0.1",
                     status="CANCEL_ONLY"),
    ]  # fmt: skip
    return {entry["symbol"]: entry for entry in entries}


def filter_of(entry: dict[str, Any], kind: str) -> dict[str, Any]:
    for item in entry["filters"]:
        if item["filterType"] == kind:
            return dict(item)
    return {}


class BinanceLoopbackMarket:
    """Seeded prices per Binance symbol on the market clock, and klines in Binance's shape."""

    def __init__(
        self,
        *,
        seed: int = 7,
        speed: float = 1.0,
        start: datetime | None = None,
        time_source: Callable[[], float] | None = None,
    ) -> None:
        if time_source is not None:  # the market clock follows e.g. a test's SimulatedClock
            self.clock = LoopbackMarket(
                seed=seed, speed=1.0, start=start, real_time=time_source, base_prices=BASE_PRICES
            )
        else:
            self.clock = LoopbackMarket(
                seed=seed, speed=speed, start=start, base_prices=BASE_PRICES
            )
        self.seed = seed

    def now(self) -> float:
        """Market time in unix seconds."""
        return self.clock.now()

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def price_at(self, name: str, seconds: float) -> float:
        """Price at a moment: the minute prices, linearly interpolated."""
        minute = int(seconds // 60)
        frac = (seconds - minute * 60) / 60
        low, high = self.clock.price(name, minute), self.clock.price(name, minute + 1)
        return low + (high - low) * frac

    def last(self, name: str, tick: Decimal) -> Decimal:
        return quantize(self.price_at(name, self.now()), tick)

    def book(self, name: str, tick: Decimal) -> tuple[Decimal, Decimal]:
        """(bid, ask): one tick around the last price."""
        last = self.last(name, tick)
        return max(last - tick, tick), last + tick

    def klines(
        self,
        name: str,
        interval: str,
        tick: Decimal,
        *,
        start_ms: int | None,
        end_ms: int | None,
        limit: int,
    ) -> list[list[Any]]:
        """Rows as Binance sends them; the newest possible row is the forming candle."""
        size = INTERVAL_SECONDS[interval]
        align = MONDAY_OFFSET if interval == "1w" else 0
        now = self.now()
        forming = int((now - align) // size) * size + align
        newest = forming if end_ms is None else min(forming, _floor(end_ms / 1000, size, align))
        if start_ms is not None:
            first = _ceil(start_ms / 1000, size, align)
            opens = list(range(first, newest + 1, size))[:limit]
        else:
            opens = list(range(newest - (limit - 1) * size, newest + 1, size))
        return [self._row(name, o, size, tick, now) for o in opens]

    def _row(self, name: str, open_s: int, size: int, tick: Decimal, now: float) -> list[Any]:
        end = min(open_s + size, now)
        step = max(1.0, size / 8)
        points = [open_s + i * step for i in range(int((end - open_s) // step) + 1)] + [end]
        samples = [self.price_at(name, t) for t in points]
        o, c = quantize(samples[0], tick), quantize(samples[-1], tick)
        h = max(quantize(max(samples), tick, ROUND_UP), o, c)
        low = min(quantize(min(samples), tick), o, c)
        rng = random.Random(f"{self.seed}:{name}:vol:{open_s}:{size}")
        volume = Decimal(f"{rng.uniform(0.1, 5.0) * max(1.0, size / 60):.8f}")
        quote_volume = (volume * c).quantize(Decimal("0.00000001"))
        return [
            open_s * 1000, f"{o:.8f}", f"{h:.8f}", f"{low:.8f}", f"{c:.8f}", f"{volume:.8f}",
            (open_s + size) * 1000 - 1, f"{quote_volume:.8f}", 10, f"{volume / 2:.8f}",
            f"{quote_volume / 2:.8f}", "0",
        ]  # fmt: skip


def quantize(value: float, tick: Decimal, rounding: str = ROUND_DOWN) -> Decimal:
    quantized = (Decimal(repr(value)) / tick).to_integral_value(rounding=rounding) * tick
    return max(quantized, tick)


def _floor(seconds: float, size: int, align: int) -> int:
    return int((seconds - align) // size) * size + align


def _ceil(seconds: float, size: int, align: int) -> int:
    floor = _floor(seconds, size, align)
    return floor if floor >= seconds else floor + size
