"""Typed, strict reading of parsed TOML tables: every error names file, section, key and reason.

`TableReader` hands out one typed value per key (bool is never an int, an int is accepted where a
Decimal is expected, ranges are checked) and remembers which keys it was asked for, so `finish()`
can refuse every key nobody asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from peak_trade.app.errors import ConfigError
from peak_trade.domain.decimals import format_decimal

T = TypeVar("T")

ENV_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ASSET_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.]{0,15}$")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "table"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


class TableReader:
    """Reads one TOML table key by key with types and ranges; `finish()` refuses unknown keys."""

    def __init__(self, file: str, section: str, table: Mapping[str, object]) -> None:
        self.file = file
        self.section = section
        self._table = table
        self._known: list[str] = []

    def error(self, key: str, reason: str) -> ConfigError:
        """A ConfigError located at `key` of this section."""
        return ConfigError(reason, file=self.file, section=self.section, key=key)

    def has(self, key: str) -> bool:
        """True when the table sets `key` (it still counts as known)."""
        self._known.append(key)
        return key in self._table

    def names(self) -> list[str]:
        """Every key of the table, for tables whose keys are names (they all count as known)."""
        names = [str(key) for key in self._table]
        self._known.extend(names)
        return names

    def raw(self, key: str) -> object | None:
        """The value as parsed (for keys whose shape the caller checks itself)."""
        return self._get(key)

    def _get(self, key: str) -> object | None:
        self._known.append(key)
        return self._table.get(key)

    def _wrong_type(self, key: str, expected: str, value: object) -> ConfigError:
        return self.error(key, f"expected {expected}, got {_type_name(value)}")

    def boolean(self, key: str, default: bool) -> bool:
        """A true/false value."""
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._wrong_type(key, "a boolean (true or false)", value)
        return value

    def integer(
        self, key: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        """An integer within [minimum, maximum]; a boolean or a float is refused."""
        result = self.optional_integer(key, minimum=minimum, maximum=maximum)
        return default if result is None else result

    def optional_integer(
        self, key: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """Like `integer`, but a missing key is None."""
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong_type(key, "an integer", value)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise self.error(key, f"must be {_range_text(minimum, maximum)}, got {value}")
        return value

    def decimal(
        self,
        key: str,
        default: Decimal,
        *,
        above: Decimal | None = None,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        below: Decimal | None = None,
    ) -> Decimal:
        """A number (integer or decimal) with optional exclusive/inclusive bounds."""
        result = self.optional_decimal(
            key, above=above, minimum=minimum, maximum=maximum, below=below
        )
        return default if result is None else result

    def optional_decimal(
        self,
        key: str,
        *,
        above: Decimal | None = None,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        below: Decimal | None = None,
    ) -> Decimal | None:
        """Like `decimal`, but a missing key is None."""
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self._wrong_type(key, "a number", value)
        number = Decimal(value)
        if not number.is_finite():
            raise self.error(key, "must be a finite number (nan and inf are refused)")
        bounds = [
            (above, number > above if above is not None else True, "> "),
            (minimum, number >= minimum if minimum is not None else True, ">= "),
            (maximum, number <= maximum if maximum is not None else True, "<= "),
            (below, number < below if below is not None else True, "< "),
        ]
        if not all(ok for _, ok, _ in bounds):
            wanted = " and ".join(
                f"{op}{format_decimal(b)}" for b, _, op in bounds if b is not None
            )
            raise self.error(key, f"must be {wanted}, got {format_decimal(number)}")
        return number

    def string(
        self,
        key: str,
        default: str,
        *,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
        allow_empty: bool = False,
    ) -> str:
        """A string, non-empty unless allowed, matching `pattern` if given (`hint` explains it)."""
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._wrong_type(key, "a string", value)
        if not value.strip():
            if allow_empty:
                return ""
            raise self.error(key, "must not be empty")
        if pattern is not None and not pattern.match(value):
            raise self.error(key, f"{value!r} is not valid: {hint}")
        return value

    def choice(self, key: str, default: T, parse: Callable[[str], T], allowed: Sequence[str]) -> T:
        """A string parsed by `parse`; an unknown value names the allowed ones."""
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._wrong_type(key, f"a string (one of: {', '.join(allowed)})", value)
        try:
            return parse(value)
        except ValueError:
            raise self.error(
                key, f"unknown value {value!r}; allowed: {', '.join(allowed)}"
            ) from None

    def parsed(self, key: str, default: T, parse: Callable[[str], T]) -> T:
        """A string turned into a domain value by `parse`; its ValueError becomes the reason."""
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._wrong_type(key, "a string", value)
        try:
            return parse(value)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def table(self, key: str) -> Mapping[str, object]:
        """A sub-table ({} when missing)."""
        value = self._get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self._wrong_type(key, "a table", value)
        return value

    def finish(self) -> None:
        """Refuse every key of the table that no accessor asked for."""
        for key in self._table:
            if key not in self._known:
                known = ", ".join(sorted(set(self._known))) or "(none)"
                raise self.error(key, f"unknown key; known keys here: {known}")


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {minimum} and {maximum}"
    if minimum is not None:
        return f">= {minimum}"
    return f"<= {maximum}"
