"""The JSON shape of an alert and its human text, shared by every sink."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.alerts import Alert

# Shown first (in this order) when the alert's context or the sink's extra fields carry them.
LEADING_FACTS = ("symbol", "run_id")
ELLIPSIS = "…"


def json_ready(value: Any) -> Any:
    """Context values as JSON: Decimals as plain strings, mappings and sequences recursively."""
    if isinstance(value, Decimal):
        return format_decimal(value) if value.is_finite() else str(value)
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def alert_record(alert: Alert) -> dict[str, Any]:
    """{ts, level, rule, message, context}: one line of alerts.jsonl."""
    return {
        "ts": isoformat_utc(alert.ts),
        "level": str(alert.level),
        "rule": alert.rule,
        "message": alert.message,
        "context": json_ready(alert.context),
    }


def alert_text(alert: Alert) -> str:
    """A one-line human text, e.g. `[CRITICAL] drawdown: drawdown 12% from peak ...`."""
    return f"[{alert.level.name}] {alert.rule}: {alert.message}"


def alert_facts(alert: Alert, extra: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, text) pairs: symbol and run_id first, then the context, then other extra fields.

    The context wins over an extra field of the same name; values are JSON-ready text.
    """
    merged: dict[str, Any] = {str(k): v for k, v in extra.items()}
    merged.update((str(k), v) for k, v in alert.context.items())
    names = [n for n in LEADING_FACTS if n in merged]
    names += [n for n in merged if n not in LEADING_FACTS]
    return [(name, fact_text(merged[name])) for name in names]


def fact_text(value: Any) -> str:
    """One value as short text: strings as they are, everything else as compact JSON."""
    ready = json_ready(value)
    if isinstance(ready, str):
        return ready
    return json.dumps(ready, ensure_ascii=False, separators=(",", ":"))


def alert_lines(alert: Alert, extra: Mapping[str, Any]) -> str:
    """The full plain text of an alert: the headline, one `name: value` line per fact, the time."""
    lines = [alert_text(alert)]
    lines += [f"{name}: {text}" for name, text in alert_facts(alert, extra)]
    lines.append(f"at {isoformat_utc(alert.ts)}")
    return "\n".join(lines)


def utf16_length(text: str) -> int:
    """Length as Telegram and Discord count it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int) -> str:
    """`text` if it fits `limit` UTF-16 units, else a prefix of whole characters ending in `…`."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if utf16_length(text) <= limit:
        return text
    budget = limit - utf16_length(ELLIPSIS)
    kept: list[str] = []
    for char in text:
        budget -= 2 if ord(char) > 0xFFFF else 1
        if budget < 0:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS
