"""The run page of the dashboard and the report: parts that can be rendered on their own
(title, headline, figures, symbols, charts, statistics here; the tables in run_tables).

Each part is a <section id="part-NAME" data-part="NAME">; the dashboard's script re-renders
parts through /runs/{id}/part/NAME while a run is live, so the page never reloads. The same
parts, fed with every row, make the offline report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html import escape
from typing import Any
from urllib.parse import quote

from peak_trade.app.cli.dashboard.charts import symbol_svg
from peak_trade.app.cli.dashboard.pages import e, status_badge, table
from peak_trade.app.cli.dashboard.run_page_data import RunPageData, section
from peak_trade.app.cli.dashboard.run_tables import (
    alerts_part,
    events_part,
    fills_part,
    lives_part,
    meta_part,
    orders_part,
    trips_part,
)
from peak_trade.app.monitoring.display import duration_text, time_text
from peak_trade.app.monitoring.presentation import (
    Precision,
    headline_figures,
    statistics_items,
    symbol_rows,
)


def title_part(data: RunPageData) -> str:
    view = data.view
    simulated = (
        ' <span class="badge simulated" title="fills are paper fills booked in the local '
        'ledger (validate-only orders); no real trade happened">SIMULATED</span>'
        if view.get("simulated")
        else ""
    )
    live = ' <span class="badge live">live</span>' if view.get("live") else ""
    api = f"/api/runs/{quote(str(view['run_id']))}"
    links = "" if data.report else f' · <a href="{api}">JSON</a>'
    clock = " (simulated session clock)" if view.get("clock") == "simulated" else ""
    return section(
        "title",
        f"<h1>Run {e(view['run_id'])} {status_badge(view.get('status'), 'run-status')}"
        f"{simulated}{live}</h1>"
        f'<p class="muted">{e(view.get("exchange"))} · {e(", ".join(view.get("symbols") or []))} '
        f"{e(view.get('timeframe'))} · strategy {e(view.get('strategy'))} "
        f"{e(_params(view.get('strategy_params')))} · session "
        f"{e(time_text(view.get('session_clock_start')))}"
        f" → {e(time_text(view.get('last_event_ts')))}{escape(clock)} · started "
        f"{e(time_text(view.get('started_at')))}, ended {e(time_text(view.get('ended_at')))} "
        f"(wall clock){links}</p>",
    )


def _params(params: Any) -> str:
    if not isinstance(params, Mapping) or not params:
        return ""
    return "(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"


def headline_part(data: RunPageData) -> str:
    """Why a run failed, halted, reduces or went quiet — first thing on the page."""
    view = data.view
    items = []
    headline = view.get("headline")
    if headline:
        level = str(headline.get("level") or "warning")
        items.append(
            f'<div class="banner {escape(level)}" role="alert">{e(headline.get("text"))}</div>'
        )
    notes = [view.get("status_note")] if view.get("status_note") else []
    log = view.get("log") or {}
    if log.get("bad_lines"):
        notes.append(f"{log['bad_lines']} unreadable line(s) in events.jsonl were skipped")
    if log.get("truncated_last_line"):
        notes.append("the last line of events.jsonl is incomplete (the writer stopped mid-line)")
    if view.get("source") != "summary.json":
        notes.append(f"figures come from {view.get('source')}")
    notes.extend(view.get("performance_notes") or [])
    items.extend(f'<p class="note">{e(n)}</p>' for n in notes)
    return section("headline", "".join(items))


def figures_part(data: RunPageData) -> str:
    cells = "".join(
        f'<div class="figure"><div class="k">{escape(k)}</div><div class="v num">{e(v)}</div></div>'
        for k, v in headline_figures(data.view)
    )
    return section("figures", f'<div class="grid" id="figures">{cells}</div>')


def symbols_part(data: RunPageData) -> str:
    columns, rows = symbol_rows(data.view)
    return section("symbols", table(columns, rows, "symbols"), title="Symbols")


def statistics_part(data: RunPageData) -> str:
    items = statistics_items(data.view)
    if not items:
        return section("statistics", '<p class="muted">no statistics yet</p>', title="Statistics")
    cells = "".join(
        f'<div class="figure"><div class="k">{escape(k)}</div><div class="v num">{e(v)}</div></div>'
        for k, v in items
    )
    return section("statistics", f'<div class="grid stats" id="statistics">{cells}</div>',
                   title="Statistics")  # fmt: skip


def charts_part(data: RunPageData) -> str:
    view = data.view
    precision = Precision.of(view)
    cards = []
    for symbol in view.get("symbols") or []:
        chart = data.charts.get(symbol)
        if chart is None:
            continue
        ident = _ident(symbol)
        svg = symbol_svg(
            chart,
            price_places=precision.prices.get(symbol, 2),
            quantity_places=precision.quantities.get(symbol, 8),
            money_places=precision.money,
        )
        source = (
            f'data-inline="chart-data-{ident}"'
            if data.report
            else f'data-src="/api/runs/{quote(str(view["run_id"]))}/chart?symbol={quote(symbol)}"'
        )
        inline = (
            f'<script type="application/json" id="chart-data-{ident}">'
            f"{_script_json(chart)}</script>"
            if data.report
            else ""
        )
        cards.append(
            f'<div class="chart-card" id="chart-{ident}" data-symbol="{e(symbol)}" {source} '
            f'data-price-places="{precision.prices.get(symbol, 2)}" '
            f'data-quantity-places="{precision.quantities.get(symbol, 8)}" '
            f'data-money-places="{precision.money}">'
            f'<div class="chart-head"><strong>{e(symbol)}</strong>'
            f' <span class="muted tf">{e(chart.get("timeframe"))} bars</span>'
            '<span class="tools"></span><span class="legend muted"></span></div>'
            f'<div class="chart-box">{svg}</div>{inline}</div>'
        )
    note = (
        '<p class="muted small">Panes: price with fills (▲ buy, ▼ sell), equity, drawdown from '
        "peak, position. Scroll or pinch to zoom, drag to pan, hover for values.</p>"
    )
    return section("charts", note + "".join(cards), title="Charts")


def _ident(symbol: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in symbol)


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c")


PARTS: dict[str, Callable[[RunPageData], str]] = {
    "title": title_part,
    "headline": headline_part,
    "figures": figures_part,
    "symbols": symbols_part,
    "charts": charts_part,
    "statistics": statistics_part,
    "trips": trips_part,
    "lives": lives_part,
    "orders": orders_part,
    "fills": fills_part,
    "alerts": alerts_part,
    "events": events_part,
    "meta": meta_part,
}
LIVE_PARTS = ("title", "headline", "figures", "symbols", "statistics", "trips", "lives",
              "orders", "fills", "alerts", "events")  # fmt: skip


def run_body(data: RunPageData) -> str:
    """Every part, in reading order."""
    return "".join(render(data) for render in PARTS.values())


def refresh_note(view: Mapping[str, Any], refresh_seconds: int) -> str:
    if not view.get("live"):
        return ""
    return (
        f'<p class="muted small" id="live-note">live: figures update every '
        f"{escape(duration_text(refresh_seconds) or '')} without reloading the page</p>"
    )
