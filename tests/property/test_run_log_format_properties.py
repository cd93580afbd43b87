"""The run log's decimal and time formatting: plain strings, exactly as the slow reference."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc


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
