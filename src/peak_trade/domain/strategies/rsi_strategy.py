"""rsi_strategy: Wilder RSI; long when RSI crosses up through oversold, flat at the exit level."""

from __future__ import annotations

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

NAME = "rsi_strategy"
HUNDRED = Decimal(100)
SCHEMA: Mapping[str, ParamSpec] = {
    "period": ParamSpec(kind=int, default=14, description="RSI period (Wilder smoothing)"),
    "oversold": ParamSpec(kind=Decimal, default=Decimal(30), description="buy on a cross up"),
    "overbought": ParamSpec(kind=Decimal, default=Decimal(70), description="short on a cross down"),
    "exit_level": ParamSpec(kind=Decimal, default=Decimal(50), description="close at this RSI"),
}


class WilderRsi:
    """Relative Strength Index with Wilder's smoothing, O(1) per close.

    The first average gain/loss is the simple mean of the first `period` changes; after that
    avg = (avg x (period - 1) + change) / period. RSI = 100 - 100 / (1 + avg_gain / avg_loss),
    100 when there were no losses and 50 when the price did not move at all.
    """

    def __init__(self, period: int) -> None:
        self._period = period
        self._previous: Decimal | None = None
        self._count = 0
        self._gain = ZERO
        self._loss = ZERO

    def push(self, close: Decimal) -> Decimal | None:
        previous, self._previous = self._previous, close
        if previous is None:
            return None
        change = close - previous
        gain = change if change > 0 else ZERO
        loss = -change if change < 0 else ZERO
        self._count += 1
        n = self._period
        if self._count <= n:
            self._gain += gain
            self._loss += loss
            if self._count < n:
                return None
            self._gain /= n
            self._loss /= n
        else:
            self._gain = (self._gain * (n - 1) + gain) / n
            self._loss = (self._loss * (n - 1) + loss) / n
        if self._loss == 0:
            return HUNDRED if self._gain > 0 else Decimal(50)
        return HUNDRED - HUNDRED / (1 + self._gain / self._loss)


class RsiStrategy:
    """Long when RSI crosses up through `oversold`, flat once RSI reaches `exit_level`.

    With allow_short it also goes short when RSI crosses down through `overbought` and covers
    once RSI falls to `exit_level`.
    """

    def __init__(
        self,
        *,
        period: int,
        oversold: Decimal,
        overbought: Decimal,
        exit_level: Decimal,
        allow_short: bool = False,
    ) -> None:
        if period < 2:
            raise StrategyParamError(NAME, "period", f"must be >= 2, got {period}")
        if not ZERO < oversold < overbought < HUNDRED:
            raise StrategyParamError(NAME, "oversold", "need 0 < oversold < overbought < 100")
        if not oversold < exit_level < overbought:
            raise StrategyParamError(
                NAME, "exit_level", "must lie strictly between oversold and overbought"
            )
        self._rsi = WilderRsi(period)
        self._oversold = oversold
        self._overbought = overbought
        self._exit = exit_level
        self._allow_short = allow_short
        self._params = {
            "period": period,
            "oversold": oversold,
            "overbought": overbought,
            "exit_level": exit_level,
        }
        self._previous_rsi: Decimal | None = None
        self._target = FLAT
        self.last_rsi: Decimal | None = None

    @property
    def name(self) -> str:
        return NAME

    @property
    def params(self) -> Mapping[str, object]:
        return dict(self._params)

    def on_candle(self, candle: Candle) -> Decimal | None:
        rsi = self._rsi.push(candle.close)
        if rsi is None:
            return None
        previous, self._previous_rsi = self._previous_rsi, rsi
        self.last_rsi = rsi
        long_exit = self._target == LONG and rsi >= self._exit
        short_exit = self._target == SHORT and rsi <= self._exit
        if long_exit or short_exit:
            self._target = FLAT
        if self._target == FLAT and previous is not None:
            if previous < self._oversold <= rsi:
                self._target = LONG
            elif self._allow_short and previous > self._overbought >= rsi:
                self._target = SHORT
        return self._target


def _factory(params: Mapping[str, object], allow_short: bool) -> RsiStrategy:
    period = params["period"]
    oversold, overbought, exit_level = (
        params["oversold"],
        params["overbought"],
        params["exit_level"],
    )
    assert isinstance(period, int)
    assert isinstance(oversold, Decimal)
    assert isinstance(overbought, Decimal)
    assert isinstance(exit_level, Decimal)
    return RsiStrategy(
        period=period,
        oversold=oversold,
        overbought=overbought,
        exit_level=exit_level,
        allow_short=allow_short,
    )


def register(registry: StrategyRegistry) -> None:
    """Add rsi_strategy to `registry`."""
    registry.register(NAME, _factory, SCHEMA)
