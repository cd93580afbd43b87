"""How the run log writes values: JSON-ready conversion and compact event-line encoding.

`jsonable` is the reference: Decimals as plain strings, datetimes as ISO-8601 UTC with `Z`, enums
by value, paths and other objects by str(), non-str keys by str(); a float is refused (money is
Decimal). `payload_json` writes exactly that text, straight through one C encoder whenever
that gives the same bytes (str keys, no float anywhere), which is every payload the session
writes; anything else takes the converting walk first.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc

encode_text: Callable[[str], str] = encode_basestring  # a str as a JSON string, quotes included


def jsonable(value: object) -> Any:
    """Turn Decimals, datetimes, enums, paths and str-able keys into JSON-ready values."""
    exact = _EXACT.get(type(value))  # the common types, without the isinstance chain
    if exact is not None:
        return exact(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime):
        return isoformat_utc(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, float):
        raise TypeError(f"float {value!r} in a run log payload; use Decimal")
    return str(value)


def _same(value: Any) -> Any:
    return value


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        kind = type(item)
        if kind not in _PLAIN:  # most values are JSON-ready already (pre-formatted payloads)
            convert: Callable[[Any], Any] = _EXACT.get(kind, jsonable)
            item = convert(item)
        out[key if type(key) is str else str(key)] = item
    return out


def _sequence(value: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [jsonable(v) for v in value]


_EXACT: dict[type, Callable[[Any], Any]] = {
    str: _same,
    int: _same,
    bool: _same,
    type(None): _same,
    Decimal: format_decimal,
    datetime: isoformat_utc,
    dict: _mapping,
    list: _sequence,
    tuple: _sequence,
}
_PLAIN = frozenset({str, int, bool, type(None)})  # exact types JSON takes as they are
_LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _hook(value: object) -> Any:
    """What the C encoder calls for a value JSON has no type for: `jsonable`'s conversion of
    it, one level (the encoder goes on into what comes back)."""
    kind = type(value)
    if kind is Decimal:  # format_decimal, inline: this runs for every Decimal of every event
        text = str(value)
        if "E" in text or not text[-1].isdigit():  # exponent notation, or not finite
            return format_decimal(value)  # type: ignore[arg-type]
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if kind is datetime:
        return isoformat_utc(value)  # type: ignore[arg-type]
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime):
        return isoformat_utc(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


# One C encoder for every line (json.JSONEncoder builds a new one per call); no circular-
# reference markers: payloads are trees. Compact separators, UTF-8 text as is.
_C_ENCODE = (
    None
    if c_make_encoder is None
    else c_make_encoder(None, _hook, encode_basestring, None, ":", ",", False, False, True)
)
_CONTAINERS = frozenset({dict, list, tuple})
_STR = frozenset({str})


def _encodes_as_walked(value: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> bool:
    """True when the C encoder with `_hook` writes exactly what `jsonable` + JSONEncoder would:
    every key a plain str and no float anywhere (`jsonable` refuses floats and turns other
    keys into their str(); the C encoder would write both its own way)."""
    items: Any = value
    if type(value) is dict:
        if not _STR.issuperset(map(type, value)):
            return False
        items = value.values()
    kinds = set(map(type, items))
    if float in kinds:
        return False
    if kinds.isdisjoint(_CONTAINERS):
        return True
    return all(not (type(item) in _CONTAINERS and not _encodes_as_walked(item)) for item in items)


def payload_json(payload: Mapping[str, Any]) -> str:
    """`payload` as compact JSON, exactly as `_LINE_ENCODER.encode(jsonable(payload))` writes
    it: straight through the C encoder when that gives the same text, else converted first."""
    if _C_ENCODE is not None and type(payload) is dict and _encodes_as_walked(payload):
        return "".join(_C_ENCODE(payload, 0))
    return _LINE_ENCODER.encode(jsonable(payload))
