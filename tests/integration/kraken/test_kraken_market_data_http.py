"""Market data over real HTTP: OHLC polling, forming candle, symbol refresh, ticker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.integration.kraken.conftest import MakeRig
from tests.support.kraken_server import Fault, KrakenLoopbackServer, bundled_pairs

from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.errors import UnknownSymbolError

BTC_EUR = Symbol.parse("BTC/EUR")


def test_forming_candle_is_separate_and_closed_ones_end_before_it(make_rig: MakeRig) -> None:
    batch = make_rig().client.candles(BTC_EUR, Timeframe.M1)
    assert len(batch.closed) == 719
    assert batch.forming is not None
    assert not batch.forming.closed
    assert batch.closed[-1].open_time + timedelta(minutes=1) == batch.forming.open_time


def test_polling_since_the_last_closed_candle_returns_only_new_closes(make_rig: MakeRig) -> None:
    rig = make_rig()
    last = rig.client.candles(BTC_EUR, Timeframe.M1).closed[-1]
    assert rig.client.candles(BTC_EUR, Timeframe.M1, since=last.open_time).closed == ()
    rig.server.market.advance(120)
    fresh = rig.client.candles(BTC_EUR, Timeframe.M1, since=last.open_time).closed
    assert [c.open_time - last.open_time for c in fresh] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
    ]
    sent = rig.server.params_sent("OHLC")[-1]
    assert sent["since"] == str(int(last.open_time.timestamp()))


@pytest.mark.parametrize(
    ("timeframe", "interval"), [(Timeframe.M5, "5"), (Timeframe.H1, "60"), (Timeframe.D1, "1440")]
)
def test_timeframes_map_to_krakens_intervals(
    make_rig: MakeRig, timeframe: Timeframe, interval: str
) -> None:
    rig = make_rig()
    batch = rig.client.candles(BTC_EUR, timeframe)
    assert rig.server.params_sent("OHLC")[0]["interval"] == interval
    assert batch.forming is not None
    assert batch.forming.open_time.timestamp() % timeframe.seconds == 0


def test_a_full_720_row_answer_is_followed_by_one_more_page(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.client.candles(BTC_EUR, Timeframe.M1)
    first, second = rig.server.params_sent("OHLC")
    assert "since" not in first
    assert "since" in second


def test_ticker_has_bid_below_ask(make_rig: MakeRig) -> None:
    ticker = make_rig().client.ticker(BTC_EUR)
    assert 0 < ticker.bid < ticker.ask
    assert ticker.bid <= ticker.last <= ticker.ask


def test_symbol_map_refreshes_from_the_api_when_reachable(make_rig: MakeRig) -> None:
    pairs = bundled_pairs()
    ada = dict(pairs["SOLEUR"], altname="ADAEUR", wsname="ADA/EUR", base="ADA")
    with KrakenLoopbackServer(speed=0, pairs={**pairs, "ADAEUR": ada}) as other:
        client = make_rig(base_url=other.base_url).client
        assert client.instrument(Symbol.parse("ADA/EUR")).venue_symbol == "ADAEUR"
        assert client.markets().source == "api"


def test_offline_start_uses_the_bundled_snapshot(make_rig: MakeRig) -> None:
    client = make_rig(base_url="http://127.0.0.1:9").client
    assert client.instrument(BTC_EUR).venue_symbol == "XXBTZEUR"
    assert client.markets().source == "snapshot"
    with pytest.raises(UnknownSymbolError):
        client.instrument(Symbol.parse("ADA/EUR"))


def test_a_snapshot_start_switches_to_the_api_once_asset_pairs_answers(make_rig: MakeRig) -> None:
    pairs = bundled_pairs()
    ada = dict(pairs["SOLEUR"], altname="ADAEUR", wsname="ADA/EUR", base="ADA")
    with KrakenLoopbackServer(speed=0, pairs={**pairs, "ADAEUR": ada}) as other:
        other.inject("AssetPairs", Fault.http_status(503))
        rig = make_rig(base_url=other.base_url)
        assert rig.client.instrument(BTC_EUR).venue_symbol == "XXBTZEUR"
        assert rig.client.markets().source == "snapshot"
        rig.clock.advance(30)
        with pytest.raises(UnknownSymbolError):  # too soon to ask AssetPairs again
            rig.client.instrument(Symbol.parse("ADA/EUR"))
        assert other.request_counts["AssetPairs"] == 1
        rig.clock.advance(30)

        rig.client.ticker(BTC_EUR)  # any call on a known symbol refreshes the stale map
        assert rig.client.markets().source == "api"
        assert other.request_counts["AssetPairs"] == 2
        assert rig.client.instrument(Symbol.parse("ADA/EUR")).venue_symbol == "ADAEUR"


def test_balances_use_canonical_asset_codes(make_rig: MakeRig) -> None:
    balances = make_rig().client.balances()
    assert {"BTC", "EUR", "USD", "DOGE", "ETH", "USDT"} <= set(balances)
    assert not any(code.startswith(("XX", "Z")) for code in balances)
