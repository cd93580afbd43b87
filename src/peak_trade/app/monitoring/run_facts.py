"""Facts about a run read from meta.json, summary.json and its digest: which symbols, which
base currency, which strategy, and whether summary.json is current.

summary.json decides the figures only while it is current: it carries the newest state of the
run (its `last_seq` covers the last event, or, for logs without `last_seq`, it is final and the
run's last life ended after it). Otherwise (a running run, a run killed between its last event
and the summary rewrite, a resumed run) the events decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peak_trade.app.monitoring.digest import RunDigest
from peak_trade.app.monitoring.numbers import as_decimal
from peak_trade.app.monitoring.status import summary_is_final
from peak_trade.domain.decimals import format_decimal


def get(mapping: Any, *path: str) -> Any:
    """mapping[path[0]][path[1]]...; None where a level is missing or not a mapping."""
    value = mapping
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def first(*values: Any) -> Any:
    return next((v for v in values if v is not None and v != ""), None)


def text(value: Any) -> str | None:
    """A JSON value as text: numbers as plain decimals, None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    number = as_decimal(value) if not isinstance(value, str) else None
    return format_decimal(number) if number is not None else str(value)


def summary_is_current(summary: Mapping[str, Any] | None, digest: RunDigest | None) -> bool:
    """True when summary.json holds the run's newest state (see the module docstring)."""
    if summary is None:
        return False
    if digest is None:
        return summary_is_final(summary)
    last_seq = summary.get("last_seq")
    if isinstance(last_seq, int) and not isinstance(last_seq, bool):
        return last_seq >= digest.last_seq
    if not summary_is_final(summary):
        return False
    return digest.events == 0 or digest.lives.last_ended


def run_symbols(
    meta: Mapping[str, Any] | None, summary: Mapping[str, Any] | None, digest: RunDigest | None
) -> list[str]:
    """The run's symbols: meta `symbols` (format 2), else meta `symbol`, else what was seen."""
    names: list[str] = []
    listed = get(meta, "symbols")
    if isinstance(listed, list):
        names = [s for s in listed if isinstance(s, str)]
    for candidate in (get(meta, "symbol"), get(summary, "symbol")):
        if not names and isinstance(candidate, str) and candidate:
            names = [candidate]
    extra = (
        list(get(summary, "symbols") or {}) if isinstance(get(summary, "symbols"), Mapping) else []
    )
    extra += list(digest.symbols) if digest is not None else []
    for name in extra:
        if isinstance(name, str) and name not in names:
            names.append(name)
    return names


def base_currency(
    meta: Mapping[str, Any] | None, summary: Mapping[str, Any] | None, digest: RunDigest | None
) -> str | None:
    """The currency the run's totals are in."""
    started = digest.started if digest is not None else None
    symbols = run_symbols(meta, summary, digest)
    quote = symbols[0].split("/")[-1] if symbols and "/" in symbols[0] else None
    found = first(
        get(meta, "base_currency"),
        get(summary, "base_currency"),
        get(started, "base_currency"),
        get(meta, "risk_limits", "base_currency"),
        quote,
    )
    return str(found) if found is not None else None


def strategy_name(meta: Mapping[str, Any] | None, summary: Mapping[str, Any] | None) -> str | None:
    strategy = first(get(meta, "strategy"), get(summary, "strategy"))
    if isinstance(strategy, Mapping):
        return text(strategy.get("name"))
    return text(strategy)


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
