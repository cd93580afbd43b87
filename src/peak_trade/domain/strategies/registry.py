"""Strategy registry: strategies are created by name from the raw [strategy.<name>] params."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import to_decimal
from peak_trade.domain.strategies.base import Strategy

StrategyFactory = Callable[[Mapping[str, object], bool], Strategy]


class UnknownStrategyError(ValueError):
    """No strategy is registered under the requested name; the message lists known names."""


class StrategyParamError(ValueError):
    """A strategy parameter is unknown, of the wrong type or out of range; names its key."""

    def __init__(self, strategy: str, key: str, reason: str) -> None:
        super().__init__(f"[strategy.{strategy}] {key}: {reason}")
        self.strategy = strategy
        self.key = key


@attrs.frozen(kw_only=True)
class ParamSpec:
    """One parameter: its kind (int, Decimal or bool), default and a short description."""

    kind: type
    default: object
    description: str = ""

    def coerce(self, strategy: str, key: str, value: object) -> object:
        """The value as `kind`, or StrategyParamError naming [strategy.<name>] key."""
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise StrategyParamError(strategy, key, f"expected true or false, got {value!r}")
        if isinstance(value, bool):
            raise StrategyParamError(strategy, key, f"expected a number, got {value!r}")
        if self.kind is int:
            if isinstance(value, int) or (isinstance(value, Decimal) and value == int(value)):
                return int(value)
            raise StrategyParamError(strategy, key, f"expected an integer, got {value!r}")
        try:
            return to_decimal(value, key)
        except (TypeError, ValueError) as exc:
            raise StrategyParamError(strategy, key, str(exc)) from None


@attrs.frozen
class _Entry:
    factory: StrategyFactory
    schema: Mapping[str, ParamSpec]


_REGISTRY: dict[str, _Entry] = {}
_BUILTINS_LOADED: list[bool] = []


def register_strategy(
    name: str, factory: StrategyFactory, param_schema: Mapping[str, ParamSpec]
) -> None:
    """Make a strategy available by name; factory(params, allow_short) builds one instance."""
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"strategy name must be letters, digits and '_', got {name!r}")
    if name in _REGISTRY:
        raise ValueError(f"a strategy named {name!r} is registered already")
    _REGISTRY[name] = _Entry(factory=factory, schema=dict(param_schema))


def known_strategies() -> tuple[str, ...]:
    """Registered strategy names, sorted."""
    _ensure_builtins()
    return tuple(sorted(_REGISTRY))


def param_schema(name: str) -> Mapping[str, ParamSpec]:
    """The parameter schema of a registered strategy."""
    return _lookup(name).schema


def resolve_params(name: str, params: Mapping[str, object]) -> dict[str, object]:
    """Defaults overlaid with `params`, each coerced; unknown keys are errors."""
    schema = _lookup(name).schema
    unknown = sorted(set(params) - set(schema))
    if unknown:
        known = ", ".join(sorted(schema)) or "none"
        raise StrategyParamError(name, unknown[0], f"unknown parameter (known: {known})")
    resolved = {key: spec.default for key, spec in schema.items()}
    for key, value in params.items():
        resolved[key] = schema[key].coerce(name, key, value)
    return resolved


def create_strategy(
    name: str, params: Mapping[str, object], *, allow_short: bool = False
) -> Strategy:
    """Build the strategy registered as `name` from raw params (validated against its schema)."""
    entry = _lookup(name)
    return entry.factory(resolve_params(name, params), allow_short)


def _lookup(name: str) -> _Entry:
    _ensure_builtins()
    entry = _REGISTRY.get(name)
    if entry is None:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownStrategyError(f"unknown strategy {name!r}; known strategies: {known}")
    return entry


def _ensure_builtins() -> None:
    """Register the built-in strategies on first use (nothing is built at import time)."""
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED.append(True)
    from peak_trade.domain.strategies import ma_crossover, rsi_strategy

    ma_crossover.register()
    rsi_strategy.register()
