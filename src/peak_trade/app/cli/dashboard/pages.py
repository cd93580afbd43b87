"""HTML pages of the dashboard; every value from a run log is HTML-escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from peak_trade import __version__
from peak_trade.app.cli.dashboard.charts import drawdown_series, line_chart
from peak_trade.app.monitoring.view import display_amount

_SECRETISH = re.compile(
    r"(secret|password|passphrase|token|api_key|apikey|private|webhook_url)", re.I
)
_NAME_ONLY = re.compile(r"(_env_var|_env|_var)$", re.I)


def e(value: Any) -> str:
    """HTML-escaped text; None and '' become a dash."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return escape(", ".join(f"{k} {v}" for k, v in value.items()) or "-")
    return escape(str(value))


def a(value: Any) -> str:
    """An escaped amount with at most two decimals."""
    return e(display_amount(value))


def redact(value: Any) -> Any:
    """Hide values of secret-looking keys (names of env vars stay visible)."""
    if isinstance(value, Mapping):
        return {
            k: "<redacted>"
            if _SECRETISH.search(str(k)) and not _NAME_ONLY.search(str(k)) and v
            else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def layout(title: str, body: str, *, refresh_seconds: int | None = None) -> str:
    """The page frame: local stylesheet, optional auto-refresh while a run is live."""
    refresh = (
        f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">' if refresh_seconds else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{refresh}"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/static/style.css"></head><body>'
        '<header><a href="/">peak_trade dashboard</a>'
        f'<span class="muted">v{escape(__version__)} · read-only · testnet</span></header>'
        f"<main>{body}</main></body></html>\n"
    )


def status_badge(status: Any) -> str:
    text = str(status or "unknown")
    css = re.sub(r"[^a-z]", "", text.split(" ")[0].lower())
    return f'<span class="badge status-{css}">{escape(text)}</span>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], element_id: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    if not rows:
        cols = len(headers)
        body = f'<tr><td colspan="{cols}" class="muted">none</td></tr>'
    else:
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table id="{element_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def runs_page(rows: Sequence[Mapping[str, Any]], base_dir: str) -> str:
    """All runs, newest first, each linking to its page."""
    table_rows = [
        [
            f'<a href="/runs/{quote(str(r["run_id"]))}">{e(r["run_id"])}</a>',
            status_badge(r.get("status")),
            e(r.get("symbol")),
            e(r.get("strategy")),
            e(r.get("exchange")),
            e(r.get("started_at")),
            e(r.get("end_equity")),
            e(r.get("orders")),
        ]
        for r in rows
    ]
    headers = ["Run", "Status", "Symbol", "Strategy", "Exchange", "Started", "End equity", "Orders"]
    body = (
        f'<h1>Runs</h1><p class="muted">from {e(base_dir)} · '
        '<a href="/api/runs">JSON</a></p>' + _table(headers, table_rows, "runs")
    )
    return layout("peak_trade runs", body)


def _figures(view: Mapping[str, Any]) -> str:
    orders = view.get("orders") or {}
    outcomes = ", ".join(f"{k} {v}" for k, v in (orders.get("by_outcome") or {}).items())
    age = view.get("data_age_seconds")
    candle = e(view.get("last_candle_time")) + (f" ({int(age)}s ago)" if age is not None else "")
    items = [
        ("Equity", a(view.get("equity"))),
        ("Start equity", a(view.get("start_equity"))),
        ("PnL total", a(view.get("total_pnl"))),
        (
            "PnL realized / unrealized",
            f"{a(view.get('realized_pnl'))} / {a(view.get('unrealized_pnl'))}",
        ),
        ("Fees", a(view.get("fees_paid"))),
        (
            "Drawdown now / max",
            f"{a(view.get('drawdown_pct'))}% / {a(view.get('max_drawdown_pct'))}%",
        ),
        ("Position", e(view.get("position_text"))),
        ("Orders by outcome", escape(outcomes) or "-"),
        ("Exchange errors", e(view.get("exchange_errors"))),
        ("Trading state", e(view.get("trading_state"))),
        ("Last candle", candle),
        ("Events", f"{e(view.get('events'))} (seq {e(view.get('last_seq'))})"),
    ]
    cells = "".join(
        f'<div class="figure"><div class="k">{escape(k)}</div><div class="v">{v}</div></div>'
        for k, v in items
    )
    return f'<div class="grid" id="figures">{cells}</div>'


def _fill_kind(order: Mapping[str, Any]) -> str:
    if order.get("simulated") is True:
        return '<span class="badge simulated">simulated</span>'
    filled = str(order.get("filled_quantity") or "0")
    return "real" if filled not in ("0", "", "None") else "-"


def _short_id(value: Any) -> str:
    text = str(value or "")
    return f'<span title="{e(text)}">{e(text[:8])}</span>'


def _orders_table(orders: Sequence[Mapping[str, Any]]) -> str:
    rows = [
        [
            e(o.get("ts")),
            _short_id(o.get("client_order_id")),
            e(o.get("side")),
            e(o.get("quantity")),
            e(o.get("status")),
            e(o.get("reason")),
            _fill_kind(o),
            e(o.get("average_price") or o.get("reference_price")),
            a(o.get("fees")),
            e(o.get("message")),
        ]
        for o in reversed(orders)
    ]
    headers = [
        "Time",
        "Order",
        "Side",
        "Qty",
        "Status",
        "Reason",
        "Fill",
        "Price",
        "Fees",
        "Message",
    ]
    return _table(headers, rows, "orders")


def _alerts_table(alerts: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for a in reversed(alerts):
        level = re.sub(r"[^a-z]", "", str(a.get("level", "")).lower())
        rows.append(
            [
                e(a.get("ts")),
                f'<span class="level-{level}">{e(a.get("level"))}</span>',
                e(a.get("rule")),
                e(a.get("message")),
            ]
        )
    return _table(["Time", "Level", "Rule", "Message"], rows, "alerts")


def run_page(
    view: Mapping[str, Any],
    series: Mapping[str, Any],
    alerts: Sequence[Mapping[str, Any]],
    alerts_total: int,
    meta: Mapping[str, Any] | None,
    *,
    refresh_seconds: int,
) -> str:
    """One run: figures, equity/drawdown/position charts, orders, alerts and the meta snapshot."""
    run_id = str(view["run_id"])
    api = f"/api/runs/{quote(run_id)}"
    simulated = (
        '<p><span class="badge simulated">SIMULATED</span> fills are paper fills booked in the '
        "local ledger (validate-only orders); no real trade happened</p>"
        if view.get("simulated")
        else ""
    )
    note = f'<p class="note">{e(view.get("status_note"))}</p>' if view.get("status_note") else ""
    live = (
        f'<p class="muted">live: this page refreshes every {int(refresh_seconds)}s</p>'
        if view.get("live")
        else ""
    )
    equity = series.get("equity") or []
    meta_text = json.dumps(redact(meta), indent=2, default=str) if meta else "no meta.json"
    shown = (
        f"last {len(alerts)} of {alerts_total}" if alerts_total > len(alerts) else str(alerts_total)
    )
    body = (
        f"<h1>Run {e(run_id)} {status_badge(view.get('status'))}</h1>"
        f"{simulated}{note}{live}"
        f'<p class="muted">{e(view.get("exchange"))} · {e(view.get("symbol"))} '
        f"{e(view.get('timeframe'))} · strategy {e(view.get('strategy'))} · started "
        f"{e(view.get('started_at'))} · ended {e(view.get('ended_at'))} · "
        f'<a href="{api}">JSON</a></p>'
        f"{_figures(view)}"
        "<h2>Equity</h2>"
        + line_chart(equity, element_id="equity-chart", title="Equity")
        + "<h2>Drawdown from peak</h2>"
        + line_chart(
            drawdown_series(equity),
            element_id="drawdown-chart",
            title="Drawdown",
            unit="%",
            fill=True,
        )
        + "<h2>Position</h2>"
        + line_chart(
            series.get("position") or [], element_id="position-chart", title="Position", step=True
        )
        + f"<h2>Orders</h2>{_orders_table(series.get('orders') or [])}"
        + f"<h2>Alerts ({escape(shown)})</h2>{_alerts_table(alerts)}"
        + f'<h2>Meta and config snapshot</h2><pre id="meta">{escape(meta_text)}</pre>'
    )
    return layout(
        f"peak_trade run {run_id}",
        body,
        refresh_seconds=refresh_seconds if view.get("live") else None,
    )


def error_page(status: int, message: str) -> str:
    """A small HTML error page."""
    return layout(f"{status}", f"<h1>{status}</h1><p>{escape(message)}</p>")
