"""Kraken pair and asset names <-> canonical symbols, built from AssetPairs (never guessed)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from peak_trade.adapters.kraken.errors import KrakenUnknownSymbolError
from peak_trade.domain.symbols import Symbol

# Kraken's ISO-4217-style codes and their common names.
ASSET_ALIASES: Mapping[str, str] = {"XBT": "BTC", "XDG": "DOGE"}
# Legacy 4-character asset ids carry an X (crypto) or Z (fiat) prefix; newer ids have none.
LEGACY_ASSET_IDS = frozenset(
    {
        "XXBT", "XETH", "XLTC", "XXRP", "XXLM", "XXMR", "XZEC", "XETC", "XMLN", "XREP",
        "XXDG", "XXTZ", "XICN", "XDAO", "XNMC", "XXVN",
        "ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "ZAUD", "ZCHF", "ZKRW",
    }
)  # fmt: skip
# Read-only balance variants (staked, opt-in rewards, auto earn, yield-bearing, tokenized).
BALANCE_SUFFIXES = (".S", ".M", ".F", ".B", ".T")


def canonical_asset(code: str) -> str:
    """Kraken asset id, altname or balance key -> canonical code (XXBT, XBT, XBT.M -> BTC)."""
    text = code.strip().upper()
    for suffix in BALANCE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    if text in LEGACY_ASSET_IDS:
        text = text[1:]
    return ASSET_ALIASES.get(text, text)


@attrs.frozen(kw_only=True, cache_hash=True)
class KrakenMarket:
    """One AssetPairs entry, reduced to what the adapter needs."""

    pair_id: str
    altname: str
    wsname: str
    base_id: str
    quote_id: str
    symbol: Symbol
    pair_decimals: int
    lot_decimals: int
    tick_size: Decimal
    ordermin: Decimal
    costmin: Decimal
    status: str
    aclass_base: str = "currency"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name Kraken uses for this market (pair id, altname, wsname)."""
        return tuple(n for n in (self.pair_id, self.altname, self.wsname) if n)


class KrakenSymbolMap:
    """Both directions between canonical symbols and Kraken markets, from one AssetPairs table."""

    def __init__(self, markets: Iterable[KrakenMarket], *, source: str = "") -> None:
        self.source = source
        self._by_symbol: dict[Symbol, KrakenMarket] = {}
        self._by_name: dict[str, KrakenMarket] = {}
        self._assets: dict[str, str] = {}
        for market in sorted(markets, key=_preference):
            self._by_symbol.setdefault(market.symbol, market)
            for name in market.names:
                self._by_name.setdefault(name.upper(), market)
            self._assets.setdefault(market.base_id.upper(), market.symbol.base)
            self._assets.setdefault(market.quote_id.upper(), market.symbol.quote)
            if market.wsname.count("/") == 1:
                ws_base, ws_quote = market.wsname.upper().split("/")
                self._assets.setdefault(ws_base, market.symbol.base)
                self._assets.setdefault(ws_quote, market.symbol.quote)

    def market(self, symbol: Symbol) -> KrakenMarket:
        """The market for a canonical symbol (XBT/EUR is read as BTC/EUR) or UnknownSymbolError."""
        direct = self._by_symbol.get(symbol)
        if direct is not None:
            return direct
        wanted = Symbol(base=canonical_asset(symbol.base), quote=canonical_asset(symbol.quote))
        found = self._by_symbol.get(wanted)
        if found is None:
            known = [str(s) for s in self._by_symbol]
            close = tuple(difflib.get_close_matches(str(wanted), known, n=5, cutoff=0.6))
            hint = f"; close matches: {', '.join(close)}" if close else ""
            raise KrakenUnknownSymbolError(
                f"Kraken lists no market {wanted} ({len(known)} markets known){hint}",
                suggestions=close,
            )
        return found

    def market_by_name(self, name: str) -> KrakenMarket:
        """The market for a pair id, altname or wsname (orders use altnames, trades pair ids)."""
        found = self._by_name.get(name.strip().upper())
        if found is None:
            close = tuple(difflib.get_close_matches(name.upper(), list(self._by_name), n=5))
            raise KrakenUnknownSymbolError(
                f"Kraken pair name {name!r} is not in AssetPairs", suggestions=close
            )
        return found

    def symbol_for(self, name: str) -> Symbol:
        return self.market_by_name(name).symbol

    def asset_code(self, kraken_asset: str) -> str:
        """Canonical code of a Kraken asset id or balance key, learned from AssetPairs first."""
        text = kraken_asset.strip().upper()
        base = text
        for suffix in BALANCE_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                base = text[: -len(suffix)]
                break
        learned = self._assets.get(base)
        return learned if learned is not None else canonical_asset(base)


def _preference(market: KrakenMarket) -> tuple[int, int, str]:
    """Spot currency pairs first, online first, then by pair id (deterministic)."""
    return (
        0 if market.aclass_base == "currency" else 1,
        0 if market.status == "online" else 1,
        market.pair_id,
    )
