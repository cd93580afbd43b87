"""Accounts, orders and trades of the loopback Kraken server (Kraken's JSON shapes)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from tests.support.kraken_market import LoopbackMarket

DEFAULT_BALANCES = {
    "ZEUR": "100000.0000",
    "ZUSD": "100000.0000",
    "USDT": "100000.00000000",
    "XXBT": "10.0000000000",
    "XETH": "100.0000000000",
    "XXDG": "1000000.00000000",
    "SOL": "1000.0000000000",
}
FEE_RATE = Decimal("0.0026")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$|^[0-9a-fA-F]{32}$")
TRUE = ("true", "True", "1")


class KrakenFailure(Exception):
    """A Kraken error string the server answers with."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _txid(prefix: str, seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest().upper()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    chars = "".join(alphabet[int(digest[i : i + 2], 16) % 32] for i in range(0, 32, 2))
    return f"{prefix}{chars[:5]}-{chars[5:10]}-{chars[10:16]}"


def _decimal(text: str | None, field: str) -> Decimal:
    if text is None or "e" in text.lower():
        raise KrakenFailure(f"EGeneral:Invalid arguments:{field}")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise KrakenFailure(f"EGeneral:Invalid arguments:{field}") from None
    if not value.is_finite() or value <= 0:
        raise KrakenFailure(f"EGeneral:Invalid arguments:{field}")
    return value


def _places(value: Decimal) -> int:
    return max(0, -int(value.as_tuple().exponent))


def _fmt(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN))


class Account:
    """One API key: secret, nonce high-water mark, balances, orders and trades."""

    def __init__(self, secret: bytes, balances: Mapping[str, str] | None) -> None:
        self.secret = secret
        self.nonce = 0
        self.balances = {k: Decimal(v) for k, v in (balances or DEFAULT_BALANCES).items()}
        self.orders: dict[str, dict[str, Any]] = {}
        self.trades: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.matched_minute: int | None = None


