"""Trading strategies: a Strategy protocol, registries by name, and the built-in strategies."""

from __future__ import annotations

from peak_trade.domain.strategies.base import Strategy
from peak_trade.domain.strategies.registry import (
    ParamSpec,
    StrategyParamError,
    StrategyRegistry,
    UnknownStrategyError,
    builtin_strategies,
)

__all__ = [
    "ParamSpec",
    "Strategy",
    "StrategyParamError",
    "StrategyRegistry",
    "UnknownStrategyError",
    "builtin_strategies",
]
