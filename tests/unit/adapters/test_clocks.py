"""SystemClock and SimulatedClock: UTC, never going back, virtual sleep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peak_trade.adapters.clocks import SimulatedClock, SystemClock
from peak_trade.ports.clock import ClockPort

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_both_clocks_are_clock_ports() -> None:
    assert isinstance(SystemClock(), ClockPort)
    assert isinstance(SimulatedClock(START), ClockPort)


def test_system_clock_is_tz_aware_utc_and_monotonic_does_not_decrease() -> None:
    clock = SystemClock()
    assert clock.now().utcoffset() == timedelta(0)
    first = clock.monotonic()
    assert clock.monotonic() >= first


def test_simulated_sleep_advances_now_and_monotonic_instantly() -> None:
    clock = SimulatedClock(START)
    clock.sleep(90)
    assert clock.now() == START + timedelta(seconds=90)
    assert clock.monotonic() == 90
    assert clock.slept == 90


@pytest.mark.parametrize("seconds", [0, -5])
def test_simulated_sleep_of_zero_or_less_does_nothing(seconds: float) -> None:
    clock = SimulatedClock(START)
    clock.sleep(seconds)
    assert clock.now() == START
    assert clock.slept == 0


def test_simulated_clock_refuses_to_go_back() -> None:
    clock = SimulatedClock(START)
    with pytest.raises(ValueError, match="never goes back"):
        clock.advance(-1)
    assert clock.now() == START


def test_advance_to_an_earlier_moment_keeps_the_time() -> None:
    clock = SimulatedClock(START + timedelta(hours=1))
    clock.advance_to(START)
    assert clock.now() == START + timedelta(hours=1)
    clock.advance_to(START + timedelta(hours=2))
    assert clock.now() == START + timedelta(hours=2)
    assert clock.monotonic() == 3600


def test_simulated_clock_needs_a_utc_start() -> None:
    with pytest.raises(ValueError, match="UTC"):
        SimulatedClock(datetime(2026, 1, 1))
