"""rsi_strategy: Wilder RSI against hand-computed values, entries and exits."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from tests.unit.strategies.test_ma_crossover import candles

from peak_trade.domain.strategies import StrategyParamError, builtin_strategies
from peak_trade.domain.strategies.rsi_strategy import RsiStrategy, WilderRsi


def close_to(value: Decimal | None, expected: Fraction) -> bool:
    assert value is not None
    return abs(Fraction(value) - expected) < Fraction(1, 10**20)


def test_wilder_rsi_matches_hand_computed_values() -> None:
    # period 3; closes 10 11 12 11 13 12 -> changes +1 +1 -1 +2 -1
    # seed: avg gain 2/3, avg loss 1/3 -> RS 2 -> RSI 200/3
    # +2: gain (2/3*2 + 2)/3 = 10/9, loss (1/3*2)/3 = 2/9 -> RS 5 -> RSI 250/3
    # -1: gain (10/9*2)/3 = 20/27, loss (2/9*2 + 1)/3 = 13/27 -> RS 20/13 -> RSI 2000/33
    rsi = WilderRsi(3)
    values = [rsi.push(Decimal(c)) for c in ("10", "11", "12", "11", "13", "12")]
    assert values[:3] == [None, None, None]
    assert close_to(values[3], Fraction(200, 3))
    assert close_to(values[4], Fraction(250, 3))
    assert close_to(values[5], Fraction(2000, 33))


def test_rsi_is_100_without_losses_and_50_without_any_move() -> None:
    rising = WilderRsi(2)
    assert [rising.push(Decimal(c)) for c in ("1", "2", "3")][-1] == 100
    flat = WilderRsi(2)
    assert [flat.push(Decimal(c)) for c in ("5", "5", "5")][-1] == 50


def test_goes_long_when_rsi_crosses_up_through_oversold_and_flat_at_the_exit_level() -> None:
    strategy = RsiStrategy(
        period=2,
        oversold=Decimal(30),
        overbought=Decimal(70),
        exit_level=Decimal(50),
    )
    closes = ("100", "90", "80", "70", "72", "80", "95")
    out = [strategy.on_candle(c) for c in candles(*closes)]
    rsis: list[Decimal | None] = []
    check = WilderRsi(2)
    for c in closes:
        rsis.append(check.push(Decimal(c)))
    # RSI: -, -, 0, 0, 12.5 (still below 30), ~62 (crossed 30 and past 50 in one bar)...
    assert out[:2] == [None, None]
    assert out[2:5] == [Decimal(0)] * 3
    first_long = next(i for i, t in enumerate(out) if t == 1)
    assert rsis[first_long - 1] is not None
    assert rsis[first_long - 1] < 30 <= rsis[first_long]


def test_long_position_is_closed_once_rsi_reaches_the_exit_level() -> None:
    strategy = RsiStrategy(
        period=2, oversold=Decimal(30), overbought=Decimal(70), exit_level=Decimal(40)
    )
    closes = ("100", "90", "80", "70", "70.5", "71", "72", "80")
    out = [strategy.on_candle(c) for c in candles(*closes)]
    assert Decimal(1) in out
    last_long = max(i for i, t in enumerate(out) if t == 1)
    assert out[-1] == Decimal(0)
    assert strategy.last_rsi is not None
    assert strategy.last_rsi >= 40
    assert last_long < len(out) - 1


def test_never_short_unless_allowed() -> None:
    closes = ("10", "20", "30", "40", "35", "30", "20")
    long_only = builtin_strategies().create("rsi_strategy", {"period": 2})
    shorting = builtin_strategies().create("rsi_strategy", {"period": 2}, allow_short=True)
    assert Decimal(-1) not in [long_only.on_candle(c) for c in candles(*closes)]
    assert Decimal(-1) in [shorting.on_candle(c) for c in candles(*closes)]


def test_refuses_exit_level_outside_the_band_naming_the_key() -> None:
    with pytest.raises(StrategyParamError, match=r"\[strategy.rsi_strategy\] exit_level"):
        builtin_strategies().create(
            "rsi_strategy", {"oversold": 30, "overbought": 70, "exit_level": 80}
        )


def test_decimal_params_from_toml_are_accepted() -> None:
    strategy = builtin_strategies().create("rsi_strategy", {"oversold": Decimal("25.5")})
    assert strategy.params["oversold"] == Decimal("25.5")
