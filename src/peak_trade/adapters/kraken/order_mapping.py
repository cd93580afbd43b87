"""Kraken order and trade JSON -> KrakenOrderResponse, KrakenOrderStatus, OrderState, Fill."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.adapters.kraken.mapping import timestamp
from peak_trade.adapters.venue_http.json_values import as_dict, as_list, dec, protocol_error
from peak_trade.domain.decimals import ZERO
from peak_trade.domain.orders import Fill, OrderSide, OrderState, OrderStatus, OrderType
from peak_trade.domain.symbols import Symbol


@attrs.frozen(kw_only=True)
class KrakenOrderResponse:
    """Parsed AddOrder answer: Kraken's order text and the txids (none when validate-only)."""

    description: str
    txids: tuple[str, ...] = ()

    @property
    def validated_only(self) -> bool:
        return not self.txids

    @classmethod
    def from_result(cls, result: object) -> KrakenOrderResponse:
        data = as_dict(result, "AddOrder", "result")
        descr = as_dict(data.get("descr", {}), "AddOrder", "descr")
        order_text = descr.get("order", "")
        if not isinstance(order_text, str):
            raise protocol_error("AddOrder", "descr.order is not a string", data)
        txids = data.get("txid", [])
        if isinstance(txids, str):
            txids = [txids]
        if not isinstance(txids, list) or not all(isinstance(t, str) and t for t in txids):
            raise protocol_error("AddOrder", "txid is not a list of strings", data)
        return cls(
            description=order_text,
            txids=tuple(txids),
        )


_SIDES = {"buy": OrderSide.BUY, "sell": OrderSide.SELL}


@attrs.frozen(kw_only=True)
class KrakenOrderStatus:
    """Parsed Kraken order object (QueryOrders, OpenOrders, ClosedOrders)."""

    txid: str
    status: str
    pair: str  # descr.pair: Kraken's altname
    side: OrderSide
    kraken_order_type: str
    volume: Decimal
    volume_executed: Decimal
    cost: Decimal
    fee: Decimal
    price: Decimal  # Kraken's average execution price ("0" before any fill)
    limit_price: Decimal | None
    oflags: tuple[str, ...]
    cl_ord_id: str | None
    opened: datetime | None
    closed: datetime | None
    reason: str
    trade_ids: tuple[str, ...]

    @classmethod
    def from_json(cls, txid: str, raw: object, endpoint: str = "QueryOrders") -> KrakenOrderStatus:
        order = as_dict(raw, endpoint, txid)
        descr = as_dict(order.get("descr", {}), endpoint, f"{txid}.descr")
        side = _SIDES.get(str(descr.get("type", "")))
        if side is None:
            raise protocol_error(endpoint, f"{txid}: descr.type is not buy/sell", order)
        status = order.get("status")
        if status not in ("pending", "open", "closed", "canceled", "expired"):
            raise protocol_error(endpoint, f"{txid}: unknown order status", order)
        limit = dec(descr.get("price", "0"), endpoint, f"{txid}.descr.price")
        trades = order.get("trades", [])
        cl_ord_id = order.get("cl_ord_id")
        return cls(
            txid=txid,
            status=str(status),
            pair=str(descr.get("pair", "")),
            side=side,
            kraken_order_type=str(descr.get("ordertype", "")),
            volume=dec(order.get("vol"), endpoint, f"{txid}.vol"),
            volume_executed=dec(order.get("vol_exec", "0"), endpoint, f"{txid}.vol_exec"),
            cost=dec(order.get("cost", "0"), endpoint, f"{txid}.cost"),
            fee=dec(order.get("fee", "0"), endpoint, f"{txid}.fee"),
            price=dec(order.get("price", "0"), endpoint, f"{txid}.price"),
            limit_price=limit if limit > 0 else None,
            oflags=tuple(f for f in str(order.get("oflags") or "").split(",") if f),
            cl_ord_id=str(cl_ord_id) if cl_ord_id else None,
            opened=_optional_time(order.get("opentm"), endpoint),
            closed=_optional_time(order.get("closetm"), endpoint),
            reason=str(order.get("reason") or ""),
            trade_ids=tuple(str(t) for t in as_list(trades, endpoint, f"{txid}.trades")),
        )

    def fee_currency(self, symbol: Symbol) -> str:
        """Fee asset: base with the fcib flag, else quote (fciq and Kraken's default)."""
        return symbol.base if "fcib" in self.oflags else symbol.quote

    def to_order_state(self, symbol: Symbol) -> OrderState:
        """The domain view: status incl. partial fills, canceled-with-partial and expired."""
        filled = min(self.volume_executed, self.volume)
        average = None
        if filled > 0:
            average = self.price if self.price > 0 else self.cost / self.volume_executed
        status = _status(self.status, filled, self.volume)
        reason = self.reason
        if self.status == "closed" and filled < self.volume and not reason:
            reason = "closed before the full volume executed"
        order_type = OrderType.MARKET
        if self.kraken_order_type == "limit" or (
            self.kraken_order_type != "market" and self.limit_price is not None
        ):
            order_type = OrderType.LIMIT
        return OrderState(
            order_id=self.txid,
            client_order_id=self.cl_ord_id,
            symbol=symbol,
            side=self.side,
            order_type=order_type,
            quantity=self.volume,
            limit_price=self.limit_price if order_type is OrderType.LIMIT else None,
            status=status,
            filled_quantity=filled,
            average_price=average,
            fee=self.fee,
            fee_currency=self.fee_currency(symbol),
            reason=reason,
        )


