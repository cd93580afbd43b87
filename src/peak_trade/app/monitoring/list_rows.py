"""Table rows of a run as people read them: round trips, orders, fills, alerts, lives and
events, shared by the dashboard, the report and `peak-trade monitor`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from peak_trade.app.monitoring.display import duration_text, fixed, money_places
from peak_trade.app.monitoring.presentation import DASH, Column, Precision, pct, plain, when

TRIP_COLUMNS = [
    Column("Symbol"),
    Column("Side"),
    Column("Entry time"),
    Column("Entry price", True),
    Column("Exit time"),
    Column("Exit price", True),
    Column("Quantity", True),
    Column("Net PnL", True),  # after fees; an open trip shows its unrealized PnL
    Column("Net PnL %", True),
    Column("Fees", True),
    Column("Duration", True),
    Column("Exit reason"),
]


def trip_cells(row: Mapping[str, Any], p: Precision) -> list[str]:
    symbol = row.get("symbol")
    open_ = bool(row.get("open"))
    pnl = row.get("unrealized_pnl") if open_ else row.get("net_pnl")
    return [
        plain(symbol),
        plain(row.get("direction")),
        when(row.get("entry_time")),
        p.price(symbol, row.get("entry_price")),
        "open" if open_ else when(row.get("exit_time")),
        p.price(symbol, row.get("exit_price")),
        p.quantity(symbol, row.get("quantity")),
        p.quote_money(symbol, pnl, signed=True) + (" (unrealized)" if open_ else ""),
        pct(row.get("pnl_pct"), signed=True),
        p.quote_money(symbol, row.get("fees")),
        duration_text(row.get("duration_seconds")) or DASH,
        plain(row.get("exit_reason")),
    ]


ORDER_COLUMNS = [
    Column("Time"),
    Column("Order"),
    Column("Symbol"),
    Column("Side"),
    Column("Qty", True),
    Column("Intent"),
    Column("Status"),
    Column("Reason"),
    Column("Fill"),
    Column("Price", True),
    Column("Fees", True),
    Column("Message"),
]


def order_cells(row: Mapping[str, Any], p: Precision) -> list[str]:
    symbol = row.get("symbol")
    intent = row.get("intent")
    intent_reason = row.get("intent_reason")
    filled = fixed(row.get("filled_quantity"), 12)
    kind = (
        "simulated"
        if row.get("simulated") is True
        else ("real" if filled and filled != fixed(0, 12) else DASH)
    )
    return [
        when(row.get("updated_at") or row.get("ts")),
        plain(row.get("client_order_id")),
        plain(symbol),
        plain(row.get("side")),
        p.quantity(symbol, row.get("quantity")),
        f"{intent} ({intent_reason})"
        if intent and intent_reason
        else plain(intent or intent_reason),
        plain(row.get("status")),
        plain(row.get("reason")),
        kind,
        p.price(symbol, row.get("average_price") or row.get("reference_price")),
        p.quote_money(symbol, row.get("fees")),
        plain(row.get("message")),
    ]


FILL_COLUMNS = [
    Column("Time"),
    Column("Symbol"),
    Column("Side"),
    Column("Qty", True),
    Column("Price", True),
    Column("Fee", True),
    Column("Position after", True),
    Column("Equity after", True),
    Column("Kind"),
    Column("Order"),
]


def fill_cells(row: Mapping[str, Any], p: Precision) -> list[str]:
    symbol = row.get("symbol")
    fee_currency = row.get("fee_currency")
    places = money_places(str(fee_currency)) if fee_currency else p.money
    fee = fixed(row.get("fee"), places, grouping=p.grouping)
    return [
        when(row.get("fill_time") or row.get("ts")),
        plain(symbol),
        plain(row.get("side")),
        p.quantity(symbol, row.get("quantity")),
        p.price(symbol, row.get("price")),
        f"{fee or DASH} {fee_currency or ''}".strip(),
        p.quantity(symbol, row.get("position_after")),
        p.money_text(row.get("equity_after")),
        "simulated" if row.get("simulated") else "real",
        plain(row.get("order_id")),
    ]


ALERT_COLUMNS = [Column("Time"), Column("Level"), Column("Rule"), Column("Message")]


def alert_cells(row: Mapping[str, Any]) -> list[str]:
    return [
        when(row.get("ts")),
        plain(row.get("level")),
        plain(row.get("rule")),
        plain(row.get("message")),
    ]


LIFE_COLUMNS = [
    Column("Life", True),
    Column("Started (session clock)"),
    Column("Resumed at (wall clock)"),
    Column("Cause"),
    Column("Ended"),
    Column("Status"),
]


def life_cells(row: Mapping[str, Any]) -> list[str]:
    return [
        plain(row.get("life")),
        when(row.get("started_at")),
        when(row.get("resumed_at")),
        plain(row.get("cause") or ("start" if row.get("life") == 1 else None)),
        when(row.get("ended_at")),
        plain(row.get("status") or ("running" if not row.get("ended_at") else None)),
    ]


def event_details(event: Mapping[str, Any], limit: int = 160) -> str:
    """An event's payload as `key=value` pairs (nested values compact), cut at `limit`."""
    parts = []
    for key, value in event.items():
        if key in ("seq", "ts", "type") or value is None or value == "" or value == []:
            continue
        parts.append(f"{key}={_compact(value)}")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _compact(value: object) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_compact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_compact(v) for v in value) + "]"
    return plain(value)


def columns_titles(columns: Sequence[Column]) -> list[str]:
    return [c.title for c in columns]
