"""The run log's formatting: plain decimal and time strings and whole event payloads, exactly
as the slow references write them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.adapters.runlog.encoding import jsonable, payload_json
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.events import EventType


def reference_format(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


decimals = st.decimals(allow_nan=False, allow_infinity=False) | st.builds(
    lambda digits, exponent, negative: Decimal((int(negative), digits, exponent)),
    st.tuples(*[st.integers(0, 9)] * 3) | st.tuples(st.integers(0, 9)),
    st.integers(-30, 30),
    st.booleans(),
)


@given(decimals)
def test_format_decimal_matches_the_fixed_point_reference(value: Decimal) -> None:
    text = format_decimal(value)
    assert text == reference_format(value)
    assert "E" not in text.upper()


@given(
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1)),
    st.sampled_from([UTC, timezone(timedelta(0), "GMT+0")]),  # the fast and the slow path
)
def test_isoformat_utc_ends_in_z_for_any_utc_tzinfo(naive: datetime, tz: timezone) -> None:
    value = naive.replace(tzinfo=tz)
    assert isoformat_utc(value) == value.isoformat().replace("+00:00", "Z")


def reference_line(payload: dict[str, Any]) -> str:
    """What the run log wrote before its C-encoder path: the converting walk, then JSON."""
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(jsonable(payload))


leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=6)
    | st.datetimes(timezones=st.just(UTC))
    | st.sampled_from(list(EventType))
    | st.frozensets(st.text(max_size=3), max_size=3)
)
payloads = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5) | st.integers(0, 9), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=6), payloads, max_size=6))
def test_an_event_payload_is_written_exactly_as_the_converting_walk_writes_it(
    payload: dict[str, Any],
) -> None:
    assert payload_json(payload) == reference_line(payload)


@given(st.dictionaries(st.text(max_size=6), payloads, max_size=4), st.floats(allow_nan=False))
def test_a_float_anywhere_in_a_payload_is_refused(payload: dict[str, Any], number: float) -> None:
    with pytest.raises(TypeError, match="use Decimal"):
        payload_json({**payload, "nested": [{"x": number}]})
