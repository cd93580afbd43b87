"""The run page's table parts: round trips, lives, orders, fills, alerts, events and the
config snapshot, each with its pager (the report shows every row instead)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from peak_trade.app.cli.dashboard.pages import e, pager, redact, table
from peak_trade.app.cli.dashboard.run_page_data import RunPageData, section
from peak_trade.app.monitoring.display import time_text
from peak_trade.app.monitoring.list_rows import (
    ALERT_COLUMNS,
    FILL_COLUMNS,
    LIFE_COLUMNS,
    ORDER_COLUMNS,
    TRIP_COLUMNS,
    alert_cells,
    event_details,
    fill_cells,
    life_cells,
    order_cells,
    trip_cells,
)
from peak_trade.app.monitoring.presentation import Column, Precision


def trips_part(data: RunPageData) -> str:
    page = data.trips
    if page is None:
        return ""
    precision = Precision.of(data.view)
    rows = [trip_cells(row, precision) for row in page.get("round_trips") or []]
    cells = [[_signed_html(c) if i in (7, 8) else e(c) for i, c in enumerate(r)] for r in rows]
    head = "" if data.report else pager("trips", {**page, "trips": rows}, "round trips")
    body = table(TRIP_COLUMNS, cells, "round-trips", raw=True, empty="no round trips yet")
    return _paged("trips", page, "Round trips", head + body)


def _paged(name: str, page: Mapping[str, Any], title: str, body: str) -> str:
    """The part of a paged list: `body` (its pager and table) at the page's offset, titled
    with the list's whole length."""
    total = int(page.get("total") or 0)
    return section(name, body, int(page.get("offset") or 0), f"{title} ({total:,})")


def _signed_html(text: str) -> str:
    css = "pos" if text.startswith("+") else "neg" if text.startswith("-") and text != "-" else ""
    return f'<span class="{css}">{e(text)}</span>' if css else e(text)


def lives_part(data: RunPageData) -> str:
    lives = data.view.get("lives") or []
    if len(lives) <= 1 and not any(life.get("cause") for life in lives[1:]):
        return section("lives", "")
    rows = [life_cells(life) for life in lives]
    return section("lives", table(LIFE_COLUMNS, rows, "lives"), title=f"Lives ({len(lives)})")


def orders_part(data: RunPageData) -> str:
    page = data.orders
    if page is None:
        return ""
    view = data.view
    orders = view.get("orders") or {}
    counters = orders.get("summary_counters") or {}
    precision = Precision.of(view)
    rows = [order_cells(row, precision) for row in page.get("orders") or []]
    listed, sent = int(orders.get("listed") or 0), orders.get("sent")
    refused = listed - int(orders.get("intents") or 0)
    summary_sent = counters.get("orders_submitted")
    counts = (
        f'<p class="counts"><span id="orders-listed">{listed:,}</span> orders: '
        f'<span id="orders-sent">{sent:,}</span> sent to the exchange'
        + (
            f' (summary.json: <span id="orders-summary">{int(summary_sent):,}</span>)'
            if summary_sent is not None
            else ""
        )
        + (f", {refused:,} refused before sending" if refused > 0 else "")
        + _limits(orders.get("risk_blocked_by_limit"))
        + "</p>"
    )
    return section(
        "orders",
        counts + pager("orders", page, "orders") + table(ORDER_COLUMNS, rows, "orders"),
        int(page.get("offset") or 0),
        f"Orders ({listed:,})",
    )


def _limits(by_limit: Any) -> str:
    if not by_limit:
        return ""
    return " · risk blocks by limit: " + ", ".join(f"{k} {v}" for k, v in by_limit.items())


def fills_part(data: RunPageData) -> str:
    page = data.fills
    if page is None:
        return ""
    precision = Precision.of(data.view)
    rows = [fill_cells(row, precision) for row in page.get("fills") or []]
    body = pager("fills", page, "fills") + table(FILL_COLUMNS, rows, "fills")
    return _paged("fills", page, "Fills", body)


def alerts_part(data: RunPageData) -> str:
    page = data.alerts
    if page is None:
        return ""
    rows = [
        [_level_html(cells[1]) if i == 1 else e(c) for i, c in enumerate(cells)]
        for cells in (alert_cells(a) for a in page.get("alerts") or [])
    ]
    head = "" if data.report else pager("alerts", page, "alerts")
    body = table(ALERT_COLUMNS, rows, "alerts", raw=True, empty="no alerts")
    return _paged("alerts", page, "Alerts", head + body)


def _level_html(level: str) -> str:
    return f'<span class="level-{escape(level)}">{escape(level)}</span>'


def events_part(data: RunPageData) -> str:
    page = data.events
    if page is None:
        return ""
    columns = [Column("Seq", True), Column("Time"), Column("Type"), Column("Details")]
    rows = [
        [str(ev.get("seq", "-")), time_text(ev.get("ts")) or "-", str(ev.get("type", "-")),
         event_details(ev, 240)]
        for ev in page.get("events") or []
    ]  # fmt: skip
    body = pager("events", page, "events") + table(columns, rows, "events")
    return _paged("events", page, "Events", body)


def meta_part(data: RunPageData) -> str:
    meta = data.meta
    text = json.dumps(redact(meta), indent=2, default=str) if meta else "no meta.json"
    return section(
        "meta",
        f'<details open><summary>meta.json (secrets redacted)</summary><pre id="meta">'
        f"{escape(text)}</pre></details>",
        title="Run configuration",
    )
