"""ma_crossover: long while the fast simple moving average is above the slow one."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from decimal import Decimal

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.market import Candle
from peak_trade.domain.strategies.base import FLAT, LONG, SHORT
from peak_trade.domain.strategies.registry import (
    ParamSpec,
    StrategyParamError,
    StrategyRegistry,
)

NAME = "ma_crossover"
SCHEMA: Mapping[str, ParamSpec] = {
    "fast_window": ParamSpec(kind=int, default=10, description="candles in the fast SMA"),
    "slow_window": ParamSpec(kind=int, default=30, description="candles in the slow SMA"),
}


class _RollingMean:
    """Simple moving average over the last `window` values, O(1) per update."""

    def __init__(self, window: int) -> None:
        self._window = window
        self._values: deque[Decimal] = deque()
        self._sum = ZERO

    def push(self, value: Decimal) -> Decimal | None:
        self._values.append(value)
        self._sum += value
        if len(self._values) > self._window:
            self._sum -= self._values.popleft()
        if len(self._values) < self._window:
            return None
        return self._sum / self._window


class MovingAverageCrossover:
    """Target 1 while SMA(fast) > SMA(slow); 0 (or -1 with allow_short) while below."""

    def __init__(self, *, fast_window: int, slow_window: int, allow_short: bool = False) -> None:
        if fast_window < 1:
            raise StrategyParamError(NAME, "fast_window", f"must be >= 1, got {fast_window}")
        if slow_window <= fast_window:
            raise StrategyParamError(
                NAME,
                "slow_window",
                f"must be greater than fast_window ({fast_window}), got {slow_window}",
            )
        self._fast = _RollingMean(fast_window)
        self._slow = _RollingMean(slow_window)
        self._params = {"fast_window": fast_window, "slow_window": slow_window}
        self._allow_short = allow_short
        self._target: Decimal | None = None

    @property
    def name(self) -> str:
        return NAME

    @property
    def params(self) -> Mapping[str, object]:
        return dict(self._params)

    def on_candle(self, candle: Candle) -> Decimal | None:
        fast = self._fast.push(candle.close)
        slow = self._slow.push(candle.close)
        if fast is None or slow is None:
            return None
        if fast > slow:
            self._target = LONG
        elif fast < slow:
            self._target = SHORT if self._allow_short else FLAT
        elif self._target is None:
            self._target = FLAT  # equal averages on the first decision: stay out
        return self._target


def _factory(params: Mapping[str, object], allow_short: bool) -> MovingAverageCrossover:
    fast = params["fast_window"]
    slow = params["slow_window"]
    assert isinstance(fast, int)
    assert isinstance(slow, int)
    return MovingAverageCrossover(fast_window=fast, slow_window=slow, allow_short=allow_short)


def register(registry: StrategyRegistry) -> None:
    """Add ma_crossover to `registry`."""
    registry.register(NAME, _factory, SCHEMA)
