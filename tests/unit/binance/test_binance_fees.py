"""Commissions in BNB are valued in the quote currency at Binance's price, once per trade."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from peak_trade.adapters.binance.fees import FeeBook, FeeConversion
from peak_trade.adapters.binance.order_mapping import BinanceTrade, trade_to_fill
from peak_trade.adapters.binance.symbols import BinanceMarket, BinanceSymbolMap, canonical_symbol
from peak_trade.domain.orders import ChargedFee, OrderSide
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeProtocolError

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _market(name: str, base: str, quote: str) -> BinanceMarket:
    return BinanceMarket(
        name=name, base_asset=base, quote_asset=quote, status="TRADING",
        symbol=canonical_symbol(base, quote), rules=None,
    )  # fmt: skip


def _book(prices: dict[str, str]) -> tuple[FeeBook, list[str]]:
    asked: list[str] = []

    def price_of(market: BinanceMarket) -> Decimal:
        asked.append(market.name)
        return Decimal(prices[market.name])

    return FeeBook(price_of), asked


def _convert(
    book: FeeBook, markets: BinanceSymbolMap, symbol: str, trade: str = "1"
) -> FeeConversion:
    return book.convert(
        order_id="7", trade_id=trade, asset="BNB", amount=Decimal("0.01"),
        symbol=Symbol.parse(symbol), fill_price=Decimal("60000"), markets=markets, now=NOW,
    )  # fmt: skip


def test_bnb_is_valued_through_the_bnb_quote_market() -> None:
    markets = BinanceSymbolMap([_market("BNBUSDT", "BNB", "USDT")])
    book, _ = _book({"BNBUSDT": "600"})
    conversion = _convert(book, markets, "BTC/USDT")
    assert conversion.quote_amount == Decimal("6.00")
    assert conversion.rate == Decimal(600)
    assert conversion.route == "BNBUSDT"
    assert conversion.as_log_fields()["fee_asset"] == "BNB"


def test_the_inverse_market_is_used_when_only_quote_bnb_exists() -> None:
    markets = BinanceSymbolMap([_market("XYZBNB", "XYZ", "BNB")])
    book, _ = _book({"XYZBNB": "0.5"})
    conversion = _convert(book, markets, "BTC/XYZ")
    assert conversion.quote_amount == Decimal("0.02")
    assert conversion.route == "1 / XYZBNB"


def test_via_the_base_asset_the_fill_price_converts_into_quote() -> None:
    markets = BinanceSymbolMap([_market("BNBBTC", "BNB", "BTC")])
    book, _ = _book({"BNBBTC": "0.01"})
    conversion = _convert(book, markets, "BTC/EUR")
    assert conversion.quote_amount == Decimal("0.01") * Decimal("0.01") * Decimal(60000)


def test_without_any_route_the_fee_is_recorded_as_unvalued() -> None:
    book, _ = _book({})
    conversion = _convert(book, BinanceSymbolMap([]), "BTC/USDT")
    assert conversion.quote_amount is None
    assert conversion.rate is None
    assert conversion.amount == Decimal("0.01")


def test_a_trade_is_converted_once_so_its_fee_never_changes() -> None:
    markets = BinanceSymbolMap([_market("BNBUSDT", "BNB", "USDT")])
    prices = {"BNBUSDT": "600"}
    book, asked = _book(prices)
    first = _convert(book, markets, "BTC/USDT")
    prices["BNBUSDT"] = "700"
    assert _convert(book, markets, "BTC/USDT") is first
    assert asked == ["BNBUSDT"]
    _convert(book, markets, "BTC/USDT", trade="2")
    assert [c.trade_id for c in book.conversions(Symbol.parse("BTC/USDT"), "7")] == ["1", "2"]
    assert book.conversions(Symbol.parse("BTC/USDT"), "8") == ()
    assert book.conversions(Symbol.parse("ETH/USDT"), "7") == ()  # ids are per symbol


def _trade(commission: str, asset: str) -> BinanceTrade:
    return BinanceTrade(
        trade_id="70", order_id="7", price=Decimal("60000"), quantity=Decimal("0.01"),
        commission=Decimal(commission), commission_asset=asset, time_ms=1_767_225_600_000,
        side=OrderSide.BUY,
    )  # fmt: skip


def test_a_converted_commission_becomes_a_quote_fee_that_keeps_its_charge() -> None:
    markets = BinanceSymbolMap([_market("BNBUSDT", "BNB", "USDT")])
    book, _ = _book({"BNBUSDT": "600"})
    conversion = _convert(book, markets, "BTC/USDT")
    fill = trade_to_fill(
        _trade("0.01", "BNB"), Symbol.parse("BTC/USDT"), "GET /api/v3/myTrades",
        charged=conversion.charged,
    )  # fmt: skip
    assert (fill.fee, fill.fee_currency) == (Decimal("6.00"), "USDT")
    assert fill.charged == ChargedFee(asset="BNB", amount=Decimal("0.01"), rate=Decimal(600))


def test_an_unvalued_conversion_is_booked_as_a_zero_fee_with_its_charge() -> None:
    book, _ = _book({})
    conversion = _convert(book, BinanceSymbolMap([]), "BTC/USDT")
    fill = trade_to_fill(
        _trade("0.01", "BNB"), Symbol.parse("BTC/USDT"), "GET /api/v3/myTrades",
        charged=conversion.charged,
    )  # fmt: skip
    assert fill.fee == 0
    assert fill.charged is not None
    assert fill.charged.rate is None


def test_a_zero_commission_in_a_third_asset_is_a_zero_quote_fee() -> None:
    fill = trade_to_fill(_trade("0", "BNB"), Symbol.parse("BTC/USDT"), "GET /api/v3/myTrades")
    assert (fill.fee, fill.fee_currency, fill.charged) == (0, "USDT", None)
    assert fill.fee_in_quote == 0  # the ledger can book it


def test_a_third_asset_commission_is_never_booked_unvalued() -> None:
    with pytest.raises(ExchangeProtocolError, match="commission in 'BNB' was not valued"):
        trade_to_fill(_trade("0.01", "BNB"), Symbol.parse("BTC/USDT"), "GET /api/v3/myTrades")
