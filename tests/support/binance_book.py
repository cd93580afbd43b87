"""Accounts, orders, trades and a small matching engine of the loopback Binance server.

Orders are checked like Binance does (parameter text, filters, status, balance, duplicate
client ids), then matched against the seeded book: MARKET orders take the touch at once,
LIMIT orders that cross take it too, the rest rest and meet the market once per market minute.
Knobs for the realities the adapter must handle: `fill_fraction` (each match fills only part
of what remains), `market_liquidity` (a MARKET order fills at most this much and the rest
EXPIRES, as thin testnet books do) and `bnb_fees` (commissions paid in BNB).
Commission: base asset on buys, quote asset on sells, COMMISSION_RATE of what is received.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tests.support.binance_market import BinanceLoopbackMarket, filter_of
from tests.support.binance_order_rules import BinanceFailure, validate_order

COMMISSION_RATE = Decimal("0.001")
BNB_DISCOUNT = Decimal("0.75")  # paying in BNB costs 25 % less
DEFAULT_BALANCES = {
    "USDT": "100000", "BTC": "10", "ETH": "100", "BNB": "1000", "EUR": "100000",
    "TUSD": "100000", "BETH": "100", "1000SATS": "1000000000", "这是测试币": "1000",
    "456": "1000", "LIMIT": "1000", "CANCEL": "1000", "HALT": "1000",
}  # fmt: skip
OPEN = ("NEW", "PARTIALLY_FILLED")
ZERO = Decimal(0)


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.00000001'), rounding=ROUND_DOWN):.8f}"


class Account:
    """One API key: how it signs, its balances (free, locked), orders and trades."""

    def __init__(
        self, *, secret: str = "", public_key: Any = None, balances: Mapping[str, str]
    ) -> None:
        self.secret = secret  # HMAC secret, or "" for an Ed25519 key
        self.public_key = public_key  # cryptography Ed25519PublicKey, or None
        self.free = {asset: Decimal(v) for asset, v in balances.items()}
        self.locked: dict[str, Decimal] = {}
        self.orders: dict[tuple[str, int], dict[str, Any]] = {}  # (symbol, orderId) -> order
        self.trades: list[dict[str, Any]] = []
        self.can_trade = True
        self.matched_minute: int | None = None
        self._initial = dict(balances)

    def reset(self) -> None:
        """A testnet reset: orders and trades vanish, balances are refilled."""
        self.orders.clear()
        self.trades.clear()
        self.locked.clear()
        self.free = {asset: Decimal(v) for asset, v in self._initial.items()}

    def order_by_client_id(self, symbol: str, client_id: str) -> dict[str, Any] | None:
        """The newest order on `symbol` with this client order id."""
        found = [
            o
            for (s, _), o in self.orders.items()
            if s == symbol and o["clientOrderId"] == client_id
        ]
        return found[-1] if found else None


class BinanceBook:
    """Validates, places and matches orders on the seeded market like Binance Spot."""

    def __init__(self, market: BinanceLoopbackMarket, symbols: dict[str, dict[str, Any]]) -> None:
        self.market = market
        self.symbols = symbols
        self.fill_fraction: Decimal | None = None
        self.market_liquidity: Decimal | None = None
        self.bnb_fees = False
        self.tested = 0  # orders that went to /order/test
        self._order_ids: dict[str, int] = {}
        self._trade_ids: dict[str, int] = {}

    def entry(self, name: str | None) -> dict[str, Any]:
        if not name:
            raise BinanceFailure(
                -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."
            )
        if name not in self.symbols:
            raise BinanceFailure(-1121, "Invalid symbol.")
        return self.symbols[name]

    def tick(self, name: str) -> Decimal:
        return Decimal(filter_of(self.symbols[name], "PRICE_FILTER")["tickSize"])

    def book(self, name: str) -> tuple[Decimal, Decimal]:
        return self.market.book(name, self.tick(name))

    # -- new orders ---------------------------------------------------------------------------
    def validate(self, p: Mapping[str, str]) -> dict[str, Any]:
        """Binance's checks before the matching engine (binance_order_rules)."""
        entry = self.entry(p.get("symbol"))
        return validate_order(
            entry, self.market.last(entry["symbol"], self.tick(entry["symbol"])), p
        )

    def place(self, account: Account, p: Mapping[str, str], now_ms: int) -> dict[str, Any]:
        """A new order: validate, check duplicates and balance, store, match. FULL answer."""
        terms = self.validate(p)
        entry = terms["entry"]
        name, base, quote = entry["symbol"], entry["baseAsset"], entry["quoteAsset"]
        cid = p.get("newClientOrderId") or f"loopback{len(account.orders) + 1:014d}"
        existing = account.order_by_client_id(name, cid)
        if existing is not None and existing["status"] in OPEN:
            raise BinanceFailure(-2010, "Duplicate order sent.")
        side, qty, price = terms["side"], terms["quantity"], terms["price"]
        bid, ask = self.book(name)
        if side == "BUY":
            asset, needed = quote, qty * (price if price is not None else ask)
        else:
            asset, needed = base, qty
        if account.free.get(asset, ZERO) < needed:
            raise BinanceFailure(-2010, "Account has insufficient balance for requested action.")
        self._order_ids[name] = self._order_ids.get(name, 0) + 1
        order_id = self._order_ids[name]
        order = {
            "symbol": name, "orderId": order_id, "orderListId": -1, "clientOrderId": cid,
            "price": _fmt(price or ZERO), "origQty": _fmt(qty), "executedQty": _fmt(ZERO),
            "origQuoteOrderQty": "0.00000000", "cummulativeQuoteQty": _fmt(ZERO),
            "status": "NEW", "timeInForce": p.get("timeInForce", "GTC"), "type": terms["type"],
            "side": side, "stopPrice": "0.00000000", "icebergQty": "0.00000000", "time": now_ms,
            "updateTime": now_ms, "isWorking": True, "workingTime": now_ms,
            "selfTradePreventionMode": "EXPIRE_MAKER", "_locked": (asset, needed), "_fills": [],
        }  # fmt: skip
        account.orders[(name, order_id)] = order
        account.free[asset] -= needed
        account.locked[asset] = account.locked.get(asset, ZERO) + needed
        self._match_order(account, order, now_ms, bid, ask, resting=False)
        return self.public(order, full=True, transact_ms=now_ms)

    # -- matching ---------------------------------------------------------------------------
    def match(self, account: Account, now_ms: int) -> None:
        """Resting limit orders meet the current book (the server calls this once a minute)."""
        for order in list(account.orders.values()):
            if order["status"] in OPEN and order["type"] == "LIMIT":
                bid, ask = self.book(order["symbol"])
                self._match_order(account, order, now_ms, bid, ask, resting=True)

    def _match_order(
        self,
        account: Account,
        order: dict[str, Any],
        now_ms: int,
        bid: Decimal,
        ask: Decimal,
        *,
        resting: bool,
    ) -> None:
        """Fill what the book allows: takers at the touch, resting (maker) orders at their
        limit; a MARKET order's unfilled rest expires."""
        side, limit = order["side"], Decimal(order["price"])
        touch = ask if side == "BUY" else bid
        if order["type"] == "LIMIT" and (touch > limit if side == "BUY" else touch < limit):
            return
        remaining = Decimal(order["origQty"]) - Decimal(order["executedQty"])
        qty = remaining
        if self.fill_fraction is not None:
            step = Decimal(filter_of(self.symbols[order["symbol"]], "LOT_SIZE")["stepSize"])
            part = (remaining * self.fill_fraction / step).to_integral_value(ROUND_DOWN) * step
            qty = max(step, part)
        if order["type"] == "MARKET" and self.market_liquidity is not None:
            qty = min(qty, max(ZERO, self.market_liquidity - Decimal(order["executedQty"])))
        qty = min(qty, remaining)
        if qty > 0:
            self.execute(account, order, qty, limit if resting else touch, now_ms)
        if order["type"] == "MARKET" and order["status"] in OPEN:
            self._close(account, order, "EXPIRED", now_ms)  # the book ran out
            order["expiryReason"] = "INSUFFICIENT_LIQUIDITY"

    def execute(
        self, account: Account, order: dict[str, Any], qty: Decimal, price: Decimal, now_ms: int
    ) -> None:
        """One trade of `qty` at `price`: balances, commission, trade row, order progress."""
        entry = self.symbols[order["symbol"]]
        name, base, quote = entry["symbol"], entry["baseAsset"], entry["quoteAsset"]
        cost = qty * price
        buy = order["side"] == "BUY"
        received_asset, received = (base, qty) if buy else (quote, cost)
        commission, commission_asset = received * COMMISSION_RATE, received_asset
        if self.bnb_fees and f"BNB{quote}" in self.symbols:
            bnb_price = self.market.last(f"BNB{quote}", self.tick(f"BNB{quote}"))
            commission = cost * COMMISSION_RATE * BNB_DISCOUNT / bnb_price
            commission_asset = "BNB"
        commission = commission.quantize(Decimal("0.00000001"), rounding=ROUND_DOWN)
        paid_asset, paid = (quote, cost) if buy else (base, qty)
        locked_asset, locked = order["_locked"]
        release = min(locked, paid if paid_asset == locked_asset else locked)
        order["_locked"] = (locked_asset, locked - release)
        account.locked[locked_asset] -= release
        account.free[locked_asset] = account.free.get(locked_asset, ZERO) + release - paid
        account.free[received_asset] = account.free.get(received_asset, ZERO) + received
        account.free[commission_asset] = account.free.get(commission_asset, ZERO) - commission
        self._trade_ids[name] = self._trade_ids.get(name, 0) + 1
        trade_id = self._trade_ids[name]
        account.trades.append({
            "symbol": name, "id": trade_id, "orderId": order["orderId"], "orderListId": -1,
            "price": _fmt(price), "qty": _fmt(qty), "quoteQty": _fmt(cost),
            "commission": _fmt(commission), "commissionAsset": commission_asset,
            "time": now_ms, "isBuyer": buy, "isMaker": order["type"] == "LIMIT",
            "isBestMatch": True,
        })  # fmt: skip
        order["_fills"].append({
            "price": _fmt(price), "qty": _fmt(qty), "commission": _fmt(commission),
            "commissionAsset": commission_asset, "tradeId": trade_id,
        })  # fmt: skip
        executed = Decimal(order["executedQty"]) + qty
        order["executedQty"] = _fmt(executed)
        order["cummulativeQuoteQty"] = _fmt(Decimal(order["cummulativeQuoteQty"]) + cost)
        order["updateTime"] = now_ms
        order["status"] = "FILLED" if executed >= Decimal(order["origQty"]) else "PARTIALLY_FILLED"
        if order["status"] == "FILLED":
            self._release(account, order)

    def cancel(self, account: Account, order: dict[str, Any], now_ms: int) -> None:
        if order["status"] not in OPEN:
            raise BinanceFailure(-2011, "Unknown order sent.")
        self._close(account, order, "CANCELED", now_ms)

    def _close(self, account: Account, order: dict[str, Any], status: str, now_ms: int) -> None:
        order["status"] = status
        order["isWorking"] = False
        order["updateTime"] = now_ms
        self._release(account, order)

    def _release(self, account: Account, order: dict[str, Any]) -> None:
        asset, locked = order["_locked"]
        account.locked[asset] = account.locked.get(asset, ZERO) - locked
        account.free[asset] = account.free.get(asset, ZERO) + locked
        order["_locked"] = (asset, ZERO)

    # -- answers ----------------------------------------------------------------------------
    def public(
        self, order: dict[str, Any], *, full: bool = False, transact_ms: int | None = None
    ) -> dict[str, Any]:
        """The order as Binance shows it (query shape, or the FULL new-order answer)."""
        shown = {k: v for k, v in order.items() if not k.startswith("_")}
        if full:
            for key in ("stopPrice", "icebergQty", "time", "updateTime", "isWorking"):
                shown.pop(key, None)
            shown["transactTime"] = transact_ms
            shown["fills"] = list(order["_fills"])
        return shown
