"""HTML building blocks of the dashboard and the report: the page frame, tables with pagers,
badges, the runs list. Every value from a run log is HTML-escaped."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from peak_trade import __version__
from peak_trade.app.monitoring.display import fixed, money_places, time_text
from peak_trade.app.monitoring.presentation import Column

_SECRETISH = re.compile(
    r"(secret|password|passphrase|token|api_key|apikey|private|webhook_url)", re.I
)
_NAME_ONLY = re.compile(r"(_env_var|_env|_var)$", re.I)
TRADINGVIEW = "https://www.tradingview.com/"
ATTRIBUTION = (
    "Charts: TradingView Lightweight Charts™, Copyright (c) 2023 TradingView, Inc., "
    "Apache License 2.0"
)


def e(value: Any) -> str:
    """HTML-escaped text; None and '' become a dash."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return escape(", ".join(f"{k} {v}" for k, v in value.items()) or "-")
    return escape(str(value))


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


def layout(
    title: str,
    body: str,
    *,
    head: str = "",
    body_attrs: str = "",
    scripts: Sequence[str] = (),
) -> str:
    """The page frame: the local stylesheet and scripts (no CDN, no inline script)."""
    tags = "".join(f'<script src="{escape(src)}" defer></script>' for src in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="/static/style.css">{head}{tags}</head>'
        f"<body{body_attrs}>"
        '<header><a href="/">peak_trade dashboard</a>'
        f'<span class="muted">v{escape(__version__)} · read-only · testnet · times in UTC'
        "</span></header>"
        f"<main>{body}</main>{footer()}</body></html>\n"
    )


def attribution() -> str:
    """The chart library's attribution notice with the link its licence asks for."""
    return f'{escape(ATTRIBUTION)} (<a href="{TRADINGVIEW}" rel="noreferrer">tradingview.com</a>)'


def footer() -> str:
    return (
        f'<footer class="muted">peak_trade {escape(__version__)} · {attribution()} · '
        'licence and notice: <a href="/static/vendor/lightweight-charts/LICENSE">LICENSE</a>, '
        '<a href="/static/vendor/lightweight-charts/NOTICE">NOTICE</a></footer>'
    )


def status_badge(status: Any, element_id: str = "") -> str:
    text = str(status or "unknown")
    css = re.sub(r"[^a-z]", "", text.split(" ")[0].lower())
    ident = f' id="{escape(element_id)}"' if element_id else ""
    return f'<span{ident} class="badge status-{css}">{escape(text)}</span>'


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    element_id: str,
    *,
    raw: bool = False,
    empty: str = "none",
) -> str:
    """A table; cells are escaped unless `raw` (already HTML); numeric columns align right."""
    head = "".join(
        f'<th class="num">{escape(c.title)}</th>' if c.numeric else f"<th>{escape(c.title)}</th>"
        for c in columns
    )
    if not rows:
        body = f'<tr><td colspan="{len(columns)}" class="muted">{escape(empty)}</td></tr>'
    else:
        opening = ['<td class="num">' if col.numeric else "<td>" for col in columns]
        body = "".join(
            "<tr>"
            + "".join(
                f"{tag}{cell if raw else e(cell)}</td>"
                for tag, cell in zip(opening, row, strict=True)
            )
            + "</tr>"
            for row in rows
        )
    return f'<table id="{element_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def pager(name: str, page: Mapping[str, Any], noun: str) -> str:
    """`rows 101-200 of 5,454 orders` with newer/older links (`?<name>=offset#part-<name>`)."""
    total, offset = int(page.get("total") or 0), int(page.get("offset") or 0)
    shown = len(page.get(name) or page.get("rows") or [])
    if total == 0:
        return f'<p class="pager muted" data-total="0">no {escape(noun)}</p>'
    first, last = offset + 1, offset + shown
    links = []
    if page.get("previous_offset") is not None:
        links.append(_page_link(name, 0, "« newest"))
        links.append(_page_link(name, int(page["previous_offset"]), "‹ newer"))
    if page.get("next_offset") is not None:
        links.append(_page_link(name, int(page["next_offset"]), "older ›"))
        limit = int(page.get("limit") or shown or 1)
        links.append(_page_link(name, max(0, (total - 1) // limit * limit), "oldest »"))
    return (
        f'<p class="pager" data-total="{total}">{escape(noun)} {first:,}–{last:,} of '
        f'<strong class="count">{total:,}</strong>, newest first'
        + (" · " + " · ".join(links) if links else "")
        + "</p>"
    )


def _page_link(name: str, offset: int, label: str) -> str:
    return (
        f'<a href="?{name}={offset}#part-{name}" data-part="{name}" data-offset="{offset}">'
        f"{escape(label)}</a>"
    )


def runs_page(rows: Sequence[Mapping[str, Any]], base_dir: str) -> str:
    """All runs, newest first, each linking to its page."""
    columns = [
        Column("Run"),
        Column("Status"),
        Column("Symbols"),
        Column("Strategy"),
        Column("Exchange"),
        Column("Started (UTC)"),
        Column("End equity", True),
        Column("Orders", True),
    ]
    table_rows = [
        [
            f'<a href="/runs/{quote(str(r["run_id"]))}">{e(r["run_id"])}</a>',
            status_badge(r.get("status")),
            e(r.get("symbol")),
            e(r.get("strategy")),
            e(r.get("exchange")),
            e(time_text(r.get("started_at"))),
            e(
                fixed(r.get("end_equity"), money_places(r.get("base_currency")), grouping=True)
                or r.get("end_equity")
            ),
            e(r.get("orders")),
        ]
        for r in rows
    ]
    body = (
        f'<h1>Runs</h1><p class="muted">{len(rows):,} run(s) in {e(base_dir)} · '
        '<a href="/api/runs">JSON</a> · <a href="/metrics">metrics</a></p>'
        + table(columns, table_rows, "runs", raw=True)
    )
    return layout("peak_trade runs", body)


def error_page(status: int, message: str) -> str:
    """A small HTML error page."""
    return layout(f"{status}", f"<h1>{status}</h1><p>{escape(message)}</p>")
