"""FillLog: every fill of a run (`fill` and `simulated_fill` events) and its domain `Fill`s.

The rows feed the fills table and the chart markers; `domain_fills` feeds the round trips
(`peak_trade.domain.performance`), so trips and statistics are computed once, in the domain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from peak_trade.app.monitoring.numbers import as_decimal, parse_utc
from peak_trade.domain.orders import Fill, OrderSide
from peak_trade.domain.symbols import Symbol

_FIELDS = (
    "order_id",
    "trade_id",
    "symbol",
    "side",
    "quantity",
    "price",
    "fee",
    "fee_currency",
    "fill_time",
    "simulated",
    "position_after",
    "cash_after",
    "equity_after",
)


class FillLog:
    """Fills in the order they were written; `default_symbol` for fills that carry none."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.by_symbol: Counter[str] = Counter()
        self.simulated = 0
        self.real = 0
        self.quantity_decimals: dict[str, int] = {}
        self._domain: list[Fill | None] = []  # rows converted so far (None: unreadable)

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, event: Mapping[str, Any], default_symbol: str | None) -> dict[str, Any]:
        row = {k: event[k] for k in _FIELDS if k in event}
        row["seq"], row["ts"] = event.get("seq"), event.get("ts")
        symbol = row.get("symbol") or default_symbol
        row["symbol"] = symbol
        simulated = event.get("type") == "simulated_fill" or event.get("simulated") is True
        row["simulated"] = simulated
        if simulated:
            self.simulated += 1
        else:
            self.real += 1
        if isinstance(symbol, str):
            self.by_symbol[symbol] += 1
            quantity = event.get("quantity")
            if isinstance(quantity, str) and "." in quantity:
                places = len(quantity) - quantity.index(".") - 1
                if places > self.quantity_decimals.get(symbol, -1):
                    self.quantity_decimals[symbol] = places
        self.rows.append(row)
        return row

    def page(self, offset: int, limit: int, symbol: str | None = None) -> list[dict[str, Any]]:
        """Rows newest first (of one symbol when given), `offset` rows skipped."""
        rows = self.rows if symbol is None else [r for r in self.rows if r["symbol"] == symbol]
        top = len(rows) - 1 - offset
        return [dict(rows[i]) for i in range(top, max(top - limit, -1), -1)]

    def domain_fills(self) -> tuple[list[Fill], int]:
        """The fills as domain `Fill`s, and how many rows could not be read as one."""
        for index in range(len(self._domain), len(self.rows)):
            self._domain.append(_fill(self.rows[index], index))
        fills = [fill for fill in self._domain if fill is not None]
        return fills, len(self._domain) - len(fills)


def _fill(row: Mapping[str, Any], index: int) -> Fill | None:
    quantity, price = as_decimal(row.get("quantity")), as_decimal(row.get("price"))
    fee = as_decimal(row.get("fee")) or as_decimal(0)
    when = parse_utc(row.get("fill_time")) or parse_utc(row.get("ts"))
    try:
        symbol = Symbol.parse(str(row.get("symbol")))
        side = OrderSide(str(row.get("side")).lower())
        if quantity is None or price is None or fee is None or when is None:
            return None
        if str(row.get("fee_currency") or "") not in ("", symbol.base, symbol.quote):
            return None  # a fee in a third asset has no price in the run log
        return Fill(
            order_id=str(row.get("order_id") or f"fill-{index}"),
            trade_id=str(row.get("trade_id") or f"fill-{index}"),
            symbol=symbol,
            side=side,
            quantity=quantity,
            price=price,
            fee=fee,
            fee_currency=str(row.get("fee_currency") or ""),
            time=when,
            simulated=bool(row.get("simulated")),
        )
    except ValueError:
        return None
