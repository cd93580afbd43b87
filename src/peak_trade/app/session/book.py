"""SymbolBook: what the session keeps per symbol (its strategy, target, prices and counts)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol, Timeframe


@attrs.define
class PriceBar:
    """The price range of one symbol since the last heartbeat (heartbeat `bars`).

    A replay writes no event per candle; these bars are its price record (docs/run-log.md).
    """

    open_time: datetime | None = None
    close_time: datetime | None = None
    open: Decimal = ZERO
    high: Decimal = ZERO
    low: Decimal = ZERO
    close: Decimal = ZERO
    volume: Decimal = ZERO
    candles: int = 0

    def add(self, candle: Candle, close_time: datetime) -> None:
        if self.candles == 0:
            self.open_time, self.open = candle.open_time, candle.open
            self.high, self.low, self.volume = candle.high, candle.low, candle.volume
        else:
            if candle.high > self.high:
                self.high = candle.high
            if candle.low < self.low:
                self.low = candle.low
            self.volume += candle.volume
        self.close = candle.close
        self.close_time = close_time
        self.candles += 1

    def take(self) -> dict[str, Any] | None:
        """The bar as a heartbeat payload, and start a new one; None when no candle came."""
        if self.candles == 0:
            return None
        payload = {
            "open_time": self.open_time,
            "close_time": self.close_time,
            "open": self.open,
            "high": self.high,
            "low": self.low,
            "close": self.close,
            "volume": self.volume,
            "candles": self.candles,
        }
        self.candles = 0
        return payload


@attrs.define
class SymbolBook:
    """One symbol of a session: its own strategy instance, target, rules and counters."""

    symbol: Symbol
    strategy: Strategy
    timeframe: Timeframe
    rules: InstrumentRules | None = None
    target: Decimal | None = None
    # a target whose orders were refused (risk, sizing, venue): not sent again until it changes
    blocked_target: Decimal | None = None
    last_candle: Candle | None = None
    candles: int = 0
    signals: int = 0
    bar: PriceBar = attrs.field(factory=PriceBar)
    span: timedelta = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.span = timedelta(seconds=self.timeframe.seconds)

    @property
    def last_candle_time(self) -> datetime | None:
        return self.last_candle.open_time if self.last_candle is not None else None
