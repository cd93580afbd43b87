from __future__ import annotations

from datetime import UTC, datetime

import pytest

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken.config import KrakenTier
from peak_trade.adapters.kraken.ratelimit import (
    KrakenRateLimiter,
    cancel_cost,
    limiter_for,
    rest_cost,
)


def _clock() -> SimulatedClock:
    return SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC))


def test_rest_costs_follow_krakens_table() -> None:
    assert rest_cost("Balance") == 1
    assert rest_cost("QueryOrders") == 1
    assert rest_cost("TradesHistory") == 2
    assert rest_cost("QueryTrades") == 2
    assert rest_cost("Ledgers") == 2
    assert rest_cost("AddOrder") == 0
    assert rest_cost("CancelOrder") == 0


@pytest.mark.parametrize(
    ("age", "cost"),
    [(None, 8), (1.0, 8), (7.0, 6), (12.0, 5), (30.0, 4), (60.0, 2), (200.0, 1), (400.0, 0)],
)
def test_cancel_cost_decreases_with_order_age(age: float | None, cost: int) -> None:
    assert cancel_cost(age) == cost


def test_starter_tier_allows_a_burst_of_fifteen_then_waits_for_decay() -> None:
    clock = _clock()
    limiter = KrakenRateLimiter(KrakenTier.STARTER, 0.0, clock)
    for _ in range(15):
        assert limiter.acquire("Balance", private=True) == 0
    waited = limiter.acquire("Balance", private=True)
    assert waited == pytest.approx(1 / 0.33)
    assert clock.slept == pytest.approx(1 / 0.33)


def test_heavy_calls_fill_the_counter_twice_as_fast() -> None:
    clock = _clock()
    limiter = KrakenRateLimiter(KrakenTier.PRO, 0.0, clock)
    for _ in range(10):
        limiter.acquire("TradesHistory", private=True)
    assert limiter.rest.level == 20
    assert limiter.acquire("QueryTrades", private=True) == pytest.approx(2.0)


def test_public_and_order_calls_do_not_touch_the_rest_counter() -> None:
    limiter = KrakenRateLimiter(KrakenTier.STARTER, 0.0, _clock())
    for _ in range(30):
        limiter.acquire("Ticker", private=False)
        limiter.acquire("AddOrder", private=True, pair="XXBTZEUR")
    assert limiter.rest.level == 0
    assert limiter.pair_counter("XXBTZEUR").level == 30


def test_per_pair_order_counter_waits_only_for_the_busy_pair() -> None:
    clock = _clock()
    limiter = KrakenRateLimiter(KrakenTier.STARTER, 0.0, clock)
    for _ in range(60):
        limiter.acquire("AddOrder", private=True, pair="XXBTZEUR")
    assert limiter.acquire("AddOrder", private=True, pair="XETHZEUR") == 0
    assert limiter.acquire("AddOrder", private=True, pair="XXBTZEUR") == pytest.approx(1.0)


def test_fresh_cancels_cost_eight_on_the_pair_counter() -> None:
    limiter = KrakenRateLimiter(KrakenTier.STARTER, 0.0, _clock())
    limiter.acquire("CancelOrder", private=True, pair="XXBTZEUR", order_age=2.0)
    assert limiter.pair_counter("XXBTZEUR").level == 8


def test_minimum_spacing_from_rate_limit_ms_applies_to_every_request() -> None:
    clock = _clock()
    limiter = KrakenRateLimiter(KrakenTier.PRO, 0.25, clock)
    limiter.acquire("Ticker", private=False)
    assert limiter.acquire("OHLC", private=False) == pytest.approx(0.25)
    clock.advance(1.0)
    assert limiter.acquire("Time", private=False) == 0
    assert clock.slept == pytest.approx(0.25)


def test_a_venue_rate_limit_error_saturates_the_counter() -> None:
    limiter = KrakenRateLimiter(KrakenTier.INTERMEDIATE, 0.0, _clock())
    limiter.penalize("Balance")
    assert limiter.acquire("Balance", private=True) == pytest.approx(1 / 0.5)


def test_one_limiter_per_key_and_clock_in_the_process() -> None:
    clock = _clock()
    first = limiter_for("key-a", KrakenTier.STARTER, 0.0, clock)
    assert limiter_for("key-a", KrakenTier.STARTER, 0.0, clock) is first
    assert limiter_for("key-b", KrakenTier.STARTER, 0.0, clock) is not first
    assert limiter_for("key-a", KrakenTier.STARTER, 0.0, _clock()) is not first
