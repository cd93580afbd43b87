"""Symbols come from exchangeInfo's baseAsset/quoteAsset both ways; splitting names fails."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from peak_trade.adapters.binance.exchange_info import parse_exchange_info
from peak_trade.adapters.binance.symbols import BinanceSymbolMap
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import UnknownSymbolError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "binance"
QUOTES = ("USDT", "BTC", "ETH", "BNB", "USD", "EUR")  # a typical suffix list


@pytest.fixture(scope="module")
def symbols() -> BinanceSymbolMap:
    return parse_exchange_info(json.loads((FIXTURES / "exchange_info.json").read_text("utf-8")))


def split_by_known_quotes(name: str) -> tuple[str, str] | None:
    """What string-splitting adapters do: the first known quote suffix wins."""
    for quote in QUOTES:
        if name.endswith(quote) and len(name) > len(quote):
            return name[: -len(quote)], quote
    return None


@pytest.mark.parametrize(
    ("name", "base", "quote"),
    [
        ("BTCUSDT", "BTC", "USDT"),
        ("BTCTUSD", "BTC", "TUSD"),
        ("BETHETH", "BETH", "ETH"),
        ("1000SATSUSDT", "1000SATS", "USDT"),
        ("ETHBTC", "ETH", "BTC"),
    ],
)
def test_venue_names_map_to_canonical_symbols_and_back(
    symbols: BinanceSymbolMap, name: str, base: str, quote: str
) -> None:
    symbol = Symbol(base=base, quote=quote)
    assert symbols.symbol_for(name) == symbol
    assert symbols.market(symbol).name == name


def split_base_of_three(name: str) -> tuple[str, str]:
    """The other naive rule: a three-letter base, the rest is the quote."""
    return name[:3], name[3:]


@pytest.mark.parametrize(
    ("name", "naive"),
    [
        ("BTCTUSD", split_by_known_quotes),  # -> BTCT/USD
        ("这是测试币456", split_by_known_quotes),  # -> no split at all: 456 is in no list
        ("BETHETH", split_base_of_three),  # -> BET/HETH
        ("1000SATSUSDT", split_base_of_three),  # -> 100/0SATSUSDT
    ],
)
def test_string_splitting_gets_these_wrong_where_exchange_info_is_right(
    symbols: BinanceSymbolMap, name: str, naive: Callable[[str], tuple[str, str] | None]
) -> None:
    market = symbols.market_by_name(name)
    assert naive(name) != (market.base_asset, market.quote_asset)


def test_the_unicode_testnet_symbol_is_kept_by_name_without_a_canonical_symbol(
    symbols: BinanceSymbolMap,
) -> None:
    market = symbols.market_by_name("这是测试币456")
    assert (market.base_asset, market.quote_asset) == ("这是测试币", "456")
    assert market.symbol is None  # not a canonical asset code: reachable by name only
    assert market.rules is None
    with pytest.raises(UnknownSymbolError):
        symbols.symbol_for("这是测试币456")


def test_unknown_symbol_names_close_matches(symbols: BinanceSymbolMap) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        symbols.market(Symbol.parse("BTC/USDC"))
    assert "BTC/USDT" in caught.value.suggestions
    assert "BTC/USDT" in str(caught.value)


def test_unknown_venue_name_is_an_unknown_symbol(symbols: BinanceSymbolMap) -> None:
    with pytest.raises(UnknownSymbolError):
        symbols.market_by_name("BTCUSDX")


def test_markets_are_found_by_their_assets_for_fee_conversion(symbols: BinanceSymbolMap) -> None:
    found = symbols.market_for_assets("ETH", "BTC")
    assert found is not None
    assert found.name == "ETHBTC"
    assert symbols.market_for_assets("BTC", "ETH") is None
