"""SymbolTrack: one symbol's prices (candle events or heartbeat bars), position and mark."""

from __future__ import annotations

import attrs

from peak_trade.app.monitoring.numbers import as_float, from_epoch
from peak_trade.app.monitoring.price_bars import PriceBars
from peak_trade.app.monitoring.samples import Samples


@attrs.define
class SymbolTrack:
    """One symbol's prices, position and mark."""

    symbol: str
    candles: PriceBars = attrs.field(factory=PriceBars)  # from `candle` events (live runs)
    heartbeat_bars: PriceBars = attrs.field(factory=PriceBars)  # from heartbeat `bars`
    position: Samples = attrs.field(factory=Samples)
    position_text: str | None = None  # the latest position, exact
    mark_text: str | None = None  # the latest mark (heartbeat marks, else the last close)
    candle_time: str | None = None  # open time of the last candle (candle events)
    bar_candle_epoch: int | None = None  # ... from heartbeat bars (formatted when asked)
    signals: int = 0

    @property
    def last_candle_time(self) -> str | None:
        if self.candle_time is not None or self.bar_candle_epoch is None:
            return self.candle_time
        return _iso(self.bar_candle_epoch)

    @property
    def bars(self) -> PriceBars:
        """Candle events when the run wrote them, else the heartbeats' bars (replays)."""
        return self.candles if len(self.candles) else self.heartbeat_bars

    def set_position(self, time: int | None, text: object) -> None:
        value = as_float(text)
        if value is None:
            return
        self.position_text = str(text)
        if time is not None:
            self.position.add(time, value)


def _iso(seconds: int) -> str:
    return from_epoch(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")
