"""The strategy registry: lookup by name, parameter validation, third-party registration."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest

from peak_trade.domain.market import Candle
from peak_trade.domain.strategies import (
    ParamSpec,
    StrategyParamError,
    StrategyRegistry,
    UnknownStrategyError,
    builtin_strategies,
)

create_strategy = builtin_strategies().create


def test_builtin_strategies_are_registered() -> None:
    assert builtin_strategies().names() == ("ma_crossover", "rsi_strategy")


def test_unknown_strategy_error_lists_the_known_names() -> None:
    with pytest.raises(UnknownStrategyError, match=r"ma_crossover, .*rsi_strategy"):
        create_strategy("momentum_tick", {})


def test_unknown_parameter_names_the_key_and_the_known_ones() -> None:
    with pytest.raises(StrategyParamError, match=r"\[strategy.ma_crossover\] fast: unknown"):
        create_strategy("ma_crossover", {"fast": 3})


def test_wrong_parameter_type_names_the_key() -> None:
    with pytest.raises(StrategyParamError, match="fast_window: expected an integer"):
        create_strategy("ma_crossover", {"fast_window": Decimal("2.5")})


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(StrategyParamError, match="period"):
        create_strategy("rsi_strategy", {"period": True})


class _AlwaysLong:
    def __init__(self, params: Mapping[str, object]) -> None:
        self._params = dict(params)

    @property
    def name(self) -> str:
        return "always_long_test"

    @property
    def params(self) -> Mapping[str, object]:
        return self._params

    def on_candle(self, candle: Candle) -> Decimal | None:
        return Decimal(1)


def test_other_tools_can_register_their_own_strategy_by_name() -> None:
    registry = builtin_strategies()
    registry.register(
        "always_long_test",
        lambda params, allow_short: _AlwaysLong(params),
        {"size": ParamSpec(kind=Decimal, default=Decimal(1))},
    )
    strategy = registry.create("always_long_test", {"size": 2})
    assert "always_long_test" in registry.names()
    assert strategy.params == {"size": Decimal(2)}
    with pytest.raises(ValueError, match="registered already"):
        registry.register("always_long_test", lambda p, s: _AlwaysLong(p), {})


def test_two_embedding_tools_have_registries_that_never_collide() -> None:
    first, second = builtin_strategies(), StrategyRegistry()
    first.register("mine", lambda params, allow_short: _AlwaysLong(params), {})
    second.register("mine", lambda params, allow_short: _AlwaysLong(params), {})
    assert "mine" not in builtin_strategies()
    assert second.names() == ("mine",)
    with pytest.raises(UnknownStrategyError):
        second.create("ma_crossover", {})


def test_resolving_parameters_refuses_combinations_that_cannot_work() -> None:
    with pytest.raises(StrategyParamError, match="fast_window"):
        builtin_strategies().resolve_params("ma_crossover", {"fast_window": 50, "slow_window": 20})
