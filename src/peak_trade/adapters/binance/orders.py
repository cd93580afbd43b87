"""Placing orders on Binance: POST /api/v3/order (executing) or /api/v3/order/test.

An executing `POST /api/v3/order` is sent once. Its answer decides:
- 200 -> ACCEPTED with the order id (the FULL answer also carries status and fills);
- a documented rejection (-1013, -2010, -11xx) -> REJECTED with the closest reason code, except
  -2010 "Duplicate order sent.": the client id is looked up - it may be our own earlier attempt,
  which is then followed as ACCEPTED;
- auth (-1022, -2014, -2015) and -1021 after one resync -> raised: refused before processing;
- a refused connection -> retried (nothing left), then raised;
- anything else (timeout, dropped connection, 5xx, -1000/-1001/-1006/-1007/-1008, HTML or
  broken JSON, 429/418, an unknown code) -> UNKNOWN, never resent: find_order resolves it.
`POST /api/v3/order/test` (validate-only) is safe to repeat and answers VALIDATED.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

import attrs

from peak_trade.adapters.binance.client_ids import wire_client_id
from peak_trade.adapters.binance.errors import (
    BinanceOrderRejectedError,
    BinanceUnknownSymbolError,
)
from peak_trade.adapters.binance.exchange_info import decimals_of
from peak_trade.adapters.binance.order_mapping import BinanceOrder
from peak_trade.adapters.binance.order_queries import BinanceOrderQueries
from peak_trade.adapters.binance.symbols import BinanceMarket, BinanceSymbolMap
from peak_trade.adapters.binance.transport import BinanceTransport, Request
from peak_trade.adapters.venue_http.errors import ExchangeAPIError
from peak_trade.adapters.venue_http.json_values import as_dict, integer
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.instruments import InstrumentRules, TradingStatus
from peak_trade.domain.market import Ticker
from peak_trade.domain.orders import (
    AckStatus,
    OrderAck,
    OrderRequest,
    OrderSide,
    OrderType,
    RejectReason,
)

log = logging.getLogger(__name__)

ORDER = "/api/v3/order"
ORDER_TEST = "/api/v3/order/test"
ORDER_WEIGHT = 1  # the same for /order/test (without computeCommissionRates)
_SIDE = {OrderSide.BUY: "BUY", OrderSide.SELL: "SELL"}


def wire_quantity(value: Decimal, step: Decimal) -> str:
    """Plain decimal text at the step's precision: never an exponent, never padding."""
    return format_decimal(value.quantize(Decimal(1).scaleb(-decimals_of(step))))


