"""Time helpers for the domain: every datetime is tz-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from attrs import Attribute


def require_utc(value: object, field: str) -> None:
    """Refuse naive or non-UTC datetimes."""
    if type(value) is datetime and value.tzinfo is UTC:
        return  # the common case, decided without calling utcoffset()
    if not isinstance(value, datetime):
        raise TypeError(f"{field}: expected datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() != UTC.utcoffset(None):
        raise ValueError(f"{field}: datetime must be tz-aware UTC, got {value!r}")


def utc_validator(_instance: object, attribute: Attribute[datetime], value: datetime) -> None:
    """attrs validator: the field must be a tz-aware UTC datetime."""
    require_utc(value, attribute.name)


def utc_midnight(now: datetime) -> datetime:
    """Start of the UTC day that contains `now`."""
    require_utc(now, "now")
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def isoformat_utc(value: datetime) -> str:
    """ISO-8601 with a 'Z' suffix, e.g. 2026-11-24T03:19:35.123456Z."""
    global _last_formatted
    last, text = _last_formatted
    if value is last:  # the same moment again (a step's events share their time)
        return text
    if type(value) is not datetime or value.tzinfo is not UTC:
        require_utc(value, "value")
        value = value.astimezone(UTC)
    text = value.isoformat().replace("+00:00", "Z")
    _last_formatted = (value, text)
    return text


# The last datetime formatted and its text: datetimes are immutable, and a replay formats the
# same moment several times in a row (an order's events, a heartbeat's times).
_last_formatted: tuple[datetime | None, str] = (None, "")
