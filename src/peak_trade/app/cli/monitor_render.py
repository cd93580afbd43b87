"""Text output of `peak-trade monitor`: rich tables on a terminal (or with FORCE_COLOR), plain
text when piped: `key: value` lines and tab-separated tables with a header line, no escape codes,
so `grep`/`awk`/`cut` work on it. NO_COLOR keeps the tables and drops the colours.

Figures come from app.monitoring.presentation, the same text the dashboard and report show.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peak_trade.app.monitoring.display import duration_text, fixed, money_places, time_text
from peak_trade.app.monitoring.list_rows import (
    ALERT_COLUMNS,
    TRIP_COLUMNS,
    event_details,
    trip_cells,
)
from peak_trade.app.monitoring.presentation import (
    Column,
    Precision,
    errors_text,
    last_candle_text,
    position_summary,
    statistics_items,
    symbol_rows,
    trading_state_text,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f\x9b]")
STATUS_STYLE = {
    "running": "green",
    "completed": "cyan",
    "interrupted": "yellow",
    "halted": "red",
    "failed": "bold red",
    "stale": "red",
}
LEVEL_STYLE = {"info": "cyan", "warning": "yellow", "critical": "bold red"}
LIST_COLUMNS = (
    ("run_id", "RUN ID"),
    ("status", "STATUS"),
    ("symbol", "SYMBOL"),
    ("strategy", "STRATEGY"),
    ("started_at", "STARTED"),
    ("end_equity", "END EQUITY"),
    ("orders", "ORDERS"),
)
EVENT_HEADERS = ("SEQ", "TIME", "TYPE", "DETAILS")
SIMULATED_NOTE = (
    "SIMULATED: fills are paper fills booked in the local ledger (validate-only orders); "
    "no real trade happened"
)


def clean(value: Any) -> str:
    """One line of text from a log value: no newlines, escape sequences or control characters."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _CONTROL.sub("?", " ".join(str(value).split()))


def _list_cells(row: Mapping[str, Any]) -> list[str]:
    places = money_places(row.get("base_currency"))
    shown = {
        "end_equity": lambda v: fixed(v, places) or v,
        "started_at": lambda v: time_text(v) or v,
    }
    return [clean(shown.get(key, lambda v: v)(row.get(key))) for key, _ in LIST_COLUMNS]


# --- plain (piped) -----------------------------------------------------------------------


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return "\n".join("\t".join(clean(c) for c in r) for r in [list(headers), *rows])