class BinanceOrderDesk:
    """Places orders (executing or test), each sent at most once when it could execute."""

    def __init__(
        self,
        transport: BinanceTransport,
        queries: BinanceOrderQueries,
        *,
        validate_only: bool,
        markets: Callable[[], BinanceSymbolMap],
        ticker: Callable[[BinanceMarket], Ticker],
    ) -> None:
        self._transport = transport
        self._queries = queries
        self._validate_only = validate_only
        self._markets = markets
        self._ticker = ticker

    def submit(self, order: OrderRequest) -> OrderAck:
        """Round, check locally with the venue's rules, then send once (see the module doc)."""
        cid = order.client_order_id
        try:
            market = self._markets().market(order.symbol)
        except BinanceUnknownSymbolError as exc:
            return _rejected(cid, RejectReason.UNKNOWN_SYMBOL, str(exc))
        rules = _rules(market)
        quantity = rules.round_quantity(order.quantity, order.order_type)
        if quantity <= 0:
            return _rejected(cid, RejectReason.ORDER_MINIMUM_NOT_MET, "quantity rounds to zero")
        rounded = attrs.evolve(order, quantity=quantity)
        violation = rules.check(rounded, self._reference(market, rules, rounded))
        if violation is not None:
            return _rejected(cid, violation.reason, violation.message)
        wire_cid = wire_client_id(cid)
        self._queries.remember_client_id(wire_cid, cid)
        path = ORDER_TEST if self._validate_only else ORDER
        request = Request(
            method="POST",
            path=path,
            params=self._order_params(market, rules, rounded, wire_cid),
            signed=True,
            weight=ORDER_WEIGHT,
            repeatable=self._validate_only,
        )
        try:
            result = self._transport.call(request)
            if self._validate_only:
                return OrderAck(
                    status=AckStatus.VALIDATED,
                    client_order_id=cid,
                    message="validated by Binance (POST /api/v3/order/test); nothing executed",
                )
            order_id = str(integer(as_dict(result, request.endpoint, "answer").get("orderId"),
                                   request.endpoint, "orderId"))  # fmt: skip
        except BinanceOrderRejectedError as exc:
            if exc.duplicate_client_id and not self._validate_only:
                return self._duplicate(market, cid, exc)
            return _rejected(cid, exc.reason, str(exc))
        except BinanceUnknownSymbolError as exc:
            return _rejected(cid, RejectReason.UNKNOWN_SYMBOL, str(exc))
        except ExchangeAPIError as exc:
            if exc.outcome_unknown and not self._validate_only:
                log.warning("Binance order outcome unknown for %s: %s", cid, exc)
                return _unknown(cid, str(exc))
            raise
        # The order id makes it ACCEPTED; the rest of the FULL answer only describes it (an
        # ACK-shaped answer is accepted just the same, its state is read with order_status).
        self._queries.remember_accepted(market, order_id)
        return OrderAck(
            status=AckStatus.ACCEPTED,
            client_order_id=cid,
            order_id=order_id,
            description=_describe(result, request.endpoint),
        )

    def _reference(
        self, market: BinanceMarket, rules: InstrumentRules, order: OrderRequest
    ) -> Decimal | None:
        """The price local checks use: the touch for market orders (cost), the last trade for
        limit orders (PERCENT_PRICE_BY_SIDE band). None when the market is not trading."""
        if rules.status not in (TradingStatus.ONLINE, TradingStatus.LIMIT_ONLY):
            return None
        if order.order_type is OrderType.LIMIT and rules.price_band is None:
            return None
        ticker = self._ticker(market)
        if order.order_type is OrderType.LIMIT:
            return ticker.last
        return ticker.ask if order.side is OrderSide.BUY else ticker.bid

    def _order_params(
        self, market: BinanceMarket, rules: InstrumentRules, order: OrderRequest, wire_cid: str
    ) -> tuple[tuple[str, str], ...]:
        step = rules.lot_step
        if order.order_type is OrderType.MARKET and rules.market_lot_step is not None:
            step = min(step, rules.market_lot_step)
        params = [
            ("symbol", market.name),
            ("side", _SIDE[order.side]),
            ("type", "LIMIT" if order.order_type is OrderType.LIMIT else "MARKET"),
        ]
        if order.order_type is OrderType.LIMIT:
            assert order.limit_price is not None
            params.append(("timeInForce", "GTC"))
            params.append(("price", wire_quantity(order.limit_price, rules.price_tick)))
        params.append(("quantity", wire_quantity(order.quantity, step)))
        params.append(("newClientOrderId", wire_cid))
        params.append(("newOrderRespType", "FULL"))
        return tuple(params)

    def _duplicate(
        self, market: BinanceMarket, cid: str, exc: BinanceOrderRejectedError
    ) -> OrderAck:
        """-2010 "Duplicate order sent.": an open order has this client id - look it up."""
        try:
            existing = self._queries.find(market, cid)
        except ExchangeAPIError as lookup:
            return _unknown(cid, f"{exc}; looking the client id up failed: {lookup}")
        if existing is None:
            return _unknown(cid, f"{exc}; but no order with this client id was found (yet)")
        self._queries.remember_accepted(market, existing.order_id)
        return OrderAck(
            status=AckStatus.ACCEPTED,
            client_order_id=cid,
            order_id=existing.order_id,
            message="Binance already had an open order with this client order id (an earlier "
            "attempt of the same order); following that order, nothing new was placed",
        )


def _rules(market: BinanceMarket) -> InstrumentRules:
    assert market.rules is not None  # markets reached through a Symbol always have rules
    return market.rules


def _describe(result: object, endpoint: str) -> str:
    """ "buy 0.001 BTCUSDT market: FILLED 0.001 @ 65000.1" from a FULL/RESULT answer."""
    try:
        order = BinanceOrder.from_json(result, endpoint)
    except ExchangeAPIError:
        return "accepted (no order details in the answer)"
    text = f"{order.side.value} {format_decimal(order.orig_qty)} {order.symbol_name} "
    text += f"{order.binance_type.lower()}: {order.status}"
    if order.executed_qty > 0 and order.average_price is not None:
        text += f" {format_decimal(order.executed_qty)} @ {format_decimal(order.average_price)}"
    return text


def _rejected(cid: str, reason: RejectReason, message: str) -> OrderAck:
    return OrderAck(status=AckStatus.REJECTED, client_order_id=cid, reason=reason, message=message)


def _unknown(cid: str, message: str) -> OrderAck:
    return OrderAck(
        status=AckStatus.UNKNOWN,
        client_order_id=cid,
        message=f"{message}; outcome unknown: resolve with find_order, never resend",
    )
