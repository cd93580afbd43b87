from __future__ import annotations

from datetime import UTC, datetime

import pytest

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.venue_http.ticker_cache import TickerCache
from peak_trade.domain.market import Ticker
from peak_trade.domain.symbols import Symbol

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BTC_EUR = Symbol.parse("BTC/EUR")


def _ticker(price: str) -> Ticker:
    return Ticker(symbol=BTC_EUR, bid=price, ask=price, last=price, time=START)


def test_a_ticker_is_reused_up_to_its_maximum_age() -> None:
    clock = SimulatedClock(START)
    cache = TickerCache(clock, 1.0)
    cache.put("XXBTZEUR", _ticker("100"))
    clock.advance(1.0)
    assert cache.get("XXBTZEUR") == _ticker("100")


def test_a_ticker_older_than_its_maximum_age_is_never_returned() -> None:
    clock = SimulatedClock(START)
    cache = TickerCache(clock, 1.0)
    cache.put("XXBTZEUR", _ticker("100"))
    clock.advance(1.001)
    assert cache.get("XXBTZEUR") is None
    assert cache.get("XXBTZEUR") is None


def test_pairs_are_cached_separately() -> None:
    cache = TickerCache(SimulatedClock(START), 1.0)
    cache.put("XXBTZEUR", _ticker("100"))
    assert cache.get("XETHZEUR") is None


def test_a_maximum_age_of_zero_caches_nothing() -> None:
    cache = TickerCache(SimulatedClock(START), 0.0)
    cache.put("XXBTZEUR", _ticker("100"))
    assert cache.get("XXBTZEUR") is None


def test_a_negative_maximum_age_is_refused() -> None:
    with pytest.raises(ValueError, match="max_age_seconds"):
        TickerCache(SimulatedClock(START), -1.0)