def plain_list(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "no runs"
    return plain_table([h for _, h in LIST_COLUMNS], [_list_cells(r) for r in rows])


def plain_view(view: Mapping[str, Any]) -> str:
    """The summary view of one run as `key: value` lines."""
    lines = [f"run {clean(view['run_id'])}  [{clean(view.get('status'))}]"]
    headline = view.get("headline")
    if headline:
        lines.append(f"{str(headline.get('level', '')).upper()}: {clean(headline.get('text'))}")
    if view.get("simulated"):
        lines.append(SIMULATED_NOTE)
    lines += [f"{key}: {value}" for key, value in view_pairs(view, grouping=False)]
    stats = statistics_items(view, grouping=False)
    if stats:
        lines.append("statistics:")
        lines += [f"  {k.lower()}: {v}" for k, v in stats]
    columns, rows = symbol_rows(view, grouping=False)
    if len(rows) > 1:
        lines.append(plain_table([c.title.upper() for c in columns], rows))
    lines += [f"note: {n}" for n in notes(view)]
    return "\n".join(lines)


def view_pairs(view: Mapping[str, Any], *, grouping: bool) -> list[tuple[str, str]]:
    """The view as (label, text) pairs, most important first."""
    p = Precision.of(view, grouping=grouping)
    venue = view.get("venue") or {}
    venue_text = clean(view.get("exchange"))
    if venue:
        kind = "PRODUCTION" if venue.get("production") else "sandbox"
        mode = "validate-only" if venue.get("validate_only") else "executing"
        venue_text += f" ({clean(venue.get('host'))}, {kind}, {mode})"
    orders = view.get("orders") or {}
    outcomes = ", ".join(f"{k} {v}" for k, v in (orders.get("by_outcome") or {}).items())
    fills = view.get("fills") or {}
    currency = view.get("base_currency") or ""
    params = view.get("strategy_params") or {}
    strategy = clean(view.get("strategy")) + (
        " (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")" if params else ""
    )
    clock = " (simulated clock)" if view.get("clock") == "simulated" else ""
    pairs = [
        ("exchange", venue_text),
        ("market", f"{', '.join(view.get('symbols') or []) or '-'} {clean(view.get('timeframe'))}"),
        ("strategy", strategy),
        (
            "session",
            f"{time_text(view.get('session_clock_start')) or '-'} -> "
            f"{time_text(view.get('last_event_ts')) or '-'}{clock}",
        ),
        ("started", time_text(view.get("started_at")) or "-"),
        ("ended", time_text(view.get("ended_at")) or "-"),
        ("last write", (time_text(view.get("last_write")) or "-") + _ago(view)),
        ("trading", trading_state_text(view)),
        ("position", position_summary(view)),
        (
            "equity",
            f"{p.money_text(view.get('equity'))} {currency} (start "
            f"{p.money_text(view.get('start_equity'))}, "
            f"peak {p.money_text(view.get('peak_equity'))})",
        ),
        (
            "pnl",
            f"total {p.money_text(view.get('total_pnl'), signed=True)} "
            f"({fixed(view.get('total_return_pct'), 2, signed=True) or '-'}%), realized "
            f"{p.money_text(view.get('realized_pnl'), signed=True)}, unrealized "
            f"{p.money_text(view.get('unrealized_pnl'), signed=True)}, fees "
            f"{p.money_text(view.get('fees_paid'))}",
        ),
        (
            "drawdown",
            f"{fixed(view.get('drawdown_pct'), 2) or '-'}% now, "
            f"{fixed(view.get('max_drawdown_pct'), 2) or '-'}% max",
        ),
        (
            "orders",
            f"{orders.get('sent', 0)} sent to the exchange; {orders.get('listed', 0)} listed; "
            f"by outcome: {outcomes or 'none'}",
        ),
        ("fills", f"{fills.get('total', 0)}" + (" (simulated)" if fills.get("simulated") else "")),
        (
            "errors",
            f"exchange errors {errors_text(view)}"
            + (f"; last: {clean(view.get('last_error'))}" if view.get("last_error") else ""),
        ),
        ("alerts", str(view.get("alerts", 0))),
        ("last candle", last_candle_text(view)),
        ("events", f"{view.get('events', 0)} (last seq {view.get('last_seq', 0)})"),
    ]
    lives = view.get("lives") or []
    if len(lives) > 1:
        pairs.append(("lives", "; ".join(_life(life) for life in lives)))
    return pairs


def _life(life: Mapping[str, Any]) -> str:
    start = time_text(life.get("resumed_at") or life.get("started_at")) or "-"
    cause = f", after {life['cause']}" if life.get("cause") else ""
    return f"{life.get('life')}: {start}{cause} -> {life.get('status') or 'running'}"


def _ago(view: Mapping[str, Any]) -> str:
    seconds = view.get("last_write_age_seconds")
    return f" ({duration_text(seconds)} ago)" if isinstance(seconds, int) else ""


def notes(view: Mapping[str, Any]) -> list[str]:
    found = [str(view["status_note"])] if view.get("status_note") else []
    log = view.get("log") or {}
    if log.get("bad_lines"):
        found.append(f"{log['bad_lines']} unreadable line(s) in events.jsonl were skipped")
    if log.get("truncated_last_line"):
        found.append("the last line of events.jsonl is incomplete (the writer stopped mid-line)")
    if view.get("source") == "events.jsonl (no summary.json)":
        found.append("figures come from events.jsonl: summary.json is missing")
    elif view.get("source") != "summary.json":
        found.append(f"figures come from {view.get('source')}")
    found += list(view.get("performance_notes") or [])
    return found


def plain_events(events: Sequence[Mapping[str, Any]]) -> str:
    if not events:
        return "no events"
    rows = [[e.get("seq"), e.get("ts"), e.get("type"), event_details(e, 10_000)] for e in events]
    return plain_table(EVENT_HEADERS, rows)


def plain_alerts(alerts: Sequence[Mapping[str, Any]]) -> str:
    if not alerts:
        return "no alerts"
    rows = [[a.get("ts"), a.get("level"), a.get("rule"), a.get("message")] for a in alerts]
    return plain_table([c.title.upper() for c in ALERT_COLUMNS], rows)


def plain_trips(trips: Sequence[Mapping[str, Any]], view: Mapping[str, Any]) -> str:
    if not trips:
        return "no round trips"
    p = Precision.of(view, grouping=False)
    return plain_table([c.title.upper() for c in TRIP_COLUMNS], [trip_cells(t, p) for t in trips])


