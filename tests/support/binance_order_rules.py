"""Order checks of the loopback Binance server: parameters, symbol status and filters.

What Binance checks before an order reaches its matching engine (and what /order/test runs):
parameter text (-1100, -1102, -1106, -1111), side and type, `newClientOrderId`'s pattern,
symbol status ("Market is closed."), order types, and the filters PRICE_FILTER, LOT_SIZE,
MARKET_LOT_SIZE, PERCENT_PRICE_BY_SIDE and NOTIONAL (-1013 "Filter failure: <NAME>").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tests.support.binance_market import filter_of

DECIMAL_TEXT = re.compile(r"^([0-9]{1,20})(\.[0-9]{1,20})?$")
CLIENT_ID = re.compile(r"^[a-zA-Z0-9-_]{1,36}$")


class BinanceFailure(Exception):
    """A Binance error answer: HTTP status, code and message."""

    def __init__(
        self, code: int, msg: str, status: int = 400, *, retry_after: int | None = None
    ) -> None:
        super().__init__(f"{code} {msg}")
        self.code, self.msg, self.status = code, msg, status
        self.retry_after = retry_after


def _decimal(params: Mapping[str, str], field: str) -> Decimal:
    text = params.get(field)
    if text is None or text == "":
        raise BinanceFailure(
            -1102, f"Mandatory parameter '{field}' was not sent, was empty/null, or malformed."
        )
    if not DECIMAL_TEXT.match(text):
        raise BinanceFailure(
            -1100,
            f"Illegal characters found in parameter '{field}'; legal range is "
            "'^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
        )
    value = Decimal(text)
    if -int(value.as_tuple().exponent) > 8:
        raise BinanceFailure(-1111, f"Parameter '{field}' has too much precision.")
    return value


def validate_order(entry: dict[str, Any], last: Decimal, p: Mapping[str, str]) -> dict[str, Any]:
    """Every check Binance makes before the matching engine; returns the order's terms.

    `last` is the symbol's last price (the reference of PERCENT_PRICE_BY_SIDE and of a
    MARKET order's notional)."""
    side, kind = p.get("side"), p.get("type")
    if side not in ("BUY", "SELL"):
        raise BinanceFailure(-1117, "Invalid side.")
    if kind not in ("MARKET", "LIMIT"):
        raise BinanceFailure(-1116, "Invalid orderType.")
    cid = p.get("newClientOrderId")
    if cid is not None and not CLIENT_ID.match(cid):
        raise BinanceFailure(
            -1100,
            "Illegal characters found in parameter 'newClientOrderId'; legal range is "
            "'^[a-zA-Z0-9-_]{1,36}$'.",
        )
    quantity = _decimal(p, "quantity")
    price = None
    if kind == "LIMIT":
        if p.get("timeInForce") not in ("GTC", "IOC", "FOK"):
            raise BinanceFailure(
                -1102,
                "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
            )
        price = _decimal(p, "price")
    elif "price" in p or "timeInForce" in p:
        raise BinanceFailure(-1106, "Parameter 'price' sent when not required.")
    if entry["status"] != "TRADING":
        raise BinanceFailure(-1013, "Market is closed.")
    if kind not in entry["orderTypes"]:
        raise BinanceFailure(-2010, "Market orders are not supported for this symbol.")
    _filters(entry, side, kind, quantity, price, last)
    return {"entry": entry, "side": side, "type": kind, "quantity": quantity, "price": price}


def _filters(
    entry: dict[str, Any], side: str, kind: str, qty: Decimal, price: Decimal | None, last: Decimal
) -> None:
    pf = filter_of(entry, "PRICE_FILTER")
    if price is not None and (
        price < Decimal(pf["minPrice"])
        or price > Decimal(pf["maxPrice"])
        or price % Decimal(pf["tickSize"]) != 0
    ):
        raise BinanceFailure(-1013, "Filter failure: PRICE_FILTER")
    lot = {k: Decimal(v) for k, v in filter_of(entry, "LOT_SIZE").items() if k != "filterType"}
    if qty < lot["minQty"] or qty > lot["maxQty"] or qty % lot["stepSize"] != 0:
        raise BinanceFailure(-1013, "Filter failure: LOT_SIZE")
    market_max = Decimal(filter_of(entry, "MARKET_LOT_SIZE")["maxQty"])
    if kind == "MARKET" and 0 < market_max < qty:
        raise BinanceFailure(-1013, "Filter failure: MARKET_LOT_SIZE")
    band = filter_of(entry, "PERCENT_PRICE_BY_SIDE")
    if price is not None and band:
        up, down = (
            ("bidMultiplierUp", "bidMultiplierDown")
            if side == "BUY"
            else ("askMultiplierUp", "askMultiplierDown")
        )
        if price > last * Decimal(band[up]) or price < last * Decimal(band[down]):
            raise BinanceFailure(-1013, "Filter failure: PERCENT_PRICE_BY_SIDE")
    notional = filter_of(entry, "NOTIONAL")
    cost = qty * (price if price is not None else last)
    limit_order = kind == "LIMIT"
    too_small = cost < Decimal(notional["minNotional"])
    too_large = cost > Decimal(notional["maxNotional"])
    if (too_small and (limit_order or notional["applyMinToMarket"])) or (
        too_large and (limit_order or notional["applyMaxToMarket"])
    ):
        raise BinanceFailure(-1013, "Filter failure: NOTIONAL")
