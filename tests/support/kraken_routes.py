"""Endpoint handlers of the loopback Kraken server: params in, Kraken `result` out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tests.support.kraken_book import TRUE, Account, KrakenFailure, LoopbackBook

if TYPE_CHECKING:
    from tests.support.kraken_server import KrakenLoopbackServer

INTERVALS = {1, 5, 15, 30, 60, 240, 1440, 10080, 21600}
PAGE = 50


def _time(server: KrakenLoopbackServer, params: dict[str, str]) -> Any:
    now = int(server.market.now())
    rfc = datetime.fromtimestamp(now, UTC).strftime("%a, %d %b %y %H:%M:%S +0000")
    return {"unixtime": now, "rfc1123": rfc}


def _system_status(server: KrakenLoopbackServer, params: dict[str, str]) -> Any:
    stamp = datetime.fromtimestamp(int(server.market.now()), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"status": server.system_status, "timestamp": stamp}


def _assets(server: KrakenLoopbackServer, params: dict[str, str]) -> Any:
    assets: dict[str, Any] = {}
    for entry in server.book.pairs.values():
        names = entry["wsname"].split("/")
        for asset_id, name in zip((entry["base"], entry["quote"]), names, strict=True):
            fiat = asset_id.startswith("Z") and len(asset_id) == 4
            assets[asset_id] = {
                "aclass": "currency",
                "altname": name,
                "decimals": 4 if fiat else 10,
                "display_decimals": 2 if fiat else 5,
                "status": "enabled",
            }
    return assets


def _selected(book: LoopbackBook, names: str | None) -> list[str]:
    if not names:
        return list(book.pairs)
    return [book.pair(name.strip())[0] for name in names.split(",")]


def _asset_pairs(server: KrakenLoopbackServer, params: dict[str, str]) -> Any:
    return {pid: server.book.pairs[pid] for pid in _selected(server.book, params.get("pair"))}


def _ticker(server: KrakenLoopbackServer, params: dict[str, str]) -> Any:
    result = {}
    for pid in _selected(server.book, params.get("pair")):
        bid, ask, last = server.book.ticker(pid)
        result[pid] = {
            "a": [str(ask), "1", "1.000"],
            "b": [str(bid), "1", "1.000"],
            "c": [str(last), "0.01000000"],
            "v": ["100.00000000", "2000.00000000"],
            "p": [str(last), str(last)],
            "t": [100, 2000],
            "l": [str(bid), str(bid)],
            "h": [str(ask), str(ask)],
            "o": str(last),
        }
    return result


def _ohlc(server: KrakenLoopbackServer, params: dict[str, str]) -> Any:
    pair_id, entry = server.book.pair(params.get("pair"))
    interval = int(params.get("interval", "1") or "1")
    if interval not in INTERVALS:
        raise KrakenFailure("EGeneral:Invalid arguments")
    since = params.get("since")
    rows, last = server.market.ohlc(
        pair_id, interval, int(since) if since else None, Decimal(entry["tick_size"])
    )
    return {pair_id: rows, "last": last}


def _balance(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    return {
        asset: f"{amount:.4f}" if asset.startswith("Z") else f"{amount:.10f}"
        for asset, amount in account.balances.items()
    }


def _add_order(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    return server.book.add_order(account, params)


def _query_orders(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    txids = [t for t in params.get("txid", "").split(",") if t]
    if not txids or len(txids) > 50:
        raise KrakenFailure("EGeneral:Invalid arguments:txid")
    trades = params.get("trades") in TRUE
    return {t: server.book.public_order(server.book.find(account, t), trades) for t in txids}


def _orders_where(
    server: KrakenLoopbackServer, account: Account, params: dict[str, str], open_: bool
) -> dict[str, Any]:
    wanted = params.get("cl_ord_id")
    trades = params.get("trades") in TRUE
    found = {}
    for txid, order in reversed(list(account.orders.items())):  # most recent first
        is_open = order["status"] in ("open", "pending")
        if is_open == open_ and (not wanted or order["cl_ord_id"] == wanted):
            found[txid] = server.book.public_order(order, trades)
    return found


def _open_orders(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    return {"open": _orders_where(server, account, params, True)}


def _closed_orders(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    closed = _orders_where(server, account, params, False)
    offset = int(params.get("ofs", "0") or "0")
    page = dict(list(closed.items())[offset : offset + PAGE])
    return {"closed": page, "count": len(closed)}


def _query_trades(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    txids = [t for t in params.get("txid", "").split(",") if t]
    if not txids or len(txids) > 20:
        raise KrakenFailure("EGeneral:Invalid arguments:txid")
    missing = [t for t in txids if t not in account.trades]
    if missing:
        raise KrakenFailure("EGeneral:Invalid arguments:txid")
    return {t: account.trades[t] for t in txids}


def _trades_history(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    trades = list(reversed(list(account.trades.items())))
    offset = int(params.get("ofs", "0") or "0")
    return {"trades": dict(trades[offset : offset + PAGE]), "count": len(trades)}


def _cancel_order(server: KrakenLoopbackServer, account: Account, params: dict[str, str]) -> Any:
    target = params.get("txid") or params.get("cl_ord_id")
    for txid, order in account.orders.items():
        if target in (txid, order["cl_ord_id"]) and order["status"] in ("open", "pending"):
            server.book.close_order(account, txid, "canceled", "User requested")
            return {"count": 1, "pending": False}
    raise KrakenFailure("EOrder:Unknown order")


PublicRoute = Callable[["KrakenLoopbackServer", dict[str, str]], Any]
PrivateRoute = Callable[["KrakenLoopbackServer", Account, dict[str, str]], Any]

PUBLIC_ROUTES: dict[str, PublicRoute] = {
    "Time": _time,
    "SystemStatus": _system_status,
    "Assets": _assets,
    "AssetPairs": _asset_pairs,
    "Ticker": _ticker,
    "OHLC": _ohlc,
}
PRIVATE_ROUTES: dict[str, PrivateRoute] = {
    "Balance": _balance,
    "AddOrder": _add_order,
    "QueryOrders": _query_orders,
    "OpenOrders": _open_orders,
    "ClosedOrders": _closed_orders,
    "QueryTrades": _query_trades,
    "TradesHistory": _trades_history,
    "CancelOrder": _cancel_order,
}
