"""Deterministic market for the loopback Kraken server: seeded prices on a market clock.

Prices are a pure function of (seed, pair, minute), so every run with the same seed and start
shows the same candles. The market clock runs at `speed` x real time (speed=60 closes a 1m
candle every real second; speed=0 freezes it) and can be advanced by hand in tests.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal

BASE_PRICES = {
    "XXBTZEUR": 60000.0,
    "XXBTZUSD": 65000.0,
    "XBTUSDT": 65000.0,
    "XETHZEUR": 3000.0,
    "XETHZUSD": 3200.0,
    "ETHUSDT": 3200.0,
    "XETHXXBT": 0.05,
    "XDGUSD": 0.15,
    "XDGEUR": 0.14,
    "USDTZUSD": 1.0,
    "SOLEUR": 150.0,
    "SOLUSD": 160.0,
    "XREPZEUR": 1.2,
}
MAX_ROWS = 720


def _quantize(value: float, tick: Decimal, rounding: str = ROUND_DOWN) -> Decimal:
    quantized = (Decimal(repr(value)) / tick).to_integral_value(rounding=rounding) * tick
    return max(quantized, tick)


class LoopbackMarket:
    """Seeded price paths per pair and a market clock with configurable speed."""

    def __init__(
        self,
        *,
        seed: int = 7,
        speed: float = 1.0,
        start: datetime | None = None,
        real_time: Callable[[], float] = time.monotonic,
        base_prices: Mapping[str, float] | None = None,
    ) -> None:
        self.seed = seed
        self.base_prices = BASE_PRICES if base_prices is None else base_prices
        self.speed = speed
        begin = start if start is not None else datetime.now(UTC).replace(second=0, microsecond=0)
        self._start = begin.timestamp()
        self._real_time = real_time
        self._real_origin = real_time()
        self._offset = 0.0
        self._lock = threading.Lock()
        self._prices: dict[tuple[str, int], float] = {}

    def now(self) -> float:
        """Market time in unix seconds."""
        with self._lock:
            elapsed = (self._real_time() - self._real_origin) * self.speed
            return self._start + elapsed + self._offset

    def advance(self, seconds: float) -> None:
        """Move the market clock forward by hand (tests with speed=0)."""
        with self._lock:
            self._offset += seconds

    def price(self, pair_id: str, minute: int) -> float:
        """Price at the start of unix minute `minute` (pure function of seed, pair, minute)."""
        cached = self._prices.get((pair_id, minute))
        if cached is not None:
            return cached
        base = self.base_prices.get(pair_id, 100.0)
        rng = random.Random(f"{self.seed}:{pair_id}:{minute}")
        drift = 0.03 * math.sin(minute / 180.0) + 0.01 * math.sin(minute / 23.0 + self.seed)
        price = base * math.exp(drift + rng.uniform(-0.002, 0.002))
        self._prices[(pair_id, minute)] = price
        return price

    def candle(
        self, pair_id: str, open_minute: int, interval: int, tick: Decimal, now_minute: int
    ) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        """(open, high, low, close, volume) of the candle starting at `open_minute`."""
        end = min(open_minute + interval, now_minute)
        step = max(1, interval // 8)
        minutes = [*list(range(open_minute, end + 1, step)), end]
        samples = [self.price(pair_id, m) for m in minutes]
        open_ = _quantize(samples[0], tick)
        close = _quantize(samples[-1], tick)
        high = max(_quantize(max(samples), tick, ROUND_UP), open_, close)
        low = min(_quantize(min(samples), tick), open_, close)
        rng = random.Random(f"{self.seed}:{pair_id}:vol:{open_minute}:{interval}")
        volume = Decimal(f"{rng.uniform(0.1, 5.0) * max(1, interval):.8f}")
        return open_, high, low, close, volume

    def ohlc(
        self, pair_id: str, interval: int, since: int | None, tick: Decimal
    ) -> tuple[list[list[object]], int]:
        """Kraken-shaped rows (up to 720, the last one forming) and `last`."""
        now_minute = int(self.now() // 60)
        forming = now_minute - now_minute % interval
        first = forming - (MAX_ROWS - 1) * interval
        if since is not None:
            after = since // 60 + 1  # rows strictly after `since`
            first = max(first, after + (-after) % interval)
        rows: list[list[object]] = []
        for open_minute in range(min(first, forming), forming + 1, interval):
            o, h, low, c, v = self.candle(pair_id, open_minute, interval, tick, now_minute)
            vwap = (h + low + c) / 3
            rows.append(
                [open_minute * 60, str(o), str(h), str(low), str(c), f"{vwap:.{_places(tick)}f}",
                 str(v), 10]
            )  # fmt: skip
        return rows, (forming - interval) * 60

    def ticker(self, pair_id: str, tick: Decimal) -> tuple[Decimal, Decimal, Decimal]:
        """(bid, ask, last): last is the current price, bid/ask one tick around it."""
        last = _quantize(self.price(pair_id, int(self.now() // 60)), tick)
        bid = max(last - tick, tick)
        return bid, last + tick, last


def _places(tick: Decimal) -> int:
    return max(0, -int(tick.normalize().as_tuple().exponent))
