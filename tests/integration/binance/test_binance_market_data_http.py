"""Market data over real HTTP: klines (forming by position, paging), timeframes, ticker."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from tests.integration.binance.conftest import START, MakeRig

from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.errors import ExchangeUnavailableError, UnsupportedTimeframeError

BTC_USDT = Symbol.parse("BTC/USDT")
KLINES = "GET /api/v3/klines"


def test_latest_candles_are_999_closed_and_the_forming_one(make_rig: MakeRig) -> None:
    rig = make_rig()
    batch = rig.client.candles(BTC_USDT, Timeframe.M1)
    assert len(batch.closed) == 999
    assert batch.forming is not None
    assert not batch.forming.closed
    assert batch.forming.open_time == START.replace(second=0)
    assert batch.closed[-1].open_time + timedelta(minutes=1) == batch.forming.open_time
    (sent,) = rig.server.params_sent(KLINES)
    assert sent == {"symbol": "BTCUSDT", "interval": "1m", "limit": "1000"}


def test_polling_since_the_last_close_returns_only_new_closes(make_rig: MakeRig) -> None:
    rig = make_rig()
    last = rig.client.candles(BTC_USDT, Timeframe.M1).closed[-1]
    assert rig.client.candles(BTC_USDT, Timeframe.M1, since=last.open_time).closed == ()
    rig.clock.advance(120)
    fresh = rig.client.candles(BTC_USDT, Timeframe.M1, since=last.open_time)
    assert [c.open_time - last.open_time for c in fresh.closed] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
    ]
    assert fresh.forming is not None
    assert fresh.forming.open_time - last.open_time == timedelta(minutes=3)
    sent = rig.server.params_sent(KLINES)[-1]
    assert sent["startTime"] == str(int(last.open_time.timestamp() * 1000) + 1)


def test_a_long_since_pages_with_start_time_and_keeps_the_forming_candle_apart(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    since = START - timedelta(minutes=2500)
    batch = rig.client.candles(BTC_USDT, Timeframe.M1, since=since)
    assert len(batch.closed) == 2499
    assert batch.closed[0].open_time > since
    times = [c.open_time for c in batch.closed]
    assert times == sorted(set(times))
    assert batch.forming is not None
    assert batch.forming.open_time == START.replace(second=0)
    assert len(rig.server.params_sent(KLINES)) == 3


def test_a_full_page_ending_exactly_at_the_forming_candle_is_decided_by_the_next_page(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    now_minute = START.replace(second=0)
    since = now_minute - timedelta(minutes=1000)  # rows since+1m .. now_minute: exactly 1000
    batch = rig.client.candles(BTC_USDT, Timeframe.M1, since=since)
    assert batch.forming is not None
    assert batch.forming.open_time == now_minute
    assert len(batch.closed) == 999
    assert all(c.open_time < now_minute for c in batch.closed)
    assert len(rig.server.params_sent(KLINES)) == 2  # the second page came back empty


def test_klines_range_reads_a_long_history_of_closed_candles_only(make_rig: MakeRig) -> None:
    rig = make_rig()
    start = datetime(2026, 2, 26, 0, 0, tzinfo=UTC)
    end = datetime(2026, 2, 28, 0, 0, tzinfo=UTC)
    candles = rig.client.klines_range(BTC_USDT, Timeframe.M1, start, end)
    assert len(candles) == 2 * 24 * 60
    assert candles[0].open_time == start
    assert candles[-1].open_time == end - timedelta(minutes=1)
    assert all(c.closed for c in candles)
    assert len(rig.server.params_sent(KLINES)) == 3


def test_klines_range_up_to_now_drops_the_forming_candle(make_rig: MakeRig) -> None:
    rig = make_rig()
    start = START - timedelta(hours=30)  # 04:00:30 the day before: the first open is 05:00
    candles = rig.client.klines_range(BTC_USDT, Timeframe.H1, start)
    assert candles[0].open_time == start.replace(minute=0, second=0) + timedelta(hours=1)
    assert candles[-1].open_time == START.replace(minute=0, second=0) - timedelta(hours=1)
    assert len(candles) == 29  # 10:00 is forming: dropped


def test_iter_klines_yields_pages_for_streaming(make_rig: MakeRig) -> None:
    rig = make_rig()
    pages = list(rig.client.iter_klines(BTC_USDT, Timeframe.M1, START - timedelta(minutes=2100)))
    assert [len(p) for p in pages] == [999, 1000, 100]  # 2099 closed; the forming one dropped
    flat = [c for page in pages for c in page]
    assert [b.open_time - a.open_time for a, b in itertools.pairwise(flat)] == [
        timedelta(minutes=1)
    ] * (len(flat) - 1)


@pytest.mark.parametrize(
    ("timeframe", "interval"),
    [(Timeframe.parse("1s"), "1s"), (Timeframe.M3, "3m"), (Timeframe.H8, "8h"),
     (Timeframe.D3, "3d"), (Timeframe.W1, "1w")],
)  # fmt: skip
def test_timeframes_map_to_binances_intervals(
    make_rig: MakeRig, timeframe: Timeframe, interval: str
) -> None:
    rig = make_rig()
    batch = rig.client.candles(BTC_USDT, timeframe)
    assert rig.server.params_sent(KLINES)[0]["interval"] == interval
    assert batch.forming is not None
    assert len(batch.closed) == 999


def test_weekly_candles_open_on_mondays(make_rig: MakeRig) -> None:
    batch = make_rig().client.candles(BTC_USDT, Timeframe.W1)
    assert batch.forming is not None
    assert batch.forming.open_time.weekday() == 0


@pytest.mark.parametrize("label", ["7m", "2m", "10m", "1w"])
def test_only_binances_intervals_are_served(make_rig: MakeRig, label: str) -> None:
    rig = make_rig()
    timeframe = Timeframe.parse(label)
    if label == "1w":
        assert timeframe in rig.client.timeframes
        return
    assert timeframe not in rig.client.timeframes
    with pytest.raises(UnsupportedTimeframeError, match="1s, 1m, 3m"):
        rig.client.candles(BTC_USDT, timeframe)
    assert rig.server.request_counts.total() == 0


def test_months_are_not_a_timeframe() -> None:
    with pytest.raises(ValueError, match="months"):
        Timeframe.parse("1M")


def test_ticker_is_the_book_touch_and_the_last_price(make_rig: MakeRig) -> None:
    rig = make_rig()
    ticker = rig.client.ticker(BTC_USDT)
    assert 0 < ticker.bid < ticker.last < ticker.ask
    assert ticker.time == START
    assert rig.server.request_counts["GET /api/v3/ticker/bookTicker"] == 1
    assert rig.server.request_counts["GET /api/v3/ticker/price"] == 1


def test_an_empty_bid_side_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.empty_bids.add("BTCUSDT")
    with pytest.raises(ExchangeUnavailableError, match="no bid"):
        rig.client.ticker(BTC_USDT)


def test_instrument_rules_come_from_the_venues_exchange_info(make_rig: MakeRig) -> None:
    rig = make_rig()
    rules = rig.client.instrument(Symbol.parse("1000SATS/USDT"))
    assert rules.venue_symbol == "1000SATSUSDT"
    assert str(rules.lot_step) == "1"
    assert rig.client.instrument(Symbol.parse("BTC/TUSD")).venue_symbol == "BTCTUSD"
    assert rig.client.instrument(Symbol.parse("BETH/ETH")).venue_symbol == "BETHETH"
    assert rig.server.request_counts["GET /api/v3/exchangeInfo"] == 1
