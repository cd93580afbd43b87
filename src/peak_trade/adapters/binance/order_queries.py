"""Reading Binance orders: status, lookup by client id, fills, open orders, cancels.

`find` asks Binance afresh on every call (never a cached "not found"): an order whose outcome
was UNKNOWN may appear later. An order id this client saw Binance accept that now answers
-2013 is reported with `placed_here=True`: the Spot Testnet was probably reset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from peak_trade.adapters.binance.client_ids import wire_client_id
from peak_trade.adapters.binance.errors import BinanceCancelRejectedError, BinanceOrderNotFoundError
from peak_trade.adapters.binance.fees import FeeBook
from peak_trade.adapters.binance.order_mapping import (
    WORKING,
    BinanceOrder,
    BinanceTrade,
    parse_trade,
    trade_to_fill,
)
from peak_trade.adapters.binance.symbols import BinanceMarket, BinanceSymbolMap
from peak_trade.adapters.binance.transport import BinanceTransport, Request
from peak_trade.adapters.venue_http.json_values import as_list
from peak_trade.domain.decimals import ZERO
from peak_trade.domain.orders import Fill, OrderState
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.clock import ClockPort

log = logging.getLogger(__name__)

ORDER = "/api/v3/order"
MY_TRADES = "/api/v3/myTrades"
OPEN_ORDERS = "/api/v3/openOrders"
TRADES_LIMIT = 1000
QUERY_WEIGHT, CANCEL_WEIGHT, TRADES_WEIGHT, OPEN_ORDERS_WEIGHT = 4, 1, 5, 6


class BinanceOrderQueries:
    """Order state, fills and cancels; remembers our client ids and the orders accepted here."""

    def __init__(
        self,
        transport: BinanceTransport,
        clock: ClockPort,
        *,
        markets: Callable[[], BinanceSymbolMap],
        fees: FeeBook,
    ) -> None:
        self._transport = transport
        self._clock = clock
        self._markets = markets
        self._fees = fees
        self._client_ids: dict[str, str] = {}  # wire newClientOrderId -> caller's id
        self._accepted: set[tuple[str, str]] = set()  # (symbol, order id) Binance accepted here
        self._fills: dict[tuple[str, str], tuple[Decimal, tuple[Fill, ...]]] = {}
        self._final: set[tuple[str, str]] = set()  # orders whose cached fills can never change

    def remember_client_id(self, wire_cid: str, client_order_id: str) -> None:
        """Report `client_order_id` wherever Binance shows `wire_cid`."""
        self._client_ids[wire_cid] = client_order_id

    def remember_accepted(self, market: BinanceMarket, order_id: str) -> None:
        """Binance accepted this order here (its later -2013 then means a testnet reset)."""
        self._accepted.add((market.name, order_id))

    def status(self, market: BinanceMarket, order_id: str) -> OrderState:
        """GET /api/v3/order by order id (plus myTrades for the fee once something executed)."""
        order = self._query(market, [("orderId", _numeric_id(market, order_id))])
        return self._state(market, order)

    def find(self, market: BinanceMarket, client_order_id: str) -> OrderState | None:
        """GET /api/v3/order by client order id; None on -2013. Asks afresh every time."""
        wire_cid = wire_client_id(client_order_id)
        self.remember_client_id(wire_cid, client_order_id)
        try:
            order = self._query(market, [("origClientOrderId", wire_cid)])
        except BinanceOrderNotFoundError:
            return None
        return self._state(market, order)

    def fills(self, market: BinanceMarket, order_id: str) -> tuple[Fill, ...]:
        """Every fill of one order (myTrades by orderId), oldest first.

        Without `fromId` Binance returns the most recent trades only; when that first page is
        full, the order's trades are read again from the oldest (fromId 0) page by page.
        """
        numeric = _numeric_id(market, order_id)
        key = (market.name, numeric)
        if key in self._final:  # a final order's trades are settled: read once is enough
            return self._fills[key][1]
        symbol = _symbol(market)
        trades = self._trades_page(market, numeric, None)
        if len(trades) >= TRADES_LIMIT:
            trades, from_id = [], 0
            while True:
                page = self._trades_page(market, numeric, from_id)
                trades.extend(page)
                if len(page) < TRADES_LIMIT:
                    break
                from_id = int(page[-1].trade_id) + 1
        if not trades:
            self._query(market, [("orderId", numeric)])  # an unknown order id raises here
        now = self._clock.now()
        fills = {t.trade_id: self._fill(t, symbol, market, now) for t in trades}
        return tuple(sorted(fills.values(), key=lambda f: (f.time, int(f.trade_id))))

    def _trades_page(
        self, market: BinanceMarket, order_id: str, from_id: int | None
    ) -> list[BinanceTrade]:
        params = [("symbol", market.name), ("orderId", order_id), ("limit", str(TRADES_LIMIT))]
        if from_id is not None:
            params.append(("fromId", str(from_id)))
        request = Request(
            method="GET",
            path=MY_TRADES,
            params=tuple(params),
            signed=True,
            weight=TRADES_WEIGHT,
        )
        rows = as_list(self._transport.call(request), request.endpoint, "answer")
        page = [parse_trade(row, request.endpoint) for row in rows]
        return [t for t in page if t.order_id == order_id]

    def open_orders(self, market: BinanceMarket) -> tuple[OrderState, ...]:
        """The account's open orders on this market (GET /api/v3/openOrders?symbol=)."""
        request = Request(
            method="GET",
            path=OPEN_ORDERS,
            params=(("symbol", market.name),),
            signed=True,
            weight=OPEN_ORDERS_WEIGHT,
        )
        rows = as_list(self._transport.call(request), request.endpoint, "answer")
        return tuple(
            self._state(market, BinanceOrder.from_json(row, request.endpoint)) for row in rows
        )

    def cancel(self, market: BinanceMarket, order_id: str) -> OrderState:
        """DELETE /api/v3/order; -2011 (already final or unknown) returns the order's state."""
        numeric = _numeric_id(market, order_id)
        request = Request(
            method="DELETE",
            path=ORDER,
            params=(("symbol", market.name), ("orderId", numeric)),
            signed=True,
            weight=CANCEL_WEIGHT,
        )
        try:
            cancelled = BinanceOrder.from_json(
                self._transport.call(request), request.endpoint, cancel=True
            )
        except BinanceCancelRejectedError as exc:
            log.info("Binance cancel of %s: %s (reading its state)", order_id, exc)
            return self.status(market, order_id)
        return self._state(market, cancelled)

    def _query(self, market: BinanceMarket, by: list[tuple[str, str]]) -> BinanceOrder:
        request = Request(
            method="GET",
            path=ORDER,
            params=(("symbol", market.name), *by),
            signed=True,
            weight=QUERY_WEIGHT,
        )
        try:
            return BinanceOrder.from_json(self._transport.call(request), request.endpoint)
        except BinanceOrderNotFoundError as exc:
            key, value = by[0]
            if key == "orderId" and (market.name, value) in self._accepted:
                raise BinanceOrderNotFoundError(
                    f"{exc}; Binance accepted order {value} earlier in this session, so the "
                    "Spot Testnet was probably reset (it erases all orders about monthly)",
                    endpoint=exc.endpoint,
                    venue_codes=exc.venue_codes,
                    placed_here=True,
                ) from exc
            raise

    def _state(self, market: BinanceMarket, order: BinanceOrder) -> OrderState:
        symbol = _symbol(market)
        cid = self._client_ids.get(order.client_order_id, order.client_order_id)
        fee, currency = ZERO, ""
        if order.executed_qty > 0:
            fee, currency = _total_fee(self._cached_fills(market, order), symbol)
            key = (market.name, str(order.order_id))
            cached = self._fills.get(key)
            if order.status not in WORKING and cached and cached[0] == order.executed_qty:
                self._final.add(key)
        return order.to_order_state(symbol, cid, fee=fee, fee_currency=currency)

    def _cached_fills(self, market: BinanceMarket, order: BinanceOrder) -> tuple[Fill, ...]:
        """The order's fills, fetched again only when its executed quantity changed."""
        key = (market.name, str(order.order_id))
        cached = self._fills.get(key)
        if cached is not None and cached[0] == order.executed_qty:
            return cached[1]
        fills = self.fills(market, str(order.order_id))
        if sum((f.quantity for f in fills), ZERO) == order.executed_qty:
            self._fills[key] = (order.executed_qty, fills)
        return fills

    def _fill(
        self, trade: BinanceTrade, symbol: Symbol, market: BinanceMarket, now: datetime
    ) -> Fill:
        endpoint = f"GET {MY_TRADES}"
        if trade.commission_asset in ("", symbol.base, symbol.quote) or trade.commission == 0:
            return trade_to_fill(trade, symbol, endpoint)
        conversion = self._fees.convert(
            order_id=trade.order_id,
            trade_id=trade.trade_id,
            asset=trade.commission_asset,
            amount=trade.commission,
            symbol=symbol,
            fill_price=trade.price,
            markets=self._markets(),
            now=now,
        )
        return trade_to_fill(trade, symbol, endpoint, charged=conversion.charged)


def _total_fee(fills: tuple[Fill, ...], symbol: Symbol) -> tuple[Decimal, str]:
    """Fees of all fills in one currency: theirs when they agree, else valued in quote."""
    if not fills:
        return ZERO, ""
    currencies = {f.fee_currency for f in fills}
    if len(currencies) == 1:
        return sum((f.fee for f in fills), ZERO), currencies.pop()
    return sum((f.fee_in_quote for f in fills), ZERO), symbol.quote


def _symbol(market: BinanceMarket) -> Symbol:
    assert market.symbol is not None
    return market.symbol


def _numeric_id(market: BinanceMarket, order_id: str) -> str:
    """Binance order ids are integers per symbol; anything else cannot exist there."""
    text = order_id.strip()
    if not text.isdigit() or not text.isascii():
        raise BinanceOrderNotFoundError(
            f"{order_id!r} is not a Binance order id (ids are integers per symbol)",
            endpoint=f"{market.name}",
        )
    return text
