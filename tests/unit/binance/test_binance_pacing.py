"""Server-time offset and the request-weight budget, in virtual time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peak_trade.adapters.binance.server_time import RESYNC_SECONDS, ServerClock
from peak_trade.adapters.binance.weights import WeightLimiter
from peak_trade.adapters.clocks import SimulatedClock

START = datetime(2026, 1, 1, 12, 0, 10, tzinfo=UTC)


def test_offset_is_server_time_minus_the_local_midpoint() -> None:
    clock = SimulatedClock(START)
    server = ServerClock(clock)
    sent, received = START, START + timedelta(milliseconds=200)
    server_ms = round(START.timestamp() * 1000) + 100 + 2500  # 2.5 s ahead of the midpoint
    assert server.learn(server_ms, sent, received) == 2500
    assert server.now_ms() == round(START.timestamp() * 1000) + 2500


def test_resync_is_due_before_the_first_sync_and_after_the_period() -> None:
    clock = SimulatedClock(START)
    server = ServerClock(clock)
    assert server.needs_sync
    server.learn(round(START.timestamp() * 1000), START, START)
    assert not server.needs_sync
    clock.advance(RESYNC_SECONDS)
    assert server.needs_sync


def _limiter(limit: int = 100) -> tuple[WeightLimiter, SimulatedClock]:
    clock = SimulatedClock(START)
    return WeightLimiter(clock, lambda: round(clock.now().timestamp() * 1000), limit=limit), clock


def test_requests_within_the_budget_never_wait() -> None:
    limiter, clock = _limiter()
    for _ in range(45):
        assert limiter.acquire(2) == 0
    assert limiter.used == 90
    assert clock.slept == 0


def test_a_request_past_the_budget_waits_for_the_next_window() -> None:
    limiter, clock = _limiter()
    limiter.observe("89")  # Binance says 89 of 100 used (other clients on this IP included)
    waited = limiter.acquire(2)  # budget = 90 (10 % headroom)
    assert waited == pytest.approx(50 + 0.25)  # from 12:00:10 to 12:01:00, plus the margin
    assert clock.slept == waited
    assert limiter.used == 2  # a fresh window


def test_the_venues_count_replaces_the_local_estimate() -> None:
    limiter, _ = _limiter()
    limiter.acquire(20)
    limiter.observe("57")
    assert limiter.used == 57
    limiter.observe("garbage")
    limiter.observe(None)
    assert limiter.used == 57


def test_a_new_minute_starts_an_empty_window() -> None:
    limiter, clock = _limiter()
    limiter.observe("90")
    clock.advance(60)
    assert limiter.acquire(5) == 0
    assert limiter.used == 5


def test_the_limit_from_exchange_info_moves_the_budget() -> None:
    limiter, _ = _limiter(limit=100)
    limiter.set_limit(6000)
    assert limiter.budget == 5400
