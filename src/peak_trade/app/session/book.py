"""SymbolBook: what the session keeps per symbol (its strategy, target, prices and counts)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any

import attrs

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle
from peak_trade.domain.strategies import Strategy
from peak_trade.domain.symbols import Symbol, Timeframe

FOLD_EVERY = 256  # candles a bar holds before it folds them into its figures (bounded memory)
_HIGH, _LOW, _VOLUME = attrgetter("high"), attrgetter("low"), attrgetter("volume")


@attrs.define
class PriceBar:
    """The price range of one symbol since the last heartbeat (heartbeat `bars`).

    A replay writes no event per candle; these bars are its price record (docs/run-log.md).
    Candles are collected as they come (one list append each) and folded into the figures in
    C-level passes at most `FOLD_EVERY` at a time; the figures equal a candle-by-candle fold
    (the first highest high and lowest low, volumes added in order).
    """

    span: timedelta = timedelta(0)  # the candles' length: a bar closes at its last one's end
    open_time: datetime | None = None
    close_time: datetime | None = None
    open: Decimal = ZERO
    high: Decimal = ZERO
    low: Decimal = ZERO
    close: Decimal = ZERO
    volume: Decimal = ZERO
    candles: int = 0
    pending: list[Candle] = attrs.field(factory=list)

    def add(self, candle: Candle) -> None:
        """Take one closed candle (`pending.append` is the same, for a hot loop that calls
        `fold` at least every `FOLD_EVERY` candles)."""
        self.pending.append(candle)
        if len(self.pending) >= FOLD_EVERY:
            self.fold()

    def fold(self) -> None:
        """Fold the collected candles into the bar's figures."""
        pending = self.pending
        if not pending:
            return
        first, last = pending[0], pending[-1]
        high = max(map(_HIGH, pending))
        low = min(map(_LOW, pending))
        volumes = map(_VOLUME, pending)
        if self.candles == 0:
            self.open_time, self.open = first.open_time, first.open
            self.high, self.low = high, low
            self.volume = sum(volumes, next(volumes))
        else:
            if high > self.high:
                self.high = high
            if low < self.low:
                self.low = low
            self.volume = sum(volumes, self.volume)
        self.close = last.close
        self.close_time = last.open_time + self.span
        self.candles += len(pending)
        pending.clear()

    def take(self) -> dict[str, Any] | None:
        """The bar as a heartbeat payload, and start a new one; None when no candle came."""
        self.fold()
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
    data_ended: bool = False  # a replay's file for it has no more candles (never stale then)
    bar: PriceBar = attrs.field(factory=PriceBar)
    span: timedelta = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.span = timedelta(seconds=self.timeframe.seconds)
        self.bar.span = self.span

    @property
    def last_candle_time(self) -> datetime | None:
        return self.last_candle.open_time if self.last_candle is not None else None
