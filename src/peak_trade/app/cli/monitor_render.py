"""Text output of `peak-trade monitor`: aligned, coloured tables on a TTY; plain text when piped.

Plain output (not a TTY) has no escape codes: run lists and events are tab-separated with a
header line, the summary is `key: value` lines, so `grep`/`awk`/`cut` work on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from peak_trade.app.monitoring.view import display_amount

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESET = "\x1b[0m"
_STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
_STATUS_STYLE = {
    "running": "green",
    "completed": "cyan",
    "interrupted": "yellow",
    "halted": "red",
    "failed": "red",
    "stale": "red",
}
_LEVEL_STYLE = {"info": "cyan", "warning": "yellow", "critical": "red"}
LIST_COLUMNS = (
    ("run_id", "RUN ID"),
    ("status", "STATUS"),
    ("symbol", "SYMBOL"),
    ("strategy", "STRATEGY"),
    ("started_at", "STARTED"),
    ("end_equity", "END EQUITY"),
    ("orders", "ORDERS"),
)


class Style:
    """Applies ANSI styles only when writing to a terminal."""

    def __init__(self, tty: bool, width: int | None = None) -> None:
        self.tty = tty
        self.width = width  # terminal columns (TTY only); event details are cut to fit

    def __call__(self, text: str, style: str | None) -> str:
        if not self.tty or not style:
            return text
        return f"\x1b[{_STYLES[style]}m{text}{_RESET}"


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_cell(v)}" for k, v in value.items()) or "-"
    # no newlines, escape sequences or other control characters from logs reach the terminal
    return _CONTROL.sub("?", " ".join(str(value).split()))


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    style: Style,
    colours: Mapping[int, Mapping[str, str]] | None = None,
) -> str:
    """Aligned columns with a bold header on a TTY; tab-separated lines otherwise.

    `colours` maps a column index to {cell text: style} (e.g. status -> colour).
    """
    cells = [[_cell(v) for v in row] for row in rows]
    if not style.tty:
        return "\n".join("\t".join(r) for r in [list(headers), *cells])
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    head = "  ".join(style(h.ljust(w), "bold") for h, w in zip(headers, widths, strict=True))
    lines = [head, "  ".join("-" * w for w in widths)]
    for row in cells:
        out = []
        for i, (text, width) in enumerate(zip(row, widths, strict=True)):
            picked = (colours or {}).get(i, {}).get(text)
            out.append(style(text, picked) + " " * (width - len(text)))
        lines.append("  ".join(out).rstrip())
    return "\n".join(lines)


def render_list(rows: Sequence[Mapping[str, Any]], style: Style) -> str:
    """`monitor --list`: newest run first."""
    if not rows:
        return "no runs"
    shown = {"end_equity": display_amount, "started_at": _seconds}
    body = [[shown.get(key, _same)(row.get(key)) for key, _ in LIST_COLUMNS] for row in rows]
    return table([h for _, h in LIST_COLUMNS], body, style, {1: _STATUS_STYLE})


def _same(value: Any) -> Any:
    return value


def _seconds(value: Any) -> Any:
    """An ISO time without its fraction of a second (`...T03:56:41.899747Z` -> `...T03:56:41Z`)."""
    text = str(value) if value else ""
    return re.sub(r"\.\d+Z$", "Z", text) if text else value


def render_view(view: Mapping[str, Any], style: Style) -> str:
    """The summary view of one run."""
    status = _cell(view.get("status"))
    lines = [
        f"{style('run', 'bold')} {_cell(view['run_id'])}  "
        f"[{style(status, _STATUS_STYLE.get(status, 'yellow'))}]"
    ]
    if view.get("simulated"):
        lines.append(
            style(
                "SIMULATED: fills are paper fills booked in the local ledger "
                "(validate-only orders); no real trade happened",
                "yellow",
            )
        )
    pairs = _view_pairs(view)
    width = max(len(k) for k, _ in pairs)
    for key, value in pairs:
        label = f"{key}:".ljust(width + 1) if style.tty else f"{key}:"
        lines.append(f"  {style(label, 'bold')} {value}" if style.tty else f"{label} {value}")
    for note in _notes(view):
        lines.append(style(f"note: {note}", "yellow"))
    return "\n".join(lines)


def _view_pairs(view: Mapping[str, Any]) -> list[tuple[str, str]]:
    venue = view.get("venue") or {}
    venue_text = _cell(view.get("exchange"))
    if venue:
        kind = "PRODUCTION" if venue.get("production") else "sandbox"
        mode = "validate-only" if venue.get("validate_only") else "executing"
        venue_text += f" ({_cell(venue.get('host'))}, {kind}, {mode})"
    orders = view.get("orders") or {}
    outcomes = orders.get("by_outcome") or {}
    outcome_text = ", ".join(f"{k} {v}" for k, v in outcomes.items()) or "none"

    def amount(key: str) -> str:
        return _amount(view.get(key))

    pnl = (
        f"total {amount('total_pnl')}, realized {amount('realized_pnl')}, "
        f"unrealized {amount('unrealized_pnl')}, fees {amount('fees_paid')}"
    )
    age = view.get("data_age_seconds")
    candle = _cell(view.get("last_candle_time"))
    if age is not None:
        candle += f" (closed {_duration(int(age))} ago)"
    return [
        ("exchange", venue_text),
        ("market", f"{_cell(view.get('symbol'))} {_cell(view.get('timeframe'))}"),
        ("strategy", _cell(view.get("strategy"))),
        ("started", _cell(view.get("started_at"))),
        ("ended", _cell(view.get("ended_at"))),
        ("last write", _cell(view.get("last_write")) + _ago(view.get("last_write_age_seconds"))),
        (
            "trading",
            _cell(view.get("trading_state"))
            + (f" ({_cell(view['halt_reason'])})" if view.get("halt_reason") else ""),
        ),
        ("position", _cell(view.get("position_text"))),
        (
            "equity",
            f"{_amount(view.get('equity'))} (start {_amount(view.get('start_equity'))}, "
            f"peak {_amount(view.get('peak_equity'))})",
        ),
        ("pnl", pnl),
        ("drawdown", f"{amount('drawdown_pct')}% now, {amount('max_drawdown_pct')}% max"),
        ("orders", f"{orders.get('intents', 0)} sent to the exchange; by outcome: {outcome_text}"),
        (
            "errors",
            f"exchange errors {_cell(view.get('exchange_errors'))}"
            + (f"; last: {_cell(view.get('last_error'))}" if view.get("last_error") else ""),
        ),
        ("alerts", str(view.get("alerts", 0))),
        ("last candle", candle),
        ("events", f"{view.get('events', 0)} (last seq {view.get('last_seq', 0)})"),
    ]


def _notes(view: Mapping[str, Any]) -> list[str]:
    notes = [str(view["status_note"])] if view.get("status_note") else []
    log = view.get("log") or {}
    if log.get("bad_lines"):
        notes.append(f"{log['bad_lines']} unreadable line(s) in events.jsonl were skipped")
    if log.get("truncated_last_line"):
        notes.append("the last line of events.jsonl is incomplete (the writer stopped mid-line)")
    if view.get("source") != "summary.json":
        notes.append("figures come from events.jsonl: summary.json is missing")
    return notes


def _amount(value: Any) -> str:
    return _cell(display_amount(value))


def _ago(seconds: Any) -> str:
    return f" ({_duration(int(seconds))} ago)" if isinstance(seconds, int) else ""


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def event_details(event: Mapping[str, Any], limit: int = 160) -> str:
    """The payload of an event as `key=value` pairs (nested values as compact text)."""
    parts = []
    for key, value in event.items():
        if key in ("seq", "ts", "type") or value is None or value == "" or value == []:
            continue
        parts.append(f"{key}={_cell(value)}")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_events(events: Sequence[Mapping[str, Any]], style: Style) -> str:
    """Events as `seq ts type details`, one per line."""
    limit = 10_000
    if style.tty:
        limit = 160
        if style.width:  # the other three columns plus two spaces between each column
            fixed = sum(max(len(_cell(e.get(k))) for e in [*events, _HEADER]) + 2 for k in _KEYS)
            limit = max(20, min(limit, style.width - fixed - 1))
    rows = [[e.get("seq"), e.get("ts"), e.get("type"), event_details(e, limit)] for e in events]
    return table(["SEQ", "TIME", "TYPE", "DETAILS"], rows, style) if rows else "no events"


_KEYS = ("seq", "ts", "type")
_HEADER = {"seq": "SEQ", "ts": "TIME", "type": "TYPE"}


def render_alerts(alerts: Sequence[Mapping[str, Any]], style: Style) -> str:
    """Alerts as `time level rule message`."""
    if not alerts:
        return "no alerts"
    rows = [[a.get("ts"), a.get("level"), a.get("rule"), a.get("message")] for a in alerts]
    return table(["TIME", "LEVEL", "RULE", "MESSAGE"], rows, style, {1: _LEVEL_STYLE})
