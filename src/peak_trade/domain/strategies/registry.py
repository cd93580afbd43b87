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
class StrategyEntry:
    """A registered strategy: how to build it and the parameters it takes."""

    factory: StrategyFactory
    schema: Mapping[str, ParamSpec]


class StrategyRegistry:
    """Strategies by name. Each embedding tool holds its own registry (`builtin_strategies()`
    gives one with ma_crossover and rsi_strategy), so two tools never collide in a global."""

    def __init__(self) -> None:
        self._entries: dict[str, StrategyEntry] = {}

    def register(
        self, name: str, factory: StrategyFactory, param_schema: Mapping[str, ParamSpec]
    ) -> None:
        """Make a strategy available by name; factory(params, allow_short) builds one instance.

        The factory raises StrategyParamError for parameter combinations that cannot work
        (e.g. fast_window >= slow_window); `resolve_params` calls it to check them.
        """
        if not name or not name.replace("_", "").isalnum():
            raise ValueError(f"strategy name must be letters, digits and '_', got {name!r}")
        if name in self._entries:
            raise ValueError(f"a strategy named {name!r} is registered already")
        self._entries[name] = StrategyEntry(factory=factory, schema=dict(param_schema))

    def names(self) -> tuple[str, ...]:
        """Registered strategy names, sorted."""
        return tuple(sorted(self._entries))

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def param_schema(self, name: str) -> Mapping[str, ParamSpec]:
        """The parameter schema of a registered strategy."""
        return self._lookup(name).schema

    def resolve_params(self, name: str, params: Mapping[str, object]) -> dict[str, object]:
        """Defaults overlaid with `params`, each coerced, the combination checked by building
        one instance; unknown keys and impossible combinations raise StrategyParamError."""
        entry = self._lookup(name)
        unknown = sorted(set(params) - set(entry.schema))
        if unknown:
            known = ", ".join(sorted(entry.schema)) or "none"
            raise StrategyParamError(name, unknown[0], f"unknown parameter (known: {known})")
        resolved = {key: spec.default for key, spec in entry.schema.items()}
        for key, value in params.items():
            resolved[key] = entry.schema[key].coerce(name, key, value)
        entry.factory(resolved, False)  # raises StrategyParamError for combinations that fail
        return resolved

    def create(
        self, name: str, params: Mapping[str, object], *, allow_short: bool = False
    ) -> Strategy:
        """Build the strategy registered as `name` from raw params (validated first)."""
        return self._lookup(name).factory(self.resolve_params(name, params), allow_short)

    def _lookup(self, name: str) -> StrategyEntry:
        entry = self._entries.get(name)
        if entry is None:
            known = ", ".join(self.names())
            raise UnknownStrategyError(f"unknown strategy {name!r}; known strategies: {known}")
        return entry


def builtin_strategies() -> StrategyRegistry:
    """A new registry holding the built-in strategies (ma_crossover, rsi_strategy)."""
    from peak_trade.domain.strategies import ma_crossover, rsi_strategy

    registry = StrategyRegistry()
    ma_crossover.register(registry)
    rsi_strategy.register(registry)
    return registry
