"""Trading strategies: a Strategy protocol, a registry by name, and the built-in strategies."""

from __future__ import annotations

from peak_trade.domain.strategies.base import Strategy
from peak_trade.domain.strategies.registry import (
    ParamSpec,
    StrategyParamError,
    UnknownStrategyError,
    create_strategy,
    known_strategies,
    register_strategy,
)

__all__ = [
    "ParamSpec",
    "Strategy",
    "StrategyParamError",
    "UnknownStrategyError",
    "create_strategy",
    "known_strategies",
    "register_strategy",
]
