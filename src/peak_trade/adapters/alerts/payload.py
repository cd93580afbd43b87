"""The JSON shape of an alert, shared by the JSONL and webhook sinks."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.alerts import Alert


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
