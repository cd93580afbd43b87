"""Terminal output of a session: a live status line (TTY only) and the final summary table.

Plain text only (no colour codes), so NO_COLOR needs nothing and pipes get clean lines; the
status line is drawn on a terminal only. A session of several symbols gets one row per symbol
under the totals, and its status line shows the open positions compactly.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, TextIO

from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.domain.decimals import ZERO, format_decimal
from peak_trade.domain.timeutil import isoformat_utc

SYMBOL_COLUMNS = (
    "orders",
    "blocked",
    "fills",
    "position",
    "realized PnL",
    "unrealized PnL",
    "fees",
    "last candle",
)


class StatusLine:
    """Rewrites one terminal line with the session's progress; silent when not a TTY."""

    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool | None = None,
        min_interval: float = 0.1,
        columns: Callable[[], int] | None = None,
    ):
        self._stream = stream
        self._enabled = stream.isatty() if enabled is None else enabled
        self._min_interval = min_interval
        self._columns = columns or (lambda: shutil.get_terminal_size().columns)
        self._last = 0.0
        self._width = 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    def update(self, metrics: TestnetSessionMetrics) -> None:
        """Show the latest figures (at most every `min_interval` seconds of real time)."""
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last < self._min_interval:
            return
        self._last = now
        # A line wider than the terminal wraps, and `\r` would then only rewrite its last row.
        limit = max(10, self._columns() - 1)
        text = status_text(metrics)
        if len(text) > limit:
            text = text[: limit - 3] + "..."
        pad = max(0, self._width - len(text))
        self._width = len(text)
        self._stream.write("\r" + text + " " * pad)
        self._stream.flush()

    def clear(self) -> None:
        """Blank the status line (before another line is printed); the next update redraws it."""
        if self._enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
            self._last = 0.0

    def finish(self) -> None:
        """End the status line so later output starts on a fresh line."""
        if self._enabled and self._width:
            self._stream.write("\n")
            self._stream.flush()
            self._width = 0


class StatusAwareHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A log handler that clears the status line first, so log lines never run into it."""

    def __init__(self, stream: TextIO, status: StatusLine) -> None:
        super().__init__(stream)
        self._status = status

    def emit(self, record: logging.LogRecord) -> None:
        self._status.clear()
        super().emit(record)


def status_text(m: TestnetSessionMetrics) -> str:
    """One line: step, last candle, position(s), equity, orders, state. With several symbols
    the open positions come last (a narrow terminal cuts them, not the state)."""
    candle = isoformat_utc(m.last_candle_time) if m.last_candle_time else "-"
    orders = m.orders_validated + m.orders_filled
    state = m.trading_state.value + (f" ({m.halt_reason})" if m.halt_reason else "")
    several = len(m.positions) > 1
    position = "" if several else f"position {format_decimal(m.position)}  "
    text = (
        f"step {m.steps}  candle {candle}  {position}"
        f"equity {_money(m.equity)}  orders {m.orders_submitted} sent/{orders} done/"
        f"{m.orders_risk_blocked} blocked  {state}"
    )
    return text + "  " + positions_text(m.positions) if several else text


def positions_text(positions: Mapping[Any, Decimal]) -> str:
    """`open 2/3: BTC 0.02 SOL -1.5`: the open positions by base asset (a session's symbols
    share one quote currency)."""
    held = [(symbol, quantity) for symbol, quantity in positions.items() if quantity != 0]
    listed = " ".join(f"{_base(symbol)} {format_decimal(q)}" for symbol, q in held)
    return f"open {len(held)}/{len(positions)}" + (f": {listed}" if listed else "")


def render_summary(summary: Mapping[str, Any], *, run_dir: str | None) -> str:
    """The end-of-run table; figures from simulated fills are marked as simulated. A session
    of several symbols gets one row per symbol under the totals."""
    simulated = bool(summary.get("simulated_fills"))
    mark = " (simulated)" if simulated else ""
    symbols = dict(summary.get("symbols") or {})
    rows: list[tuple[str, str]] = [
        ("run id", str(summary["run_id"])),
        ("status", str(summary["status"])),
        ("steps", str(summary["steps"])),
        ("candles processed", str(summary["candles_processed"])),
        ("signals", str(summary["signals"])),
        ("orders submitted", str(summary["orders_submitted"])),
        (
            "  validated" + (" -> simulated fills" if simulated else ""),
            str(summary["orders_validated"]),
        ),
        ("  accepted", str(summary["orders_accepted"])),
        ("  filled", str(summary["orders_filled"])),
        ("  rejected", str(summary["orders_rejected"])),
        ("  unknown", str(summary["orders_unknown"])),
        ("orders risk-blocked", str(summary["orders_risk_blocked"])),
        ("exchange errors", str(summary["exchange_errors"])),
        ("fees paid" + mark, _money(summary["fees_paid"])),
        ("realized PnL" + mark, _money(summary["realized_pnl"])),
        ("unrealized PnL" + mark, _money(summary["unrealized_pnl"])),
        ("start equity", _money(summary["start_equity"])),
        ("end equity" + mark, _money(summary["end_equity"])),
        ("max drawdown" + mark, f"{_money(summary['max_drawdown_pct'])} %"),
    ]
    for symbol, position in dict(summary.get("positions") or {}).items():
        quantity = format_decimal(_decimal(position["quantity"]))
        dust = _decimal((symbols.get(symbol) or {}).get("dust", ZERO))
        if dust != 0:
            quantity += f" (dust {format_decimal(dust)}: below the venue's minimums)"
        rows.append((f"position {symbol}" + mark, quantity))
    if summary.get("halt_reason"):
        rows.append(("halted because", str(summary["halt_reason"])))
    if summary.get("error"):
        rows.append(("error", str(summary["error"])))
    rows.append(("run log", run_dir or "not written (--no-logging)"))
    width = max(len(label) for label, _ in rows)
    title = "Session summary" + (
        " — fills are SIMULATED (validate-only venue)" if simulated else ""
    )
    lines = [title, "-" * len(title)]
    lines += [f"{label.ljust(width)}  {value}" for label, value in rows]
    if len(symbols) > 1:
        lines += ["", *symbol_table(symbols, mark)]
    return "\n".join(lines)


def symbol_table(symbols: Mapping[str, Mapping[str, Any]], mark: str = "") -> list[str]:
    """One row per symbol: orders, fills, position, PnL, fees (its quote currency), last
    candle; numbers right-aligned, columns two spaces apart."""
    header = ("per symbol" + mark, *SYMBOL_COLUMNS)
    body = [_symbol_row(name, figures) for name, figures in symbols.items()]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [
            cell.ljust(width) if i == len(cells) - 1 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            if i > 0
        ]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(row) for row in body)]


def _symbol_row(name: str, figures: Mapping[str, Any]) -> tuple[str, ...]:
    position = format_decimal(_decimal(figures.get("position", ZERO)))
    dust = _decimal(figures.get("dust", ZERO))
    if dust != 0:
        position += f" (dust {format_decimal(dust)})"
    when = figures.get("last_candle_time")
    return (
        name,
        str(figures.get("orders_submitted", 0)),
        str(figures.get("orders_risk_blocked", 0)),
        str(figures.get("fills", 0)),
        position,
        _money(figures.get("realized_pnl", ZERO)),
        _money(figures.get("unrealized_pnl", ZERO)),
        _money(figures.get("fees_paid", ZERO)),
        isoformat_utc(when) if isinstance(when, datetime) else str(when or "-"),
    )


def _base(symbol: object) -> str:
    text = str(symbol)
    return text.split("/", 1)[0]


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _money(value: object) -> str:
    return format_decimal(_decimal(value).quantize(Decimal("0.01")))
