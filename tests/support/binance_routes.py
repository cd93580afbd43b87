"""Endpoint handlers of the loopback Binance server: params in, Binance's JSON out."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from tests.support.binance_book import Account
from tests.support.binance_market import INTERVAL_SECONDS, MAX_KLINES
from tests.support.binance_order_rules import BinanceFailure

if TYPE_CHECKING:
    from tests.support.binance_server import BinanceLoopbackServer

# (server, the signed request's account, params, market time in ms) -> JSON answer
Handler = Callable[["BinanceLoopbackServer", Account | None, Mapping[str, str], int], Any]


@attrs.frozen
class Route:
    handler: Handler
    signed: bool = False
    weight: int = 1
    lookup: bool = False  # an order lookup (counts towards Fault.applied_late)


def _int(params: Mapping[str, str], name: str, default: int | None = None) -> int | None:
    text = params.get(name)
    if text is None:
        return default
    if not text.lstrip("-").isdigit():
        raise BinanceFailure(
            -1100,
            f"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.",
        )
    return int(text)


def _ping(server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int) -> Any:
    return {}


def _time(server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int) -> Any:
    return {"serverTime": server.now_ms()}


def _exchange_info(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    names: list[str] = list(server.book.symbols)
    if "symbol" in p:
        names = [server.book.entry(p["symbol"])["symbol"]]
    elif "symbols" in p:
        try:
            wanted = json.loads(p["symbols"])
        except ValueError:
            raise BinanceFailure(-1135, "Invalid JSON Request") from None
        names = [server.book.entry(n)["symbol"] for n in wanted]
    return {
        "timezone": "UTC",
        "serverTime": server.now_ms(),
        "rateLimits": [
            {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1,
             "limit": server.weight_limit},
            {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100},
            {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": 200000},
            {"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5,
             "limit": 300000},
        ],
        "exchangeFilters": [],
        "symbols": [server.book.symbols[n] for n in names],
    }  # fmt: skip


def _klines(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    name = server.book.entry(p.get("symbol"))["symbol"]
    interval = p.get("interval", "")
    if interval not in INTERVAL_SECONDS:
        raise BinanceFailure(-1120, "Invalid interval.")
    limit = _int(p, "limit", 500)
    assert limit is not None
    if not 1 <= limit <= MAX_KLINES:
        raise BinanceFailure(-1130, "Data sent for parameter 'limit' is not valid.")
    return server.market.klines(
        name,
        interval,
        server.book.tick(name),
        start_ms=_int(p, "startTime"),
        end_ms=_int(p, "endTime"),
        limit=limit,
    )


def _book_ticker(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    name = server.book.entry(p.get("symbol"))["symbol"]
    bid, ask = server.book.book(name)
    if name in server.empty_bids:
        bid = bid * 0
    return {"symbol": name, "bidPrice": f"{bid:.8f}", "bidQty": "1.00000000",
            "askPrice": f"{ask:.8f}", "askQty": "1.00000000"}  # fmt: skip


def _price(server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int) -> Any:
    name = server.book.entry(p.get("symbol"))["symbol"]
    return {"symbol": name, "price": f"{server.market.last(name, server.book.tick(name)):.8f}"}


def _account(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    assert a is not None
    assets = sorted(set(a.free) | set(a.locked))
    balances = [
        {"asset": asset, "free": f"{a.free.get(asset, 0):.8f}",
         "locked": f"{a.locked.get(asset, 0):.8f}"}
        for asset in assets
    ]  # fmt: skip
    if p.get("omitZeroBalances") == "true":
        balances = [b for b in balances if float(b["free"]) or float(b["locked"])]
    return {
        "makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
        "commissionRates": {"maker": "0.00100000", "taker": "0.00100000", "buyer": "0.00000000",
                            "seller": "0.00000000"},
        "canTrade": a.can_trade, "canWithdraw": False, "canDeposit": False, "brokered": False,
        "requireSelfTradePrevention": False, "preventSor": False, "updateTime": now,
        "accountType": "SPOT", "balances": balances, "permissions": ["SPOT"], "uid": 354937868,
    }  # fmt: skip


def _new_order(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    assert a is not None
    if not a.can_trade:
        raise BinanceFailure(-2015, "Invalid API-key, IP, or permissions for action.", 401)
    return server.book.place(a, p, now)


def _test_order(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    server.book.validate(p)  # filters and parameters; no balance or duplicate checks
    server.book.tested += 1
    return {}


def _find(server: BinanceLoopbackServer, a: Account, p: Mapping[str, str]) -> dict[str, Any]:
    name = server.book.entry(p.get("symbol"))["symbol"]
    order_id, client_id = _int(p, "orderId"), p.get("origClientOrderId")
    if order_id is None and client_id is None:
        raise BinanceFailure(
            -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"
        )
    if order_id is not None:
        order = a.orders.get((name, order_id))
        if order is not None and client_id is not None and order["clientOrderId"] != client_id:
            raise BinanceFailure(-2039, "Client order ID is not correct for this order ID.")
    else:
        assert client_id is not None
        order = a.order_by_client_id(name, client_id)
    if order is None:
        raise BinanceFailure(-2013, "Order does not exist.")
    return order


def _query_order(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    assert a is not None
    return server.book.public(_find(server, a, p))


def _cancel_order(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    assert a is not None
    try:
        order = _find(server, a, p)
    except BinanceFailure as failure:
        if failure.code == -2013:
            raise BinanceFailure(-2011, "Unknown order sent.") from None
        raise
    server.book.cancel(a, order, now)
    shown = server.book.public(order)
    for key in ("stopPrice", "icebergQty", "time", "updateTime", "isWorking", "workingTime"):
        shown.pop(key, None)
    shown["origClientOrderId"] = order["clientOrderId"]
    shown["clientOrderId"] = p.get("newClientOrderId") or f"cancel{order['orderId']:010d}"
    shown["transactTime"] = now
    return shown


def _open_orders(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    assert a is not None
    name = server.book.entry(p["symbol"])["symbol"] if "symbol" in p else None
    return [
        server.book.public(o)
        for (s, _), o in a.orders.items()
        if (name is None or s == name) and o["status"] in ("NEW", "PARTIALLY_FILLED")
    ]


def _my_trades(
    server: BinanceLoopbackServer, a: Account | None, p: Mapping[str, str], now: int
) -> Any:
    assert a is not None
    name = server.book.entry(p.get("symbol"))["symbol"]
    order_id, from_id = _int(p, "orderId"), _int(p, "fromId")
    limit = _int(p, "limit", 500)
    assert limit is not None
    if not 1 <= limit <= 1000:
        raise BinanceFailure(-1130, "Data sent for parameter 'limit' is not valid.")
    rows = [
        t for t in a.trades
        if t["symbol"] == name
        and (order_id is None or t["orderId"] == order_id)
        and (from_id is None or t["id"] >= from_id)
    ]  # fmt: skip
    return rows[:limit] if from_id is not None else rows[-limit:]


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v3/ping"): Route(_ping),
    ("GET", "/api/v3/time"): Route(_time),
    ("GET", "/api/v3/exchangeInfo"): Route(_exchange_info, weight=20),
    ("GET", "/api/v3/klines"): Route(_klines, weight=2),
    ("GET", "/api/v3/ticker/bookTicker"): Route(_book_ticker, weight=2),
    ("GET", "/api/v3/ticker/price"): Route(_price, weight=2),
    ("GET", "/api/v3/account"): Route(_account, signed=True, weight=20),
    ("POST", "/api/v3/order"): Route(_new_order, signed=True, weight=1),
    ("POST", "/api/v3/order/test"): Route(_test_order, signed=True, weight=1),
    ("GET", "/api/v3/order"): Route(_query_order, signed=True, weight=4, lookup=True),
    ("DELETE", "/api/v3/order"): Route(_cancel_order, signed=True, weight=1),
    ("GET", "/api/v3/openOrders"): Route(_open_orders, signed=True, weight=6, lookup=True),
    ("GET", "/api/v3/myTrades"): Route(_my_trades, signed=True, weight=5),
}
