"""Order placement and follow-up on Kraken: AddOrder, QueryOrders, Open/ClosedOrders, trades."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal

import attrs

from peak_trade.adapters.kraken.errors import (
    KrakenOrderNotFoundError,
    KrakenOrderRejectedError,
    KrakenUnknownSymbolError,
)
from peak_trade.adapters.kraken.mapping import instrument_rules
from peak_trade.adapters.kraken.order_mapping import (
    KrakenOrderResponse,
    KrakenOrderStatus,
    parse_orders,
    parse_trades,
    trade_order_id,
    trade_to_fill,
)
from peak_trade.adapters.kraken.symbols import KrakenMarket, KrakenSymbolMap
from peak_trade.adapters.kraken.transport import Call, KrakenTransport
from peak_trade.adapters.venue_http.errors import ExchangeAPIError
from peak_trade.domain.decimals import format_decimal, step_from_decimals
from peak_trade.domain.market import Ticker
from peak_trade.domain.orders import (
    AckStatus,
    Fill,
    OrderAck,
    OrderRequest,
    OrderSide,
    OrderState,
    OrderType,
    RejectReason,
)
from peak_trade.ports.clock import ClockPort

log = logging.getLogger(__name__)

QUERY_TRADES_MAX_IDS = 20  # Kraken: QueryTrades takes at most 20 txids
HISTORY_PAGE = 50  # TradesHistory/ClosedOrders page size
HISTORY_MAX_PAGES = 10
_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_CL_ORD_NAMESPACE = uuid.UUID("5b8e6f2a-3c1d-4e7f-9a0b-1c2d3e4f5a6b")


def wire_decimal(value: Decimal, decimals: int) -> str:
    """Kraken wire format: at most `decimals` places (cut, never rounded up), no exponent."""
    return format_decimal(value.quantize(step_from_decimals(decimals), rounding=ROUND_DOWN))


def wire_client_id(client_order_id: str) -> str:
    """A cl_ord_id Kraken accepts (UUID, 32 hex or <= 18 ASCII); others map to a stable UUID5."""
    if _UUID.match(client_order_id) or _HEX32.match(client_order_id):
        return client_order_id
    if len(client_order_id) <= 18 and client_order_id.isascii() and client_order_id.isprintable():
        return client_order_id
    return str(uuid.uuid5(_CL_ORD_NAMESPACE, client_order_id))


def round_order(order: OrderRequest, market: KrakenMarket) -> OrderRequest | None:
    """Volume down to the lot decimals; None if nothing is left.

    A limit price is not moved: a price off the tick is refused with Kraken's own reason
    (TICK_SIZE_CHECK_FAILED), as the ExchangePort contract requires of every venue.
    """
    quantity = instrument_rules(market).round_quantity(order.quantity)
    if quantity <= 0:
        return None
    return attrs.evolve(order, quantity=quantity)


class KrakenOrderDesk:
    """Places orders (validate-only or live) and reads their state and fills."""

    def __init__(
        self,
        transport: KrakenTransport,
        clock: ClockPort,
        *,
        validate_only: bool,
        markets: Callable[[], KrakenSymbolMap],
        ticker: Callable[[KrakenMarket], Ticker],
    ) -> None:
        self._transport = transport
        self._clock = clock
        self._validate_only = validate_only
        self._markets = markets
        self._ticker = ticker
        self._submitted_at: dict[str, float] = {}
        self._client_ids: dict[str, str] = {}  # wire cl_ord_id -> caller's id

    def submit(self, order: OrderRequest) -> OrderAck:
        """Round, check locally with the venue's rules, then AddOrder (see ExchangePort)."""
        cid = order.client_order_id
        try:
            market = self._markets().market(order.symbol)
        except KrakenUnknownSymbolError as exc:
            return _rejected(cid, RejectReason.UNKNOWN_SYMBOL, str(exc))
        rounded = round_order(order, market)
        if rounded is None:
            return _rejected(
                cid, RejectReason.ORDER_MINIMUM_NOT_MET, "quantity rounds to zero lots"
            )
        rules = instrument_rules(market)
        reference = None
        if rounded.order_type is OrderType.MARKET and rules.status.value == "online":
            ticker = self._ticker(market)
            reference = ticker.ask if rounded.side is OrderSide.BUY else ticker.bid
        violation = rules.check(rounded, reference)
        if violation is not None:
            return _rejected(cid, violation.reason, violation.message)
        wire_cid = wire_client_id(cid)
        self._client_ids[wire_cid] = cid
        params = {
            "pair": market.pair_id,
            "type": rounded.side.value,
            "ordertype": rounded.order_type.value,
            "volume": wire_decimal(rounded.quantity, market.lot_decimals),
            "cl_ord_id": wire_cid,
        }
        if rounded.limit_price is not None:
            params["price"] = wire_decimal(rounded.limit_price, market.pair_decimals)
        if self._validate_only:
            params["validate"] = "true"  # live orders omit the key: "validate=false" is never sent
        call = Call(
            endpoint="AddOrder",
            params=params,
            private=True,
            safe_to_repeat=self._validate_only,
            pair=market.pair_id,
        )
        try:
            response = KrakenOrderResponse.from_result(self._transport.call(call))
        except KrakenOrderRejectedError as exc:
            return _rejected(cid, exc.reason, str(exc))
        except KrakenUnknownSymbolError as exc:
            return _rejected(cid, RejectReason.UNKNOWN_SYMBOL, str(exc))
        except ExchangeAPIError as exc:
            # Executing: anything but a proven refusal (auth, nonce) or an unsent request may
            # have placed the order. It is UNKNOWN and never resent; find_order resolves it.
            if exc.outcome_unknown and not self._validate_only:
                log.warning("AddOrder outcome unknown for %s: %s", cid, exc)
                return OrderAck(status=AckStatus.UNKNOWN, client_order_id=cid, message=str(exc))
            raise
        return self._ack(cid, response)

    def _ack(self, cid: str, response: KrakenOrderResponse) -> OrderAck:
        if not response.txids:
            if self._validate_only:
                return OrderAck(
                    status=AckStatus.VALIDATED,
                    client_order_id=cid,
                    description=response.description,
                    message="validated by Kraken (validate=true); nothing executed",
                )
            return OrderAck(
                status=AckStatus.UNKNOWN,
                client_order_id=cid,
                description=response.description,
                message="AddOrder answered without a txid; resolve with find_order",
            )
        order_id = response.txids[0]
        self._submitted_at[order_id] = self._clock.monotonic()
        return OrderAck(
            status=AckStatus.ACCEPTED,
            client_order_id=cid,
            order_id=order_id,
            description=response.description,
        )

    def status(self, order_id: str) -> OrderState:
        return self._state(self._query(order_id, trades=False))

    def find(self, client_order_id: str) -> OrderState | None:
        """Resolve an order by client id via OpenOrders, then ClosedOrders (cl_ord_id filter)."""
        wire_cid = wire_client_id(client_order_id)
        self._client_ids[wire_cid] = client_order_id
        for endpoint, key in (("OpenOrders", "open"), ("ClosedOrders", "closed")):
            call = Call(endpoint=endpoint, params={"cl_ord_id": wire_cid}, private=True)
            for order in parse_orders(self._transport.call(call), endpoint, key):
                if order.cl_ord_id == wire_cid:
                    return self._state(order)
        return None

    def fills(self, order_id: str) -> tuple[Fill, ...]:
        """Fills of one order: QueryTrades by the order's trade ids, else TradesHistory."""
        order = self._query(order_id, trades=True)
        symbol = self._markets().symbol_for(order.pair)
        fee_currency = order.fee_currency(symbol)
        raw: dict[str, object] = {}
        if order.trade_ids:
            ids = list(order.trade_ids)
            for start in range(0, len(ids), QUERY_TRADES_MAX_IDS):
                chunk = ",".join(ids[start : start + QUERY_TRADES_MAX_IDS])
                call = Call(endpoint="QueryTrades", params={"txid": chunk}, private=True)
                raw.update(parse_trades(self._transport.call(call), "QueryTrades"))
        elif order.volume_executed > 0:
            raw = self._history_trades(order_id)
        fills = [
            trade_to_fill(tid, trade, symbol, fee_currency, "QueryTrades")
            for tid, trade in raw.items()
            if trade_order_id(trade, "QueryTrades") == order_id
        ]
        return tuple(sorted(fills, key=lambda f: (f.time, f.trade_id)))

    def _history_trades(self, order_id: str) -> dict[str, object]:
        found: dict[str, object] = {}
        for page in range(HISTORY_MAX_PAGES):
            params = {"ofs": str(page * HISTORY_PAGE)}
            call = Call(endpoint="TradesHistory", params=params, private=True)
            trades = parse_trades(self._transport.call(call), "TradesHistory", "trades")
            found.update(
                (tid, t)
                for tid, t in trades.items()
                if trade_order_id(t, "TradesHistory") == order_id
            )
            if len(trades) < HISTORY_PAGE:
                break
        return found

    def cancel(self, order_id: str) -> OrderState:
        """CancelOrder, then the resulting state; an already closed order returns its state."""
        order = self._query(order_id, trades=False)
        symbol_pair = self._markets().market_by_name(order.pair).pair_id
        submitted = self._submitted_at.get(order_id)
        age = None if submitted is None else self._clock.monotonic() - submitted
        if order.status in ("pending", "open"):
            call = Call(
                endpoint="CancelOrder",
                params={"txid": order_id},
                private=True,
                pair=symbol_pair,
                order_age=age,
            )
            try:
                self._transport.call(call)
            except (KrakenOrderNotFoundError, KrakenOrderRejectedError) as exc:
                log.info("CancelOrder %s: %s (reading its state)", order_id, exc)
        return self.status(order_id)

    def _query(self, order_id: str, *, trades: bool) -> KrakenOrderStatus:
        params = {"txid": order_id}
        if trades:
            params["trades"] = "true"
        call = Call(endpoint="QueryOrders", params=params, private=True)
        try:
            orders = parse_orders(self._transport.call(call), "QueryOrders")
        except KrakenOrderRejectedError as exc:  # EOrder:Invalid order for a malformed txid
            raise KrakenOrderNotFoundError(str(exc), endpoint="QueryOrders") from exc
        for order in orders:
            if order.txid == order_id:
                return order
        raise KrakenOrderNotFoundError(f"Kraken has no order {order_id}", endpoint="QueryOrders")

    def _state(self, order: KrakenOrderStatus) -> OrderState:
        state = order.to_order_state(self._markets().symbol_for(order.pair))
        if state.client_order_id in self._client_ids:
            state = attrs.evolve(state, client_order_id=self._client_ids[state.client_order_id])
        return state


def _rejected(cid: str, reason: RejectReason, message: str) -> OrderAck:
    return OrderAck(status=AckStatus.REJECTED, client_order_id=cid, reason=reason, message=message)
