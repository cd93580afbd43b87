from __future__ import annotations

import pytest

from peak_trade.adapters.kraken.snapshot import bundled_markets
from peak_trade.adapters.kraken.symbols import KrakenSymbolMap, canonical_asset
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import UnknownSymbolError


@pytest.fixture(scope="module")
def symbols() -> KrakenSymbolMap:
    return KrakenSymbolMap(bundled_markets(), source="snapshot")


@pytest.mark.parametrize(
    ("symbol", "pair_id"),
    [
        ("BTC/EUR", "XXBTZEUR"),
        ("BTC/USD", "XXBTZUSD"),
        ("ETH/EUR", "XETHZEUR"),
        ("ETH/BTC", "XETHXXBT"),
        ("DOGE/USD", "XDGUSD"),
        ("BTC/USDT", "XBTUSDT"),
        ("ETH/USDT", "ETHUSDT"),
        ("SOL/EUR", "SOLEUR"),
    ],
)
def test_canonical_symbols_map_to_krakens_pair_ids(
    symbols: KrakenSymbolMap, symbol: str, pair_id: str
) -> None:
    assert symbols.market(Symbol.parse(symbol)).pair_id == pair_id


@pytest.mark.parametrize("name", ["XXBTZEUR", "XBTEUR", "XBT/EUR", "xbteur"])
def test_pair_id_altname_and_wsname_resolve_to_one_market(
    symbols: KrakenSymbolMap, name: str
) -> None:
    assert symbols.symbol_for(name) == Symbol.parse("BTC/EUR")


def test_krakens_own_codes_are_accepted_in_symbols(symbols: KrakenSymbolMap) -> None:
    assert symbols.market(Symbol.parse("XBT/EUR")).pair_id == "XXBTZEUR"
    assert symbols.market(Symbol.parse("XDG/USD")).pair_id == "XDGUSD"


def test_unknown_symbol_names_close_matches_and_never_guesses(symbols: KrakenSymbolMap) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        symbols.market(Symbol.parse("BTC/EUX"))
    assert "BTC/EUR" in caught.value.suggestions
    assert "BTC/EUR" in str(caught.value)


def test_bundled_snapshot_has_a_cancel_only_pair(symbols: KrakenSymbolMap) -> None:
    assert symbols.market(Symbol.parse("REP/EUR")).status == "cancel_only"


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("XXBT", "BTC"),
        ("XBT", "BTC"),
        ("XXDG", "DOGE"),
        ("XDG", "DOGE"),
        ("ZEUR", "EUR"),
        ("ZUSD", "USD"),
        ("XETH", "ETH"),
        ("USDT", "USDT"),
        ("XTZ", "XTZ"),
        ("ZEUS", "ZEUS"),
        ("XBT.M", "BTC"),
        ("USDT.F", "USDT"),
        ("DOT.S", "DOT"),
        ("ETH2.S", "ETH2"),
        ("SOL.B", "SOL"),
        ("AAPLX.T", "AAPLX"),
    ],
)
def test_canonical_asset_codes(code: str, canonical: str) -> None:
    assert canonical_asset(code) == canonical
