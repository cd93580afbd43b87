"""The request-weight budget over real HTTP: the client waits (virtually), Binance never 429s."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.integration.binance.conftest import START, MakeRig

from peak_trade.domain.symbols import Symbol, Timeframe

BTC_USDT = Symbol.parse("BTC/USDT")


def test_the_venues_weight_count_makes_the_client_wait_for_the_next_minute(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    rig.client.ticker(BTC_USDT)  # exchangeInfo (20) + bookTicker (2) + price (2)
    rig.server.other_weight = 5370  # other clients on this IP used most of the minute
    rig.clock.advance(2)  # past the ticker cache
    rig.client.ticker(BTC_USDT)  # header now says 5370 + 24 + 2 = 5396; the next 2 would pass 5400
    assert rig.clock.slept == 0
    rig.clock.advance(2)
    rig.client.ticker(BTC_USDT)
    boundary = 60 - (START.second + 4)  # from 10:00:34 to 10:01:00
    assert rig.client.transport.weights.waited == pytest.approx(boundary + 0.25)
    assert rig.clock.slept == pytest.approx(boundary + 0.25)
    assert rig.server.request_counts.total() == 7  # no 429 was ever answered


def test_a_long_history_is_paced_under_the_limit_without_a_single_429(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.weight_limit = 50  # a tight limit: 25 klines pages a minute at weight 2
    rig.client.transport.weights.set_limit(50)
    rig.client.instrument(BTC_USDT)  # exchangeInfo says 50 as well
    start = START.replace(second=0) - timedelta(minutes=40 * 1000)
    candles = rig.client.klines_range(BTC_USDT, Timeframe.M1, start)
    forming = rig.clock.now().replace(second=0, microsecond=0)  # pacing moved time on
    assert len(candles) == (forming - start) // timedelta(minutes=1)
    assert candles[-1].open_time == forming - timedelta(minutes=1)
    assert len(rig.server.params_sent("GET /api/v3/klines")) == 41
    assert rig.client.transport.weights.waited > 60  # at least one full minute of pacing
    assert rig.client.transport.retry_waits == []  # never a 429 to back off from


def test_the_limit_is_taken_from_exchange_info(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.weight_limit = 1200
    rig.client.instrument(BTC_USDT)
    assert rig.client.transport.weights.limit == 1200
