"""Symbol mapping round-trips over generated AssetPairs tables that follow Kraken's naming."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from peak_trade.adapters.kraken.mapping import parse_asset_pairs
from peak_trade.adapters.kraken.symbols import ASSET_ALIASES, LEGACY_ASSET_IDS, KrakenSymbolMap
from peak_trade.domain.symbols import Symbol

RESERVED = {a[1:] for a in LEGACY_ASSET_IDS} | set(ASSET_ALIASES) | set(ASSET_ALIASES.values())


LEGACY = st.sampled_from(sorted(LEGACY_ASSET_IDS)).map(lambda asset_id: (asset_id, asset_id[1:]))
MODERN = (
    st.tuples(
        st.sampled_from(string.ascii_uppercase),
        st.text(string.ascii_uppercase + string.digits, min_size=2, max_size=5),
    )
    .map("".join)
    .filter(
        lambda name: (
            name not in RESERVED
            and name not in LEGACY_ASSET_IDS
            and f"X{name}" not in LEGACY_ASSET_IDS
            and f"Z{name}" not in LEGACY_ASSET_IDS
        )
    )
    .map(lambda name: (name, name))
)
assets = st.one_of(LEGACY, MODERN)  # (Kraken asset id, altname): legacy ids carry X/Z prefixes


def _pair(base: tuple[str, str], quote: tuple[str, str]) -> tuple[str, dict[str, Any]]:
    altname = base[1] + quote[1]
    legacy = base[0] in LEGACY_ASSET_IDS and quote[0] in LEGACY_ASSET_IDS
    pair_id = base[0] + quote[0] if legacy else altname
    return pair_id, {
        "altname": altname,
        "wsname": f"{base[1]}/{quote[1]}",
        "base": base[0],
        "quote": quote[0],
        "pair_decimals": 2,
        "lot_decimals": 8,
        "ordermin": "0.001",
        "costmin": "0.5",
        "tick_size": "0.01",
        "status": "online",
    }


def _canonical(altname: str) -> str:
    return ASSET_ALIASES.get(altname, altname)


@st.composite
def pair_tables(draw: st.DrawFn) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Distinct assets (by canonical code) combined into distinct base/quote pairs."""
    pool = draw(st.lists(assets, min_size=2, max_size=8, unique_by=lambda a: _canonical(a[1])))
    index = st.integers(min_value=0, max_value=len(pool) - 1)
    combos = draw(
        st.lists(
            st.tuples(index, index).filter(lambda t: t[0] != t[1]),
            min_size=1,
            max_size=10,
            unique=True,
        )
    )
    return [(pool[b], pool[q]) for b, q in combos]


@given(pair_tables())
def test_every_name_of_every_pair_maps_to_one_symbol_and_back(
    combos: list[tuple[tuple[str, str], tuple[str, str]]],
) -> None:
    table: dict[str, dict[str, Any]] = {}
    expected: dict[str, Symbol] = {}
    for base, quote in combos:
        pair_id, entry = _pair(base, quote)
        table[pair_id] = entry
        expected[pair_id] = Symbol(base=_canonical(base[1]), quote=_canonical(quote[1]))
    names = [n for e in table.values() for n in (e["altname"], e["wsname"])]
    all_names = list(table) + [n for n in names if n not in table]
    assume(len({n.upper() for n in all_names}) == len(all_names))
    symbols = KrakenSymbolMap(parse_asset_pairs(table))
    for pair_id, entry in table.items():
        symbol = expected[pair_id]
        assert symbols.market(symbol).pair_id == pair_id
        for name in (pair_id, entry["altname"], entry["wsname"]):
            assert symbols.symbol_for(name) == symbol
        assert symbols.asset_code(entry["base"]) == symbol.base
        assert symbols.asset_code(entry["quote"]) == symbol.quote


@given(assets, st.sampled_from([".S", ".M", ".F", ".B", ".T"]))
def test_balance_suffixes_map_to_the_base_asset(asset: tuple[str, str], suffix: str) -> None:
    symbols = KrakenSymbolMap([])
    assert symbols.asset_code(asset[1] + suffix) == _canonical(asset[1])
    assert symbols.asset_code(asset[0]) == _canonical(asset[1])
