"""The Strategy protocol: closed candles in, target position out."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol, runtime_checkable

from peak_trade.domain.market import Candle

LONG = Decimal(1)
FLAT = Decimal(0)
SHORT = Decimal(-1)


@runtime_checkable
class Strategy(Protocol):
    """Consumes closed candles one at a time (O(1) each) and emits a target position.

    `on_candle` returns the target position as a fraction of the allotted capital: 1 (long),
    0 (flat) or -1 (short, only when the strategy was created with allow_short), or None while
    it is still warming up. It is only ever given closed candles, oldest first.
    """

    @property
    def name(self) -> str: ...

    @property
    def params(self) -> Mapping[str, object]: ...

    def on_candle(self, candle: Candle) -> Decimal | None: ...
