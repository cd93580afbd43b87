"""The mapping parses Kraken's published example answers (tests/fixtures/kraken/)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.kraken.errors import KrakenAuthError, KrakenOrderRejectedError
from peak_trade.adapters.kraken.mapping import (
    instrument_rules,
    parse_asset_pairs,
    parse_balances,
    parse_envelope,
    parse_ohlc,
    parse_server_time,
    parse_system_status,
    parse_ticker,
)
from peak_trade.adapters.kraken.order_mapping import (
    KrakenOrderResponse,
    parse_orders,
    parse_trades,
    trade_to_fill,
)
from peak_trade.adapters.kraken.symbols import KrakenSymbolMap
from peak_trade.domain.instruments import TradingStatus
from peak_trade.domain.orders import OrderSide, OrderStatus, OrderType
from peak_trade.domain.symbols import Symbol

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kraken"
NOW = datetime(2023, 7, 6, 19, 0, tzinfo=UTC)
BTC_USD = Symbol.parse("BTC/USD")


def result(name: str) -> object:
    return parse_envelope(name, (FIXTURES / f"{name}.json").read_bytes(), NOW)


@pytest.fixture(scope="module")
def symbols() -> KrakenSymbolMap:
    return KrakenSymbolMap(parse_asset_pairs(result("asset_pairs")))


def test_asset_pairs_become_instrument_rules(symbols: KrakenSymbolMap) -> None:
    btc = instrument_rules(symbols.market(BTC_USD))
    assert btc.venue_symbol == "XXBTZUSD"
    assert btc.price_tick == Decimal("0.1")
    assert btc.lot_step == Decimal("0.00000001")
    assert btc.min_quantity == Decimal("0.0001")
    assert btc.min_cost == Decimal("0.5")
    assert btc.status is TradingStatus.ONLINE
    eth = instrument_rules(symbols.market(Symbol.parse("ETH/BTC")))
    assert eth.venue_symbol == "XETHXXBT"
    assert eth.price_tick == Decimal("0.00001")
    assert eth.min_cost == Decimal("0.00002")


def test_ticker_gives_bid_ask_and_last_trade(symbols: KrakenSymbolMap) -> None:
    ticker = parse_ticker(result("ticker"), symbols.market(BTC_USD), NOW)
    assert (ticker.bid, ticker.ask, ticker.last) == (
        Decimal("30300.00000"),
        Decimal("30300.10000"),
        Decimal("30303.20000"),
    )
    assert ticker.time == NOW


def test_ohlc_last_row_is_forming_and_never_closed(symbols: KrakenSymbolMap) -> None:
    closed, forming, last = parse_ohlc(result("ohlc"), symbols.market(BTC_USD))
    assert [int(c.open_time.timestamp()) for c in closed] == [1688671200, 1688671260, 1688671320]
    assert all(c.closed for c in closed)
    assert forming is not None
    assert not forming.closed
    assert int(forming.open_time.timestamp()) == 1688671380
    assert last == 1688671320
    assert closed[0].volume == Decimal("3.39243896")


def test_balances_use_canonical_codes_and_fold_suffixes_into_the_base_asset() -> None:
    balances = parse_balances(result("balance"), KrakenSymbolMap([]).asset_code)
    assert balances["BTC"] == Decimal("1011.1908877900")
    assert balances["EUR"] == Decimal("504861.8946")
    assert balances["USD"] == Decimal("171288.6158") + Decimal("1213029.2780")
    assert balances["ETH2"] == Decimal("198.3970800000") + Decimal("2.5885574330")
    assert all(isinstance(v, Decimal) for v in balances.values())


def test_add_order_answer_with_txid_and_validate_answer_without() -> None:
    placed = KrakenOrderResponse.from_result(result("add_order"))
    assert placed.txids == ("OU22CG-KLAF2-FWUDD7",)
    assert placed.description == "buy 1.45 XBTUSD @ limit 27500.0"
    validated = KrakenOrderResponse.from_result(result("add_order_validate"))
    assert validated.validated_only
    assert validated.description == "buy 5000.00000000 XDGUSD @ market"


def test_query_orders_map_to_order_states_with_fee_currency_by_flag(
    symbols: KrakenSymbolMap,
) -> None:
    orders = {o.txid: o for o in parse_orders(result("query_orders"), "QueryOrders")}
    stop = orders["OBCMZD-JIEE7-77TH3F"].to_order_state(symbols.symbol_for("XBTUSD"))
    assert stop.status is OrderStatus.FILLED
    assert stop.order_type is OrderType.LIMIT
    assert stop.filled_quantity == Decimal("1.25")
    assert stop.average_price == Decimal("27500.0")
    assert stop.fee == Decimal("26.2")
    assert stop.fee_currency == "USD"
    market = orders["OMMDB2-FSB6Z-7W3HPO"].to_order_state(BTC_USD)
    assert market.side is OrderSide.SELL
    assert market.order_type is OrderType.MARKET
    assert market.average_price == Decimal("30000.0")
    assert market.fee_currency == "BTC"
    assert orders["OMMDB2-FSB6Z-7W3HPO"].trade_ids == ("TJUW2K-FLX2N-AR2FLU", "TJUW2K-FLX2N-AR2FLV")


@pytest.mark.parametrize("name", ["query_trades", "trades_history"])
def test_trades_become_fills_and_name_the_pair_id(symbols: KrakenSymbolMap, name: str) -> None:
    key = "trades" if name == "trades_history" else None
    trades = parse_trades(result(name), name, key)
    (trade_id, raw), *_ = trades.items()
    assert symbols.symbol_for(str(raw["pair"])) == BTC_USD  # type: ignore[index]
    fill = trade_to_fill(trade_id, raw, BTC_USD, "USD", name)
    assert fill.order_id == "OQCLML-BW3P3-BUCMWZ"
    assert fill.quantity == Decimal("0.02000000")
    assert fill.price == Decimal("30010.00000")
    assert fill.time == datetime.fromtimestamp(1688667796.8802, UTC)
    assert not fill.simulated


def test_time_and_system_status() -> None:
    assert parse_server_time(result("time")) == datetime(2023, 7, 6, 18, 50, 48, tzinfo=UTC)
    assert parse_system_status(result("system_status")) == "online"


def test_error_envelopes_raise_the_mapped_errors() -> None:
    with pytest.raises(KrakenOrderRejectedError):
        result("error_invalid_arguments")
    with pytest.raises(KrakenAuthError):
        result("error_invalid_key")


def test_every_fixture_is_a_kraken_envelope() -> None:
    for path in FIXTURES.glob("*.json"):
        payload = json.loads(path.read_text())
        assert isinstance(payload["error"], list), path.name
