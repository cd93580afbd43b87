"""Binance order and trade JSON -> BinanceOrder, OrderState and Fill.

Statuses: NEW / PENDING_NEW -> OPEN, PARTIALLY_FILLED, FILLED, CANCELED (and the unused
PENDING_CANCEL, treated as still working) -> CANCELLED, REJECTED, EXPIRED and EXPIRED_IN_MATCH
(self-trade prevention) -> EXPIRED. An EXPIRED order with executedQty > 0 - a testnet MARKET
order that ran out of book - is a partial fill, not an error: its fills are real.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from peak_trade.adapters.binance.market_data import ms_time
from peak_trade.adapters.venue_http.json_values import as_dict, dec, integer, protocol_error, text
from peak_trade.domain.decimals import ZERO
from peak_trade.domain.orders import (
    ChargedFee,
    Fill,
    OrderSide,
    OrderState,
    OrderStatus,
    OrderType,
)
from peak_trade.domain.symbols import Symbol

_SIDES = {"BUY": OrderSide.BUY, "SELL": OrderSide.SELL}
_FINAL = {
    "CANCELED": OrderStatus.CANCELLED,
    "REJECTED": OrderStatus.REJECTED,
    "EXPIRED": OrderStatus.EXPIRED,
    "EXPIRED_IN_MATCH": OrderStatus.EXPIRED,
}
WORKING = frozenset({"NEW", "PENDING_NEW", "PARTIALLY_FILLED", "PENDING_CANCEL"})


@attrs.frozen(kw_only=True)
class BinanceOrder:
    """One order as Binance reports it (new-order, query, cancel and openOrders answers)."""

    symbol_name: str
    order_id: int
    client_order_id: str
    side: OrderSide
    binance_type: str  # MARKET, LIMIT, ...
    status: str
    orig_qty: Decimal
    executed_qty: Decimal
    cumulative_quote: Decimal | None  # None when Binance reports a negative value (no data)
    price: Decimal
    expiry_reason: str = ""

    @classmethod
    def from_json(cls, raw: object, endpoint: str, *, cancel: bool = False) -> BinanceOrder:
        """Parse an order object; a cancel answer names the order's id `origClientOrderId`."""
        order = as_dict(raw, endpoint, "order")
        side = _SIDES.get(str(order.get("side")))
        if side is None:
            raise protocol_error(endpoint, "side is not BUY/SELL", order)
        id_key = "origClientOrderId" if cancel and "origClientOrderId" in order else "clientOrderId"
        quote = order.get("cummulativeQuoteQty")  # sic: Binance's spelling
        cumulative = dec(quote, endpoint, "cummulativeQuoteQty") if quote is not None else None
        return cls(
            symbol_name=text(order.get("symbol"), endpoint, "symbol"),
            order_id=integer(order.get("orderId"), endpoint, "orderId"),
            client_order_id=text(order.get(id_key, ""), endpoint, id_key),
            side=side,
            binance_type=text(order.get("type"), endpoint, "type"),
            status=text(order.get("status"), endpoint, "status"),
            orig_qty=dec(order.get("origQty"), endpoint, "origQty"),
            executed_qty=dec(order.get("executedQty"), endpoint, "executedQty"),
            cumulative_quote=cumulative if cumulative is None or cumulative >= 0 else None,
            price=dec(order.get("price", "0"), endpoint, "price"),
            expiry_reason=str(order.get("expiryReason") or ""),
        )

    @property
    def average_price(self) -> Decimal | None:
        if self.executed_qty <= 0 or self.cumulative_quote is None:
            return None
        return self.cumulative_quote / self.executed_qty

    def to_order_state(
        self, symbol: Symbol, client_order_id: str, *, fee: Decimal = ZERO, fee_currency: str = ""
    ) -> OrderState:
        """The domain view; `client_order_id` is the caller's id the wire id was derived from."""
        filled = min(self.executed_qty, self.orig_qty)
        order_type = OrderType.LIMIT if self.binance_type == "LIMIT" else OrderType.MARKET
        reason = ""
        if self.status in ("EXPIRED", "EXPIRED_IN_MATCH"):
            reason = self.expiry_reason or self.status.lower()
            if filled > 0:
                reason += f"; partially filled {filled} of {self.orig_qty}"
        return OrderState(
            order_id=str(self.order_id),
            client_order_id=client_order_id,
            symbol=symbol,
            side=self.side,
            order_type=order_type,
            quantity=self.orig_qty,
            limit_price=self.price if order_type is OrderType.LIMIT else None,
            status=_status(self.status, filled, self.orig_qty),
            filled_quantity=filled,
            average_price=self.average_price,
            fee=fee,
            fee_currency=fee_currency,
            reason=reason,
        )


def _status(binance_status: str, filled: Decimal, quantity: Decimal) -> OrderStatus:
    if binance_status == "FILLED" or (binance_status in WORKING and filled >= quantity):
        return OrderStatus.FILLED
    if binance_status in WORKING:
        return OrderStatus.PARTIALLY_FILLED if filled > 0 else OrderStatus.OPEN
    if binance_status in _FINAL:
        return _FINAL[binance_status]
    raise protocol_error("order", f"unknown Binance order status {binance_status!r}")


@attrs.frozen(kw_only=True)
class BinanceTrade:
    """One row of myTrades (or of a FULL answer's `fills`)."""

    trade_id: str
    order_id: str
    price: Decimal
    quantity: Decimal
    commission: Decimal
    commission_asset: str
    time_ms: int
    side: OrderSide


def parse_trade(raw: object, endpoint: str) -> BinanceTrade:
    """A myTrades row -> BinanceTrade."""
    trade = as_dict(raw, endpoint, "trade")
    return BinanceTrade(
        trade_id=str(integer(trade.get("id"), endpoint, "id")),
        order_id=str(integer(trade.get("orderId"), endpoint, "orderId")),
        price=dec(trade.get("price"), endpoint, "price"),
        quantity=dec(trade.get("qty"), endpoint, "qty"),
        commission=dec(trade.get("commission", "0"), endpoint, "commission"),
        commission_asset=str(trade.get("commissionAsset") or ""),
        time_ms=integer(trade.get("time"), endpoint, "time"),
        side=OrderSide.BUY if trade.get("isBuyer") is True else OrderSide.SELL,
    )


def trade_to_fill(
    trade: BinanceTrade, symbol: Symbol, endpoint: str, *, charged: ChargedFee | None = None
) -> Fill:
    """One trade -> Fill. A commission in a third asset (BNB) comes in as `charged`, already
    priced: the Fill books its value in the quote currency and keeps what was charged."""
    fee, currency = trade.commission, trade.commission_asset or symbol.quote
    if charged is not None or currency not in (symbol.base, symbol.quote):
        if charged is None and fee != 0:
            raise protocol_error(
                endpoint, f"trade {trade.trade_id}: commission in {currency!r} was not valued"
            )
        fee, currency = (charged.quote_value if charged else fee), symbol.quote
    try:
        return Fill(
            order_id=trade.order_id,
            trade_id=trade.trade_id,
            symbol=symbol,
            side=trade.side,
            quantity=trade.quantity,
            price=trade.price,
            fee=fee,
            fee_currency=currency,
            time=ms_time(trade.time_ms, endpoint, "time"),
            charged=charged,
        )
    except ValueError as exc:
        raise protocol_error(
            endpoint, f"trade {trade.trade_id}: {exc}", attrs.asdict(trade)
        ) from None
