"""Binance symbols <-> canonical symbols, from exchangeInfo's baseAsset/quoteAsset (never split).

`BTCUSDT` is BTC/USDT because exchangeInfo says so; splitting names fails on `BTCTUSD`
(BTC/TUSD, not BTCT/USD), `BETHETH` (BETH/ETH), `1000SATSUSDT` (1000SATS/USDT) and the
testnet's `这是测试币456` (这是测试币/456). Markets whose asset codes are not canonical codes
(non-ASCII) stay reachable by venue name but map to no Symbol.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable

import attrs

from peak_trade.adapters.binance.errors import BinanceUnknownSymbolError
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.symbols import Symbol

log = logging.getLogger(__name__)


@attrs.frozen(kw_only=True, cache_hash=True)
class BinanceMarket:
    """One exchangeInfo symbol, reduced to what the adapter needs."""

    name: str  # Binance's symbol, e.g. BTCUSDT
    base_asset: str
    quote_asset: str
    status: str  # TRADING, BREAK, HALT, END_OF_DAY, CANCEL_ONLY, ...
    symbol: Symbol | None  # None when the asset codes are not canonical (e.g. non-ASCII)
    rules: InstrumentRules | None  # None exactly when symbol is None
    base_precision: int = 8
    quote_precision: int = 8


def canonical_symbol(base_asset: str, quote_asset: str) -> Symbol | None:
    """Symbol(base, quote) when both are canonical asset codes, else None."""
    try:
        return Symbol(base=base_asset.upper(), quote=quote_asset.upper())
    except ValueError:
        return None


class BinanceSymbolMap:
    """Both directions between canonical symbols and Binance markets, from one exchangeInfo."""

    def __init__(self, markets: Iterable[BinanceMarket], *, weight_limit: int | None = None):
        self.weight_limit = weight_limit
        self._by_symbol: dict[Symbol, BinanceMarket] = {}
        self._by_name: dict[str, BinanceMarket] = {}
        self._by_assets: dict[tuple[str, str], BinanceMarket] = {}
        for market in markets:
            self._by_name[market.name] = market
            self._by_assets[(market.base_asset, market.quote_asset)] = market
            if market.symbol is not None:
                self._by_symbol[market.symbol] = market
            else:
                log.debug("Binance market %r has no canonical symbol; kept by name", market.name)

    def market(self, symbol: Symbol) -> BinanceMarket:
        """The market for a canonical symbol, or UnknownSymbolError naming close matches."""
        found = self._by_symbol.get(symbol)
        if found is None:
            known = [str(s) for s in self._by_symbol]
            close = tuple(difflib.get_close_matches(str(symbol), known, n=5, cutoff=0.6))
            hint = f"; close matches: {', '.join(close)}" if close else ""
            raise BinanceUnknownSymbolError(
                f"Binance lists no market {symbol} ({len(known)} markets known){hint}",
                suggestions=close,
            )
        return found

    def market_by_name(self, name: str) -> BinanceMarket:
        """The market for Binance's own symbol name (case-sensitive, as Binance spells it)."""
        found = self._by_name.get(name)
        if found is None:
            close = tuple(difflib.get_close_matches(name, list(self._by_name), n=5))
            raise BinanceUnknownSymbolError(
                f"Binance symbol {name!r} is not in exchangeInfo", suggestions=close
            )
        return found

    def market_for_assets(self, base_asset: str, quote_asset: str) -> BinanceMarket | None:
        """The market trading `base_asset` against `quote_asset`, if Binance lists one."""
        return self._by_assets.get((base_asset, quote_asset))

    def symbol_for(self, name: str) -> Symbol:
        """The canonical symbol of a Binance symbol name (UnknownSymbolError if it has none)."""
        market = self.market_by_name(name)
        if market.symbol is None:
            raise BinanceUnknownSymbolError(
                f"Binance symbol {name!r} ({market.base_asset}/{market.quote_asset}) has no "
                "canonical symbol"
            )
        return market.symbol
