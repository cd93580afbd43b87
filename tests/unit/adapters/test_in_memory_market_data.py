"""InMemoryExchange market data: lazy replay, bounded window, forming candle, aggregation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from tests.contract.market_data import BTC_EUR, START, synthetic_candles

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory import InMemoryExchange, InMemoryExchangeConfig
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.errors import (
    ExchangeProtocolError,
    ExchangeUnavailableError,
    UnknownSymbolError,
    UnsupportedTimeframeError,
)

MINUTE = timedelta(minutes=1)


def _venue(
    candles: Iterable[Candle], at: datetime, timeframe: Timeframe = Timeframe.M1
) -> tuple[InMemoryExchange, SimulatedClock]:
    clock = SimulatedClock(at)
    venue = InMemoryExchange(
        InMemoryExchangeConfig(), clock, candles, symbol=BTC_EUR, timeframe=timeframe
    )
    return venue, clock


class _Strict:
    """A candle source that fails the test if more than `allowed` candles are pulled."""

    def __init__(self, candles: Iterable[Candle], allowed: int) -> None:
        self._candles = iter(candles)
        self.allowed = allowed
        self.pulled = 0

    def __iter__(self) -> Iterator[Candle]:
        return self

    def __next__(self) -> Candle:
        if self.pulled >= self.allowed:
            raise AssertionError(f"pulled candle {self.pulled + 1}, only {self.allowed} allowed")
        self.pulled += 1
        return next(self._candles)


def test_candles_are_pulled_only_as_the_clock_reaches_them() -> None:
    source = _Strict(synthetic_candles(100), allowed=0)
    venue, clock = _venue(source, START + 10 * MINUTE + timedelta(seconds=30))
    source.allowed = 11  # ten closed plus the forming one
    assert len(venue.candles(BTC_EUR, Timeframe.M1).closed) == 10
    assert source.pulled == 11
    clock.advance(60)
    source.allowed = 12
    assert len(venue.candles(BTC_EUR, Timeframe.M1).closed) == 11
    assert source.pulled == 12


def test_forming_candle_is_flat_at_its_open_and_is_the_ticker_price() -> None:
    candles = list(synthetic_candles(5))
    venue, _ = _venue(candles, START + 2 * MINUTE + timedelta(seconds=59))
    forming = venue.candles(BTC_EUR, Timeframe.M1).forming
    assert forming is not None
    assert forming.open_time == candles[2].open_time
    assert forming.open == forming.high == forming.low == forming.close == candles[2].open
    assert forming.volume == 0
    ticker = venue.ticker(BTC_EUR)
    assert ticker.bid == ticker.ask == ticker.last == candles[2].open
    assert ticker.time == START + 2 * MINUTE + timedelta(seconds=59)


def test_a_candle_closes_exactly_at_its_end() -> None:
    candles = list(synthetic_candles(5))
    venue, clock = _venue(candles, START + 2 * MINUTE - timedelta(microseconds=1))
    assert venue.candles(BTC_EUR, Timeframe.M1).closed == tuple(candles[:1])
    clock.advance(1e-6)
    assert venue.candles(BTC_EUR, Timeframe.M1).closed == tuple(candles[:2])


def test_window_keeps_only_the_last_720_closed_candles() -> None:
    candles = list(synthetic_candles(1000))
    venue, _ = _venue(candles, START + 1000 * MINUTE)
    closed = venue.candles(BTC_EUR, Timeframe.M1).closed
    assert len(closed) == 720
    assert closed == tuple(candles[280:])
    since = venue.candles(BTC_EUR, Timeframe.M1, candles[990].open_time).closed
    assert since == tuple(candles[991:])


def test_after_the_last_candle_closes_nothing_forms_and_the_price_is_its_close() -> None:
    venue, clock = _venue(synthetic_candles(3), START + 2 * MINUTE)
    assert venue.candles(BTC_EUR, Timeframe.M1).forming is not None
    clock.advance(60)
    assert venue.candles(BTC_EUR, Timeframe.M1).forming is None
    assert venue.ticker(BTC_EUR).last == venue.candles(BTC_EUR, Timeframe.M1).closed[-1].close


def test_ticker_between_candles_is_the_last_close() -> None:
    first, second = list(synthetic_candles(2))
    later = Candle(
        symbol=BTC_EUR,
        open_time=START + 10 * MINUTE,
        open=Decimal(1),
        high=Decimal(1),
        low=Decimal(1),
        close=Decimal(1),
    )
    venue, _ = _venue([first, second, later], START + 5 * MINUTE)
    assert venue.candles(BTC_EUR, Timeframe.M1).forming is None
    assert venue.ticker(BTC_EUR).last == second.close


def test_ticker_before_the_replay_starts_is_unavailable() -> None:
    venue, _ = _venue(synthetic_candles(3), START - MINUTE)
    with pytest.raises(ExchangeUnavailableError):
        venue.ticker(BTC_EUR)
    assert venue.candles(BTC_EUR, Timeframe.M1).closed == ()


def test_out_of_order_replay_is_a_protocol_error() -> None:
    first, second = list(synthetic_candles(2))
    venue, _ = _venue([second, first], START + 5 * MINUTE)
    with pytest.raises(ExchangeProtocolError, match="out of order"):
        venue.candles(BTC_EUR, Timeframe.M1)


def test_unknown_symbol_suggests_the_listed_one() -> None:
    venue, _ = _venue(synthetic_candles(3), START)
    with pytest.raises(UnknownSymbolError) as info:
        venue.candles(Symbol.parse("BTC/USD"), Timeframe.M1)
    assert info.value.suggestions == ("BTC/EUR",)


def test_larger_timeframe_is_aggregated_from_the_replay() -> None:
    candles = list(synthetic_candles(12))
    venue, _ = _venue(candles, START + 12 * MINUTE - timedelta(seconds=1))
    batch = venue.candles(BTC_EUR, Timeframe.M5)
    assert [c.open_time for c in batch.closed] == [START, START + 5 * MINUTE]
    first = batch.closed[0]
    assert first.open == candles[0].open
    assert first.close == candles[4].close
    assert first.high == max(c.high for c in candles[:5])
    assert first.low == min(c.low for c in candles[:5])
    assert first.volume == sum(c.volume for c in candles[:5])
    assert batch.forming is not None
    assert batch.forming.open_time == START + 10 * MINUTE
    assert batch.forming.open == candles[10].open
    assert batch.forming.close == candles[11].open  # the forming 1m bar shows only its open
    assert venue.candles(BTC_EUR, Timeframe.M5, START).closed == batch.closed[1:]


def test_aggregated_candles_keep_up_as_time_advances() -> None:
    candles = list(synthetic_candles(30))
    venue, clock = _venue(candles, START + 7 * MINUTE)
    assert len(venue.candles(BTC_EUR, Timeframe.M5).closed) == 1
    clock.advance(8 * 60)
    closed = venue.candles(BTC_EUR, Timeframe.M5).closed
    assert [c.open_time for c in closed] == [START, START + 5 * MINUTE, START + 10 * MINUTE]
    assert closed[2].close == candles[14].close


def test_aggregation_drops_a_bucket_whose_start_left_the_window() -> None:
    candles = list(synthetic_candles(725))  # 723 closed: the first three are evicted
    venue, _ = _venue(candles, START + 723 * MINUTE)
    closed = venue.candles(BTC_EUR, Timeframe.M5).closed
    assert closed[0].open_time == START + 5 * MINUTE
    assert closed[0].open == candles[5].open


def test_timeframe_that_is_not_a_multiple_is_refused() -> None:
    venue, _ = _venue(synthetic_candles(3, timeframe=Timeframe.M5), START, Timeframe.M5)
    with pytest.raises(UnsupportedTimeframeError, match="serves 5m, 15m"):
        venue.candles(BTC_EUR, Timeframe.M1)


def _fed_venue(start: datetime) -> tuple[InMemoryExchange, SimulatedClock]:
    """A venue fed by a replay (ReplayVenuePort.feed), one candle ahead of the clock."""
    clock = SimulatedClock(start)
    venue = InMemoryExchange(
        InMemoryExchangeConfig(), clock, symbol=BTC_EUR, timeframe=Timeframe.M1
    )
    return venue, clock


@pytest.mark.parametrize("asked_every", [1, 7, 300, 2000])
def test_a_fed_venue_answers_the_same_however_rarely_it_is_asked(asked_every: int) -> None:
    """Fed candles are closed in bulk when the venue is next asked (or every CATCH_UP
    candles): its answers equal those of a venue asked after every single candle."""
    candles = list(synthetic_candles(1500))
    step, every = _fed_venue(START), _fed_venue(START)
    answers: dict[str, list[object]] = {"step": [], "every": []}
    for (venue, clock), name in ((step, "step"), (every, "every")):
        venue.feed(candles[0])
        for index, (candle, following) in enumerate(pairwise(candles)):
            clock.advance_to(candle.open_time + MINUTE)
            venue.feed(following)
            period = 1 if name == "step" else asked_every
            if index % period == period - 1 or index in (719, 1200):
                answers[name].append(
                    (
                        index,
                        venue.ticker(BTC_EUR),
                        venue.candles(BTC_EUR, Timeframe.M1),
                        venue.candles(BTC_EUR, Timeframe.M1, candles[index - 3].open_time),
                    )
                )
        answers[name].append(
            (venue.candles(BTC_EUR, Timeframe.M1), venue.candles(BTC_EUR, Timeframe.M5))
        )
    rare = {entry[0]: entry for entry in answers["every"][:-1]}
    assert rare
    for entry in answers["step"][:-1]:
        if entry[0] in rare:
            assert rare[entry[0]] == entry
    assert answers["every"][-1] == answers["step"][-1]
    closed = answers["every"][-1][0].closed
    assert closed == tuple(candles[-721:-1])  # the last one is still forming


def test_a_fed_candle_out_of_order_is_a_protocol_error() -> None:
    venue, clock = _fed_venue(START)
    candles = list(synthetic_candles(5))
    for candle in candles:
        venue.feed(candle)
    venue.feed(candles[2])  # again: not after the last one handed over
    clock.advance_to(START + 5 * MINUTE)
    with pytest.raises(ExchangeProtocolError, match="out of order"):
        venue.ticker(BTC_EUR)
