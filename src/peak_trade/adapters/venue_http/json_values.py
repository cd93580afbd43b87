"""Typed access to a venue's JSON: wrong shapes become VenueProtocolError naming the endpoint."""

from __future__ import annotations

import json
from decimal import Decimal

from peak_trade.adapters.venue_http.errors import VenueProtocolError
from peak_trade.domain.decimals import to_decimal

EXCERPT_CHARS = 120


def excerpt(raw: bytes | str) -> str:
    """A short, single-line excerpt of a response body for error messages."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = " ".join(text.split())
    return text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS else "")


def protocol_error(endpoint: str, what: str, raw: object = "") -> VenueProtocolError:
    """VenueProtocolError naming the endpoint, the problem and a short excerpt of the body."""
    shown = excerpt(raw if isinstance(raw, bytes | str) else json.dumps(raw, default=str))
    suffix = f" (body: {shown!r})" if shown else ""
    return VenueProtocolError(f"{what}{suffix}", endpoint=endpoint)


def parse_json(endpoint: str, body: bytes) -> object:
    """The decoded JSON body, or a protocol error for HTML, garbage or truncated JSON."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise protocol_error(endpoint, "response is not valid JSON", body) from None


def as_dict(value: object, endpoint: str, what: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise protocol_error(endpoint, f"{what} is not an object", value)
    return value


def as_list(value: object, endpoint: str, what: str) -> list[object]:
    if not isinstance(value, list):
        raise protocol_error(endpoint, f"{what} is not a list", value)
    return value


def dec(value: object, endpoint: str, what: str) -> Decimal:
    """A venue number (string or int) as Decimal; floats and garbage are protocol errors."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise protocol_error(endpoint, f"{what} is not a decimal string", value)
    try:
        return to_decimal(value, what)
    except (TypeError, ValueError):
        raise protocol_error(endpoint, f"{what} is not a decimal number", value) from None


def integer(value: object, endpoint: str, what: str) -> int:
    """An int, or a string of digits (optionally negative), as int."""
    if isinstance(value, bool):
        raise protocol_error(endpoint, f"{what} is not an integer", value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().removeprefix("-").isdigit():
        return int(value)
    raise protocol_error(endpoint, f"{what} is not an integer", value)


def text(value: object, endpoint: str, what: str) -> str:
    if not isinstance(value, str):
        raise protocol_error(endpoint, f"{what} is not a string", value)
    return value
