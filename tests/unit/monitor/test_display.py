"""Figures for people: money at the currency's places, prices at the tick, times to the second."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from peak_trade.app.monitoring.display import (
    duration_text,
    fixed,
    money_places,
    percent,
    price_places,
    time_text,
)


@pytest.mark.parametrize(
    ("currency", "places"),
    [("EUR", 2), ("usdt", 2), ("JPY", 0), ("BTC", 8), ("ETH", 8), (None, 2), ("", 2)],
)
def test_money_places_follow_the_currency(currency: str | None, places: int) -> None:
    assert money_places(currency) == places


def test_sixteen_digit_money_reads_with_two_places() -> None:
    assert fixed("1680.7545057768265914", 2) == "1680.75"
    assert fixed("1680.7545057768265914", 2, grouping=True) == "1,680.75"
    assert fixed("-0.001", 2) == "0.00"  # never "-0.00"
    assert fixed("0.005", 2) == "0.00"  # half-even
    assert fixed("12.5", 2, signed=True) == "+12.50"
    assert fixed("not a number", 2) is None


def test_price_places_come_from_the_tick_seen_in_the_data_or_the_magnitude() -> None:
    assert price_places(1) == 1
    assert price_places(12) == 8
    assert price_places(None, Decimal("60005.08755")) == 2
    assert price_places(None, Decimal("3.1415")) == 4
    assert price_places(None, Decimal("0.000123")) == 8


def test_times_drop_microseconds_and_read_as_utc() -> None:
    assert time_text("2026-01-05T12:00:00.899747Z") == "2026-01-05 12:00:00"
    assert time_text("2026-01-05T12:00:00+00:00") == "2026-01-05 12:00:00"
    assert time_text(None) is None


def test_durations_use_their_two_largest_units() -> None:
    assert duration_text(45) == "45s"
    assert duration_text(750) == "12m 30s"
    assert duration_text(timedelta(hours=3, minutes=5)) == "3h 05m"
    assert duration_text(timedelta(days=2, hours=3, minutes=59)) == "2d 03h"


def test_percentages_have_two_places() -> None:
    assert percent("4.3912") == "4.39%"
    assert percent("1.5", signed=True) == "+1.50%"