class LoopbackBook:
    """Validates and executes orders on the deterministic market like Kraken Spot."""

    def __init__(self, market: LoopbackMarket, pairs: dict[str, dict[str, Any]]) -> None:
        self.market = market
        self.pairs = pairs
        self.partial_fill_fraction: Decimal | None = None  # e.g. 0.5: fill half per match
        self.validated = 0
        self.literal_validate_false = 0  # how often a client sent validate=false
        # False: orders never list their trade ids (Kraken omits `trades` when they are not
        # "available"), so a client must find the fills through TradesHistory.
        self.orders_list_trades = True

    def pair(self, name: str | None) -> tuple[str, dict[str, Any]]:
        for pair_id, entry in self.pairs.items():
            if name in (pair_id, entry["altname"], entry["wsname"]):
                return pair_id, entry
        raise KrakenFailure("EQuery:Unknown asset pair")

    def ticker(self, pair_id: str) -> tuple[Decimal, Decimal, Decimal]:
        return self.market.ticker(pair_id, Decimal(self.pairs[pair_id]["tick_size"]))

    # -- AddOrder ----------------------------------------------------------------------------
    def add_order(self, account: Account, p: Mapping[str, str]) -> dict[str, Any]:
        pair_id, entry = self.pair(p.get("pair"))
        side, ordertype = p.get("type"), p.get("ordertype")
        if side not in ("buy", "sell"):
            raise KrakenFailure("EGeneral:Invalid arguments:type")
        if ordertype not in ("market", "limit"):
            raise KrakenFailure("EGeneral:Invalid arguments:ordertype")
        volume = _decimal(p.get("volume"), "volume")
        if _places(volume) > entry["lot_decimals"]:
            raise KrakenFailure("EGeneral:Invalid arguments:volume")
        cl_ord_id = p.get("cl_ord_id")
        if cl_ord_id is not None and not (_UUID.match(cl_ord_id) or len(cl_ord_id) <= 18):
            raise KrakenFailure("EGeneral:Invalid arguments:cl_ord_id")
        oflags = [f for f in p.get("oflags", "").split(",") if f]
        status = entry["status"]
        if status == "cancel_only":
            raise KrakenFailure("EService:Market in cancel_only mode")
        if status == "post_only" and "post" not in oflags:
            raise KrakenFailure("EService:Market in post_only mode")
        if status == "limit_only" and ordertype != "limit":
            raise KrakenFailure("EService:Market in limit_only mode")
        if status not in ("online", "post_only", "limit_only"):
            raise KrakenFailure("EService:Unavailable")
        if volume < Decimal(entry["ordermin"]):
            raise KrakenFailure("EOrder:Order minimum not met")
        bid, ask, _last = self.ticker(pair_id)
        price: Decimal | None = None
        if ordertype == "limit":
            price = _decimal(p.get("price"), "price")
            if _places(price) > entry["pair_decimals"]:
                raise KrakenFailure(
                    f"EOrder:Invalid price:{pair_id} price can only be specified up to "
                    f"{entry['pair_decimals']} decimals."
                )
            if price % Decimal(entry["tick_size"]) != 0:
                raise KrakenFailure("EOrder:Tick size check failed")
        reference = price if price is not None else (ask if side == "buy" else bid)
        if volume * reference < Decimal(entry["costmin"]):
            raise KrakenFailure("EOrder:Cost minimum not met")
        text = f"{side} {_fmt(volume, entry['lot_decimals'])} {entry['altname']} @ {ordertype}"
        if price is not None:
            text += f" {price}"
        validate = p.get("validate")
        if validate in TRUE:
            self.validated += 1
            return {"descr": {"order": text}}
        if validate is not None:
            self.literal_validate_false += 1
        return self._place(account, pair_id, entry, side, ordertype, volume, price, text, p)

    def _place(
        self,
        account: Account,
        pair_id: str,
        entry: dict[str, Any],
        side: str,
        ordertype: str,
        volume: Decimal,
        price: Decimal | None,
        text: str,
        p: Mapping[str, str],
    ) -> dict[str, Any]:
        cl_ord_id = p.get("cl_ord_id")
        if cl_ord_id and any(
            o["cl_ord_id"] == cl_ord_id and o["status"] in ("open", "pending")
            for o in account.orders.values()
        ):
            raise KrakenFailure("EOrder:Duplicate order")
        _bid, ask, _ = self.ticker(pair_id)
        needed = volume * (price or ask) * (1 + FEE_RATE) if side == "buy" else volume
        asset = entry["quote"] if side == "buy" else entry["base"]
        if account.balances.get(asset, Decimal(0)) < needed:
            raise KrakenFailure("EOrder:Insufficient funds")
        account.seq += 1
        txid = _txid("O", f"{id(account)}:{account.seq}:{text}")
        flags = p.get("oflags") or ("fciq" if side == "buy" else "fcib")
        account.orders[txid] = {
            "refid": None,
            "userref": 0,
            "cl_ord_id": cl_ord_id,
            "status": "open",
            "reason": None,
            "opentm": self.market.now(),
            "starttm": 0,
            "expiretm": 0,
            "descr": {
                "pair": entry["altname"],
                "type": side,
                "ordertype": ordertype,
                "price": str(price) if price is not None else "0",
                "price2": "0",
                "leverage": "none",
                "order": text,
                "close": "",
            },
            "vol": _fmt(volume, entry["lot_decimals"]),
            "vol_exec": _fmt(Decimal(0), entry["lot_decimals"]),
            "cost": "0",
            "fee": "0",
            "price": "0",
            "stopprice": "0",
            "limitprice": "0",
            "misc": "",
            "oflags": flags,
            "trades": [],
            "_pair": pair_id,
        }
        self.match(account)
        return {"descr": {"order": text}, "txid": [txid]}

    # -- matching ----------------------------------------------------------------------------
    def match(self, account: Account) -> None:
        """Execute open orders that the current ticker reaches (market orders immediately)."""
        for txid, order in list(account.orders.items()):
            if order["status"] != "open":
                continue
            bid, ask, _ = self.ticker(order["_pair"])
            side, kind = order["descr"]["type"], order["descr"]["ordertype"]
            limit = Decimal(order["descr"]["price"])
            if kind == "market":
                self.fill(account, txid, price=ask if side == "buy" else bid, maker=False)
            elif (side == "buy" and ask <= limit) or (side == "sell" and bid >= limit):
                self.fill(account, txid, price=limit, maker=True)

    def fill(
        self,
        account: Account,
        txid: str,
        volume: Decimal | None = None,
        price: Decimal | None = None,
        *,
        maker: bool = True,
    ) -> None:
        """Execute (part of) an open order; default: the configured fraction of what remains."""
        order = account.orders[txid]
        entry = self.pairs[order["_pair"]]
        lot = Decimal(1).scaleb(-entry["lot_decimals"])
        remaining = Decimal(order["vol"]) - Decimal(order["vol_exec"])
        if volume is None:
            volume = remaining
            if self.partial_fill_fraction is not None and remaining > lot:
                volume = max(lot, (remaining * self.partial_fill_fraction).quantize(lot))
        volume = min(volume, remaining)
        if price is None:
            bid, ask, _ = self.ticker(order["_pair"])
            price = ask if order["descr"]["type"] == "buy" else bid
        if volume <= 0:
            return
        cost = volume * price
        in_base = "fcib" in order["oflags"]
        fee = (volume if in_base else cost) * FEE_RATE
        base, quote = entry["base"], entry["quote"]
        sign = 1 if order["descr"]["type"] == "buy" else -1
        zero = Decimal(0)
        account.balances[base] = account.balances.get(base, zero) + sign * volume
        account.balances[quote] = account.balances.get(quote, zero) - sign * cost
        fee_asset = base if in_base else quote
        account.balances[fee_asset] -= fee
        account.seq += 1
        trade_id = _txid("T", f"{txid}:{account.seq}")
        places = entry["pair_decimals"]
        account.trades[trade_id] = {
            "ordertxid": txid,
            "postxid": _txid("T", f"pos:{trade_id}"),
            "pair": order["_pair"],
            "time": self.market.now(),
            "type": order["descr"]["type"],
            "ordertype": order["descr"]["ordertype"],
            "price": _fmt(price, places),
            "cost": _fmt(cost, 8),
            "fee": _fmt(fee, 8),
            "vol": _fmt(volume, entry["lot_decimals"]),
            "margin": "0.00000",
            "misc": "",
            "trade_id": len(account.trades) + 1,
            "maker": maker,
        }
        executed = Decimal(order["vol_exec"]) + volume
        total_cost = Decimal(order["cost"]) + cost
        order["vol_exec"] = _fmt(executed, entry["lot_decimals"])
        order["cost"] = _fmt(total_cost, 8)
        order["fee"] = _fmt(Decimal(order["fee"]) + fee, 8)
        order["price"] = _fmt(total_cost / executed, places + 2)
        order["trades"].append(trade_id)
        if executed >= Decimal(order["vol"]):
            order["status"] = "closed"
            order["closetm"] = self.market.now()

    def close_order(self, account: Account, txid: str, status: str, reason: str) -> None:
        order = account.orders[txid]
        order["status"] = status
        order["reason"] = reason
        order["closetm"] = self.market.now()

    # -- queries -----------------------------------------------------------------------------
    def public_order(self, order: dict[str, Any], trades: bool) -> dict[str, Any]:
        shown = {k: v for k, v in order.items() if not k.startswith("_")}
        if not trades or not self.orders_list_trades:
            shown.pop("trades", None)
        return shown

    def find(self, account: Account, txid: str) -> dict[str, Any]:
        if txid not in account.orders:
            raise KrakenFailure("EOrder:Invalid order")
        return account.orders[txid]
