"""ma_crossover: SMA(fast) vs SMA(slow), warmup, long-only default, parameter validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def reference_targets(fast: int, slow: int, closes: list[Decimal]) -> list[Decimal | None]:
    """Two rolling means of their own (each its own window and sum), compared as quotients."""
    out: list[Decimal | None] = []
    target: Decimal | None = None
    windows: tuple[list[Decimal], list[Decimal]] = ([], [])
    sums = [Decimal(0), Decimal(0)]
    for close in closes:
        means: list[Decimal | None] = []
        for i, size in enumerate((fast, slow)):
            windows[i].append(close)
            sums[i] += close
            if len(windows[i]) > size:
                sums[i] -= windows[i].pop(0)
            means.append(sums[i] / size if len(windows[i]) == size else None)
        fast_mean, slow_mean = means
        if fast_mean is None or slow_mean is None:
            out.append(None)
            continue
        if fast_mean > slow_mean:
            target = Decimal(1)
        elif fast_mean < slow_mean or target is None:
            target = Decimal(0)
        out.append(target)
    return out


@settings(deadline=None)
@given(
    st.integers(min_value=1, max_value=7),
    st.integers(min_value=1, max_value=9),
    st.lists(
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3), max_size=80
    ),
)
def test_targets_equal_two_independent_rolling_means(
    fast: int, extra: int, closes: list[Decimal]
) -> None:
    slow = fast + extra
    strategy = MovingAverageCrossover(fast_window=fast, slow_window=slow)
    got = [strategy.on_candle(c) for c in candles(*map(str, closes))]
    assert got == reference_targets(fast, slow, closes)
