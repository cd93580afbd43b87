"""ma_crossover: SMA(fast) vs SMA(slow), warmup, long-only default, parameter validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from peak_trade.domain.market import Candle
from peak_trade.domain.strategies import StrategyParamError, builtin_strategies
from peak_trade.domain.strategies.ma_crossover import MovingAverageCrossover
from peak_trade.domain.symbols import Symbol

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def candles(*closes: str) -> list[Candle]:
    return [
        Candle(
            symbol=Symbol.parse("BTC/EUR"),
            open_time=T0 + timedelta(minutes=i),
            open=Decimal(c),
            high=Decimal(c),
            low=Decimal(c),
            close=Decimal(c),
        )
        for i, c in enumerate(closes)
    ]


def targets(strategy: MovingAverageCrossover, *closes: str) -> list[Decimal | None]:
    return [strategy.on_candle(c) for c in candles(*closes)]


def test_returns_none_until_the_slow_window_is_full() -> None:
    strategy = MovingAverageCrossover(fast_window=2, slow_window=3)
    assert targets(strategy, "10", "11") == [None, None]


def test_long_while_fast_average_is_above_slow_and_flat_below() -> None:
    strategy = MovingAverageCrossover(fast_window=2, slow_window=3)
    # closes 10 11 12: fast (11+12)/2 = 11.5 > slow 11 -> long
    # then 9: fast (12+9)/2 = 10.5 < slow (11+12+9)/3 = 10.67 -> flat
    assert targets(strategy, "10", "11", "12", "9") == [None, None, Decimal(1), Decimal(0)]


def test_goes_short_below_only_when_shorting_is_allowed() -> None:
    strategy = MovingAverageCrossover(fast_window=2, slow_window=3, allow_short=True)
    assert targets(strategy, "12", "11", "10")[-1] == Decimal(-1)


def test_equal_averages_keep_the_previous_target() -> None:
    strategy = MovingAverageCrossover(fast_window=1, slow_window=2)
    assert targets(strategy, "10", "11", "11") == [None, Decimal(1), Decimal(1)]


def test_refuses_fast_window_not_below_slow_window_naming_the_key() -> None:
    with pytest.raises(StrategyParamError, match=r"\[strategy.ma_crossover\] slow_window"):
        builtin_strategies().create("ma_crossover", {"fast_window": 30, "slow_window": 30})


def test_created_by_name_with_config_params() -> None:
    strategy = builtin_strategies().create("ma_crossover", {"fast_window": 3, "slow_window": 7})
    assert strategy.name == "ma_crossover"
    assert strategy.params == {"fast_window": 3, "slow_window": 7}