# --- rich (terminal) -----------------------------------------------------------------------


def _table(columns: Sequence[Column], rows: Sequence[Sequence[str]], title: str = "") -> Table:
    table = Table(title=title or None, title_justify="left", header_style="bold", box=None,
                  pad_edge=False, show_edge=False)  # fmt: skip
    for position, column in enumerate(columns):
        last = position == len(columns) - 1  # only the last (free-text) column may wrap
        table.add_column(
            column.title, justify="right" if column.numeric else "left", no_wrap=not last
        )
    for row in rows:
        table.add_row(*(Text(clean(c)) for c in row))
    return table


def rich_list(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not rows:
        return Text("no runs")
    columns = [Column(h, key in ("end_equity", "orders")) for key, h in LIST_COLUMNS]
    table = _table(columns, [])
    for row in rows:
        cells = [Text(c) for c in _list_cells(row)]
        cells[1].stylize(STATUS_STYLE.get(cells[1].plain, "yellow"))
        table.add_row(*cells)
    return table


def rich_view(view: Mapping[str, Any], *, trips: Sequence[Mapping[str, Any]] = ()) -> Group:
    """The summary view: status, cause, figures, symbols, statistics (and round trips)."""
    status = clean(view.get("status"))
    title = Text.assemble(("run ", "bold"), (clean(view["run_id"]), "bold"), "  [",
                          (status, STATUS_STYLE.get(status, "yellow")), "]")  # fmt: skip
    parts: list[RenderableType] = [title]
    headline = view.get("headline")
    if headline:
        style = LEVEL_STYLE.get(str(headline.get("level")), "yellow")
        parts.append(Text(clean(headline.get("text")), style=f"{style} reverse"))
    if view.get("simulated"):
        parts.append(Text(SIMULATED_NOTE, style="yellow"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in view_pairs(view, grouping=True):
        grid.add_row(f"{key}:", Text(value))
    parts.append(grid)
    columns, rows = symbol_rows(view)
    parts.append(_table(columns, rows, "symbols"))
    stats = statistics_items(view)
    if stats:
        table = Table.grid(padding=(0, 2))
        for _ in range(2):
            table.add_column(style="bold")
            table.add_column()
        for i in range(0, len(stats), 2):
            pair = stats[i : i + 2]
            cells: list[str] = [c for k, v in pair for c in (f"{k}:", v)]
            table.add_row(*cells, *([""] * (4 - len(cells))))
        parts.append(Text("statistics", style="bold"))
        parts.append(table)
    if trips:
        p = Precision.of(view)
        rows = [[_short_time(c) if i in (2, 4) else c for i, c in enumerate(trip_cells(t, p))]
                for t in trips]  # fmt: skip
        parts.append(_table(TRIP_COLUMNS, rows, f"round trips (last {len(trips)}, UTC)"))
    parts += [Text(f"note: {n}", style="yellow") for n in notes(view)]
    return Group(*parts)


def _short_time(text: str) -> str:
    """`2026-01-02 22:04:00` -> `01-02 22:04` (a terminal row has no room for the rest)."""
    return text[5:16] if len(text) == 19 and text[4] == "-" else text


def rich_events(events: Sequence[Mapping[str, Any]], width: int | None = None) -> RenderableType:
    if not events:
        return Text("no events")
    table = Table(header_style="bold", box=None, pad_edge=False, show_edge=False)
    table.add_column("SEQ", justify="right", no_wrap=True)
    table.add_column("TIME", no_wrap=True)
    table.add_column("TYPE", no_wrap=True)
    table.add_column(
        "DETAILS", no_wrap=True, overflow="ellipsis", max_width=max(20, (width or 160) - 48)
    )
    for event in events:
        table.add_row(
            clean(event.get("seq")), clean(time_text(event.get("ts"))), clean(event.get("type")),
            Text(clean(event_details(event, 400))),
        )  # fmt: skip
    return table


def rich_alerts(alerts: Sequence[Mapping[str, Any]]) -> RenderableType:
    if not alerts:
        return Text("no alerts")
    table = _table(ALERT_COLUMNS, [])
    for alert in alerts:
        level = Text(clean(alert.get("level")))
        level.stylize(LEVEL_STYLE.get(level.plain, ""))
        table.add_row(
            Text(clean(time_text(alert.get("ts")))),
            level,
            Text(clean(alert.get("rule"))),
            Text(clean(alert.get("message"))),
        )
    return table
