"""Commissions in a third asset (BNB) valued in the quote currency, and the record of it.

Binance takes the commission from what the order receives (base on buys, quote on sells)
unless the account pays fees in BNB. The ledger books fees in base or quote only
(`Fill.fee_in_quote`), so a BNB commission is valued at Binance's own last price - through
the BNB/<quote> market, else <quote>/BNB, else BNB/<base> times the fill price. The Fill books
that value in the quote currency and carries what was really charged (`Fill.charged`: asset,
amount, rate); the FeeConversion adds the route and the pricing time. A conversion is made
once per trade and reused, so a fill's fee never changes between reads. Without any route the
fill is booked with fee 0 and `charged.rate` is None.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.adapters.binance.symbols import BinanceMarket, BinanceSymbolMap
from peak_trade.domain.orders import ChargedFee
from peak_trade.domain.symbols import Symbol

log = logging.getLogger(__name__)

PriceOf = Callable[[BinanceMarket], Decimal]


@attrs.frozen(kw_only=True)
class FeeConversion:
    """A commission paid in `asset`, booked as `quote_amount` of the fill's quote currency."""

    order_id: str
    trade_id: str
    asset: str
    amount: Decimal
    quote: str
    quote_amount: Decimal | None  # None: no market to value `asset` in `quote`; booked as 0
    rate: Decimal | None  # quote per 1 `asset`
    route: str  # the market(s) used, e.g. "BNBUSDT" or "BNBBTC x fill price"
    priced_at: datetime

    @property
    def charged(self) -> ChargedFee:
        """What the Fill records as really charged (its `fee` is the value in quote)."""
        return ChargedFee(asset=self.asset, amount=self.amount, rate=self.rate)

    def as_log_fields(self) -> dict[str, str]:
        """JSON-ready fields for a run-log event (Decimals as strings)."""
        return {
            "order_id": self.order_id,
            "trade_id": self.trade_id,
            "fee_asset": self.asset,
            "fee_amount": str(self.amount),
            "fee_quote_currency": self.quote,
            "fee_in_quote": "" if self.quote_amount is None else str(self.quote_amount),
            "rate": "" if self.rate is None else str(self.rate),
            "route": self.route,
            "priced_at": self.priced_at.isoformat(),
        }


class FeeBook:
    """Converts third-asset commissions once per trade and remembers every conversion."""

    def __init__(self, price_of: PriceOf) -> None:
        self._price_of = price_of
        # (symbol, order id, trade id): Binance numbers orders and trades per symbol
        self._conversions: dict[tuple[Symbol, str, str], FeeConversion] = {}

    def conversions(self, symbol: Symbol, order_id: str) -> tuple[FeeConversion, ...]:
        """Every conversion made for the fills of one order, oldest trade first."""
        return tuple(
            c for (s, oid, _), c in self._conversions.items() if s == symbol and oid == order_id
        )

    def convert(
        self,
        *,
        order_id: str,
        trade_id: str,
        asset: str,
        amount: Decimal,
        symbol: Symbol,
        fill_price: Decimal,
        markets: BinanceSymbolMap,
        now: datetime,
    ) -> FeeConversion:
        """The (cached) conversion of one trade's commission into `symbol.quote`."""
        key = (symbol, order_id, trade_id)
        cached = self._conversions.get(key)
        if cached is not None:
            return cached
        rate, route = self._rate(asset, symbol, fill_price, markets)
        conversion = FeeConversion(
            order_id=order_id,
            trade_id=trade_id,
            asset=asset,
            amount=amount,
            quote=symbol.quote,
            quote_amount=None if rate is None else amount * rate,
            rate=rate,
            route=route,
            priced_at=now,
        )
        if rate is None:
            log.warning(
                "Binance trade %s: commission %s %s cannot be valued in %s; booked as 0",
                trade_id, amount, asset, symbol.quote,
            )  # fmt: skip
        else:
            log.info(
                "Binance trade %s: commission %s %s booked as %s %s (%s)",
                trade_id, amount, asset, conversion.quote_amount, symbol.quote, route,
            )  # fmt: skip
        self._conversions[key] = conversion
        return conversion

    def _rate(
        self, asset: str, symbol: Symbol, fill_price: Decimal, markets: BinanceSymbolMap
    ) -> tuple[Decimal | None, str]:
        direct = markets.market_for_assets(asset, symbol.quote)
        if direct is not None:
            return self._price_of(direct), direct.name
        inverse = markets.market_for_assets(symbol.quote, asset)
        if inverse is not None:
            price = self._price_of(inverse)
            if price > 0:
                return 1 / price, f"1 / {inverse.name}"
        via_base = markets.market_for_assets(asset, symbol.base)
        if via_base is not None:
            return self._price_of(via_base) * fill_price, f"{via_base.name} x fill price"
        return None, "no market"
