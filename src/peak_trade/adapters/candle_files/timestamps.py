"""Candle times in files: epoch numbers (unit read from the magnitude) and ISO-8601 text.

Every time becomes an int of microseconds since 1970-01-01 UTC (exact, no float) or a tz-aware
UTC datetime. Epoch numbers are seconds below 10**10, milliseconds below 10**13 and
microseconds below 10**16, decided per value (Binance's spot klines switched from ms to µs in
2025, so one concatenated file can hold both); nanoseconds are refused. ISO-8601 text without
an offset is read as UTC; text with `Z` or an offset is converted to UTC. Accepted times lie
in [1970-01-01, 2100-01-01).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peak_trade.domain.timeutil import isoformat_utc

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
MICROS_PER_SECOND = 1_000_000
END_MICROS = 4_102_444_800 * MICROS_PER_SECOND  # 2100-01-01T00:00:00Z, exclusive
MAX_GAP_MICROS = 366 * 86_400 * MICROS_PER_SECOND
# Epoch numbers: a value below each limit is in that unit (10, 13 and 16 digits today).
SECONDS_BELOW = 10**10
MILLIS_BELOW = 10**13
MICROS_BELOW = 10**16
_NANOS_BELOW = 10**19


def is_epoch_text(text: str) -> bool:
    """True for an optionally signed run of ASCII digits (surrounding space ignored)."""
    body = text.strip()
    if body[:1] in ("-", "+"):
        body = body[1:]
    return body.isascii() and body.isdigit()


def epoch_unit(value: int) -> int:
    """Microseconds per unit of an epoch number: 1_000_000 (s), 1000 (ms) or 1 (µs)."""
    if value < SECONDS_BELOW:
        return MICROS_PER_SECOND
    if value < MILLIS_BELOW:
        return 1000
    if value < MICROS_BELOW:
        return 1
    if value < _NANOS_BELOW:
        raise ValueError(
            f"time {value} looks like nanoseconds since the epoch; only seconds, "
            "milliseconds and microseconds are read (divide by 1000)"
        )
    raise ValueError(f"time {value} is too large to be an epoch time")


def epoch_to_micros(value: int) -> int:
    """Microseconds since the epoch for an epoch number in s, ms or µs, read from its size."""
    return value * epoch_unit(value)


def to_utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is UTC:
        return moment
    if moment.tzinfo is None:  # datetime.replace(tzinfo=...) is several times slower
        return datetime.combine(moment.date(), moment.time(), UTC)
    return moment.astimezone(UTC)


def micros_to_datetime(micros: int) -> datetime:
    """The UTC datetime `micros` microseconds after the epoch."""
    seconds, fraction = divmod(micros, MICROS_PER_SECOND)
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment + timedelta(microseconds=fraction) if fraction else moment


def datetime_to_micros(moment: datetime) -> int:
    """Microseconds since the epoch of a tz-aware datetime."""
    return (moment - EPOCH) // ONE_MICROSECOND


def describe_micros(micros: int) -> str:
    """ISO-8601 text of a time for messages (the raw number if no datetime can hold it)."""
    try:
        return isoformat_utc(micros_to_datetime(micros))
    except (OverflowError, ValueError, OSError):
        return f"{micros} µs after 1970-01-01"


def parse_time_micros(text: str, *, epoch: bool) -> int:
    """Microseconds since the epoch for one time field; ValueError with the reason.

    `epoch` is the file's kind of time (its first row decides): epoch numbers or ISO-8601.
    """
    stamp = text.strip()
    if epoch:
        if not is_epoch_text(stamp):
            raise ValueError(
                f"unparseable time {stamp!r}: this file's times are epoch numbers "
                "(seconds, milliseconds or microseconds)"
            )
        micros = epoch_to_micros(int(stamp))
    else:
        try:
            micros = datetime_to_micros(to_utc(datetime.fromisoformat(stamp)))
        except ValueError:
            raise ValueError(
                f"unparseable time {stamp!r}: this file's times are ISO-8601 "
                "(e.g. 2026-01-01T00:00:00Z, 2026-01-01 00:00:00 or 2026-01-01)"
            ) from None
    check_time_range(micros)
    return micros


def check_time_range(micros: int) -> None:
    """Refuse times before 1970-01-01 or from 2100-01-01 on."""
    if micros < 0:
        raise ValueError(f"time {describe_micros(micros)} is before 1970-01-01")
    if micros >= END_MICROS:
        raise ValueError(
            f"far-off timestamp {describe_micros(micros)}: times must be before 2100-01-01"
        )
