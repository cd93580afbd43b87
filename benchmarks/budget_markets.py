"""The markets of the API-budget benchmark: N EUR pairs the loopback Kraken server lists.

The server's bundled AssetPairs snapshot has five EUR pairs; a 20-symbol portfolio needs more,
so further EUR pairs are cloned from SOL/EUR's entry (same lot, tick and minimums) under real
asset codes. The loopback market prices a pair it has no base price for at 100 EUR.
"""

from __future__ import annotations

import copy
from typing import Any

BUNDLED = {"BTC/EUR": "XXBTZEUR", "ETH/EUR": "XETHZEUR", "SOL/EUR": "SOLEUR"}
CLONED = (
    "ADA",
    "DOT",
    "LINK",
    "LTC",
    "XRP",
    "ATOM",
    "AVAX",
    "UNI",
    "AAVE",
    "ALGO",
    "FIL",
    "NEAR",
    "TRX",
    "XLM",
    "ETC",
    "BCH",
    "MANA",
)
TEMPLATE_PAIR = "SOLEUR"


def budget_symbols(count: int) -> list[str]:
    """The first `count` symbols (BTC/EUR first, as in the single-symbol run)."""
    names = [*BUNDLED, *(f"{base}/EUR" for base in CLONED)]
    if not 1 <= count <= len(names):
        raise ValueError(f"the budget benchmark has 1..{len(names)} symbols, not {count}")
    return names[:count]


def extra_pairs(template: dict[str, Any]) -> dict[str, Any]:
    """AssetPairs entries for the cloned symbols, built from the server's `template` entry."""
    pairs: dict[str, Any] = {}
    for base in CLONED:
        entry = copy.deepcopy(template)
        entry.update(altname=f"{base}EUR", wsname=f"{base}/EUR", base=base, quote="ZEUR")
        pairs[f"{base}EUR"] = entry
    return pairs