def _status(kraken_status: str, filled: Decimal, volume: Decimal) -> OrderStatus:
    if kraken_status in ("pending", "open"):
        if filled >= volume:
            return OrderStatus.FILLED
        return OrderStatus.PARTIALLY_FILLED if filled > ZERO else OrderStatus.OPEN
    if kraken_status == "closed":
        return OrderStatus.FILLED if filled >= volume else OrderStatus.CANCELLED
    if kraken_status == "expired":
        return OrderStatus.EXPIRED
    return OrderStatus.CANCELLED


def _optional_time(value: object, endpoint: str) -> datetime | None:
    if value in (None, 0, "0", ""):
        return None
    return timestamp(value, endpoint, "order time")


def parse_orders(result: object, endpoint: str, key: str | None = None) -> list[KrakenOrderStatus]:
    """Orders keyed by txid, optionally nested under `key` ("open" / "closed")."""
    data = as_dict(result, endpoint, "result")
    if key is not None:
        data = as_dict(data.get(key, {}), endpoint, key)
    return [KrakenOrderStatus.from_json(txid, raw, endpoint) for txid, raw in data.items()]


def parse_trades(result: object, endpoint: str, key: str | None = None) -> dict[str, object]:
    """Trades keyed by trade txid, optionally nested under `key` ("trades")."""
    data = as_dict(result, endpoint, "result")
    if key is not None:
        data = as_dict(data.get(key, {}), endpoint, key)
    return dict(data)


def trade_order_id(raw: object, endpoint: str) -> str:
    return str(as_dict(raw, endpoint, "trade").get("ordertxid", ""))


def trade_to_fill(
    trade_id: str, raw: object, symbol: Symbol, fee_currency: str, endpoint: str
) -> Fill:
    """One Kraken trade object -> Fill."""
    trade = as_dict(raw, endpoint, trade_id)
    side = _SIDES.get(str(trade.get("type", "")))
    if side is None:
        raise protocol_error(endpoint, f"{trade_id}: type is not buy/sell", trade)
    try:
        return Fill(
            order_id=str(trade.get("ordertxid", "")),
            trade_id=trade_id,
            symbol=symbol,
            side=side,
            quantity=dec(trade.get("vol"), endpoint, f"{trade_id}.vol"),
            price=dec(trade.get("price"), endpoint, f"{trade_id}.price"),
            fee=dec(trade.get("fee", "0"), endpoint, f"{trade_id}.fee"),
            fee_currency=fee_currency,
            time=timestamp(trade.get("time"), endpoint, f"{trade_id}.time"),
        )
    except ValueError as exc:
        raise protocol_error(endpoint, f"{trade_id}: {exc}", trade) from None
