"""Parsing run-log values: plain-decimal strings to Decimal or float, ISO times to epoch seconds.

The run log writes amounts as strings (never floats) and times as ISO-8601 UTC. Readers are
tolerant: anything that does not parse is None, never an exception.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation


def as_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a JSON string or number; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal | int | str):
        try:
            result = Decimal(value)
        except (InvalidOperation, ValueError):
            return None
        return result if result.is_finite() else None
    return None


_INFINITY = float("inf")


def as_float(value: object) -> float | None:
    """A finite float for charts (never for money arithmetic); None when not a number."""
    if value is None or value is True or value is False:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if -_INFINITY < number < _INFINITY else None


_DAYS: dict[str, int] = {}  # "YYYY-MM-DD" -> epoch seconds of its midnight (UTC)


def epoch_seconds(value: object) -> int | None:
    """Whole seconds since the epoch of an ISO-8601 time (`Z` or an offset); None otherwise."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    if len(value) == 20 and value[19] == "Z" and value[10] == "T":  # the run log's own form
        day = _DAYS.get(value[:10])
        try:
            if day is None:
                day = _DAYS[value[:10]] = int(
                    datetime.fromisoformat(value[:10]).replace(tzinfo=UTC).timestamp()
                )
            return day + int(value[11:13]) * 3600 + int(value[14:16]) * 60 + int(value[17:19])
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    """The UTC datetime of epoch seconds."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def parse_utc(value: object) -> datetime | None:
    """A tz-aware UTC datetime from an ISO-8601 string (microseconds kept); None otherwise."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def decimals_of(text: object) -> int | None:
    """Digits after the point of a plain decimal string (`"59625.10"` -> 2); None otherwise."""
    if not isinstance(text, str):
        return None
    point = text.find(".")
    if point < 0:
        return 0 if text.lstrip("-").isdigit() else None
    digits = text[point + 1 :]
    return len(digits) if digits.isdigit() else None
