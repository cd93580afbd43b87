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
        # One window of closes serves both averages: the slow one holds the last `slow_window`
        # closes, the fast sum drops the close `fast_window` back. Each sum sees the same
        # additions and subtractions in the same order as a rolling mean of its own would.
        self._fast_window = fast_window
        self._slow_window = slow_window
        self._fast_size, self._slow_size = Decimal(fast_window), Decimal(slow_window)  # exact
        self._closes: deque[Decimal] = deque()
        self._fast_sum = ZERO
        self._slow_sum = ZERO
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
        close = candle.close
        closes = self._closes
        closes.append(close)
        held = len(closes)
        fast_sum = self._fast_sum + close
        if held > self._fast_window:
            fast_sum -= closes[-self._fast_window - 1]
        self._fast_sum = fast_sum
        slow_sum = self._slow_sum + close
        if held > self._slow_window:
            slow_sum -= closes.popleft()
            held -= 1
        self._slow_sum = slow_sum
        if held < self._slow_window:
            return None  # slow > fast: the fast average is ready first
        fast = fast_sum / self._fast_size
        slow = slow_sum / self._slow_size
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
