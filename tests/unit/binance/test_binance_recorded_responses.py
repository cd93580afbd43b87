"""The mapping parses Binance's documented example answers (tests/fixtures/binance/)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.binance.exchange_info import decimals_of, parse_exchange_info
from peak_trade.adapters.binance.klines import _batch
from peak_trade.adapters.binance.market_data import parse_account, parse_klines, parse_ticker
from peak_trade.adapters.binance.order_mapping import BinanceOrder, parse_trade, trade_to_fill
from peak_trade.adapters.binance.symbols import BinanceSymbolMap
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.instruments import PriceBand, TradingStatus
from peak_trade.domain.orders import OrderSide, OrderStatus, OrderType
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeProtocolError, ExchangeUnavailableError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "binance"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def fixture(name: str) -> object:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def symbols() -> BinanceSymbolMap:
    return parse_exchange_info(fixture("exchange_info"))


def test_filters_become_instrument_rules(symbols: BinanceSymbolMap) -> None:
    rules = symbols.market(Symbol.parse("BTC/USDT")).rules
    assert rules is not None
    assert rules.venue_symbol == "BTCUSDT"
    assert rules.price_tick == Decimal("0.01")
    assert rules.lot_step == Decimal("0.00001")
    assert rules.min_quantity == Decimal("0.00001")
    assert rules.max_quantity == Decimal("9000")
    assert rules.market_lot_step is None  # "0.00000000" = off
    assert rules.market_min_quantity is None
    assert rules.market_max_quantity == Decimal("130.7")
    assert rules.min_cost == Decimal("10")
    assert rules.max_cost == Decimal("9000000")
    assert rules.min_price == Decimal("0.01")
    assert rules.max_price == Decimal("1000000")
    assert rules.price_band == PriceBand(
        buy_up=Decimal(5), buy_down=Decimal("0.2"), sell_up=Decimal(5), sell_down=Decimal("0.2")
    )
    assert rules.status is TradingStatus.ONLINE


def test_padded_values_are_normalized_before_use(symbols: BinanceSymbolMap) -> None:
    rules = symbols.market(Symbol.parse("BTC/USDT")).rules
    assert rules is not None
    assert str(rules.price_tick) == "0.01"
    assert str(rules.lot_step) == "0.00001"
    assert decimals_of(Decimal("0.01000000")) == 2
    assert decimals_of(Decimal("1.00000000")) == 0
    assert decimals_of(Decimal("10.00000000")) == 0
    sats = symbols.market(Symbol.parse("1000SATS/USDT")).rules
    assert sats is not None
    assert str(sats.lot_step) == "1"
    assert sats.price_tick.as_tuple().exponent == -7  # 0.00000010 -> 1E-7, not 1.0E-7
    assert format_decimal(sats.price_tick) == "0.0000001"


def test_legacy_min_notional_and_percent_price_are_the_fallbacks(
    symbols: BinanceSymbolMap,
) -> None:
    rules = symbols.market(Symbol.parse("ETH/BTC")).rules
    assert rules is not None
    assert rules.min_cost == Decimal("0.001")
    assert rules.max_cost is None
    assert rules.price_band == PriceBand(
        buy_up=Decimal("1.3"),
        buy_down=Decimal("0.7"),
        sell_up=Decimal("1.3"),
        sell_down=Decimal("0.7"),
    )
    assert rules.market_max_quantity is None  # no MARKET_LOT_SIZE filter at all


@pytest.mark.parametrize(
    ("symbol", "status"),
    [
        ("BNB/BTC", TradingStatus.OFFLINE),  # BREAK
        ("LUNA/USDT", TradingStatus.OFFLINE),  # HALT
        ("XYZ/USDT", TradingStatus.OFFLINE),  # END_OF_DAY
        ("OLD/USDT", TradingStatus.CANCEL_ONLY),
        ("MAKER/USDT", TradingStatus.LIMIT_ONLY),  # MARKET not among orderTypes
        ("BTC/USDT", TradingStatus.ONLINE),
    ],
)
def test_symbol_status_maps_to_trading_status(
    symbols: BinanceSymbolMap, symbol: str, status: TradingStatus
) -> None:
    rules = symbols.market(Symbol.parse(symbol)).rules
    assert rules is not None
    assert rules.status is status


def test_request_weight_limit_is_read_from_rate_limits(symbols: BinanceSymbolMap) -> None:
    assert symbols.weight_limit == 6000


def test_klines_parse_and_the_newest_row_is_the_forming_candle() -> None:
    rows = parse_klines(fixture("klines"), Symbol.parse("LTC/BTC"))
    assert [int(c.open_time.timestamp() * 1000) for c in rows] == [
        1499040000000,
        1499644800000,
        1500249600000,
    ]
    first = rows[0]
    assert (first.open, first.high, first.low, first.close) == (
        Decimal("0.01634790"),
        Decimal("0.80000000"),
        Decimal("0.01575800"),
        Decimal("0.01577100"),
    )
    assert first.volume == Decimal("148976.11427815")
    batch = _batch(rows, reached_present=True)
    assert [c.open_time for c in batch.closed] == [r.open_time for r in rows[:2]]
    assert batch.forming is not None
    assert not batch.forming.closed
    assert batch.forming.open_time == rows[2].open_time


def test_klines_out_of_order_are_a_protocol_error() -> None:
    rows = fixture("klines")
    assert isinstance(rows, list)
    with pytest.raises(ExchangeProtocolError, match="klines"):
        parse_klines(list(reversed(rows)), Symbol.parse("LTC/BTC"))


def test_book_ticker_and_price_make_a_ticker() -> None:
    ticker = parse_ticker(
        fixture("book_ticker"), fixture("ticker_price"), Symbol.parse("LTC/BTC"), NOW
    )
    assert (ticker.bid, ticker.ask, ticker.last) == (
        Decimal("4.00000000"),
        Decimal("4.00000200"),
        Decimal("4.00000200"),
    )
    assert ticker.time == NOW


def test_an_empty_book_side_is_unavailable_not_a_zero_price() -> None:
    book = dict(fixture("book_ticker"))  # type: ignore[call-overload]
    book["bidPrice"] = "0.00000000"
    with pytest.raises(ExchangeUnavailableError, match="no bid"):
        parse_ticker(book, fixture("ticker_price"), Symbol.parse("LTC/BTC"), NOW)


def test_full_new_order_answer() -> None:
    order = BinanceOrder.from_json(fixture("order_full"), "POST /api/v3/order")
    assert order.order_id == 28
    assert order.client_order_id == "6gCrw2kRUAF9CvJDGP16IP"
    state = order.to_order_state(Symbol.parse("BTC/USDT"), "ours")
    assert state.status is OrderStatus.FILLED
    assert state.side is OrderSide.SELL
    assert state.order_type is OrderType.MARKET
    assert state.filled_quantity == Decimal(10)
    assert state.average_price == Decimal(1)  # cummulativeQuoteQty 10 / executedQty 10
    assert state.client_order_id == "ours"


def test_ack_answer_lacks_the_order_terms_and_is_a_protocol_error() -> None:
    with pytest.raises(ExchangeProtocolError):
        BinanceOrder.from_json(fixture("order_ack"), "POST /api/v3/order")


def test_query_answer_of_a_new_limit_order() -> None:
    state = BinanceOrder.from_json(fixture("order_query"), "GET /api/v3/order").to_order_state(
        Symbol.parse("LTC/BTC"), "myOrder1"
    )
    assert state.status is OrderStatus.OPEN
    assert state.order_type is OrderType.LIMIT
    assert state.limit_price == Decimal("0.1")
    assert state.quantity == Decimal(1)
    assert state.average_price is None


def test_expired_with_an_executed_quantity_is_a_partial_fill_not_an_error() -> None:
    order = BinanceOrder.from_json(fixture("order_expired_partial"), "GET /api/v3/order")
    state = order.to_order_state(Symbol.parse("BTC/USDT"), order.client_order_id)
    assert state.status is OrderStatus.EXPIRED
    assert state.filled_quantity == Decimal("70.547")
    assert state.remaining_quantity == Decimal("116.079")
    assert "INSUFFICIENT_LIQUIDITY" in state.reason


def test_expired_in_match_is_expired() -> None:
    raw = dict(fixture("order_query"))  # type: ignore[call-overload]
    raw["status"] = "EXPIRED_IN_MATCH"
    state = BinanceOrder.from_json(raw, "GET /api/v3/order").to_order_state(
        Symbol.parse("LTC/BTC"), "x"
    )
    assert state.status is OrderStatus.EXPIRED


def test_cancel_answer_names_the_order_by_its_original_client_id() -> None:
    order = BinanceOrder.from_json(fixture("cancel_order"), "DELETE /api/v3/order", cancel=True)
    assert order.client_order_id == "myOrder1"
    assert order.status == "CANCELED"
    assert order.to_order_state(Symbol.parse("LTC/BTC"), "myOrder1").status is (
        OrderStatus.CANCELLED
    )


def test_my_trades_row_becomes_a_fill_with_commission_and_asset() -> None:
    (raw,) = fixture("my_trades")  # type: ignore[misc]
    trade = parse_trade(raw, "GET /api/v3/myTrades")
    assert trade.commission == Decimal("10.1")
    assert trade.commission_asset == "BNB"
    assert trade.side is OrderSide.BUY
    fill = trade_to_fill(trade, Symbol.parse("BNB/BTC"), "GET /api/v3/myTrades")
    assert fill.order_id == "100234"
    assert fill.trade_id == "28457"
    assert fill.quantity == Decimal(12)
    assert fill.price == Decimal("4.000001")
    assert fill.fee == Decimal("10.1")
    assert fill.fee_currency == "BNB"  # the base asset here: a base fee, no conversion needed
    assert fill.time == datetime.fromtimestamp(1499865549.590, UTC)


def test_account_balances_free_and_locked() -> None:
    balances = parse_account(fixture("account"))
    assert balances["BTC"].free == Decimal("4723846.89208129")
    assert balances["BTC"].locked == 0
    assert balances["LTC"].total == Decimal("4763368.68006011")


def test_every_error_fixture_has_a_code_and_a_message() -> None:
    for path in FIXTURES.glob("error_*.json"):
        payload = json.loads(path.read_text("utf-8"))
        assert isinstance(payload["code"], int), path.name
        assert payload["msg"], path.name
