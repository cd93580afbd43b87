"""Terminal output of a session of several symbols: per-symbol rows under the totals of the
summary table, open positions on the status line; plain text for pipes and NO_COLOR."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.unit.app.test_progress import Tty, metrics

from peak_trade.app.cli.progress import StatusLine, render_summary, status_text
from peak_trade.domain.symbols import Symbol

BTC, ETH, SOL = (Symbol.parse(s) for s in ("BTC/EUR", "ETH/EUR", "SOL/EUR"))
LAST = datetime(2026, 1, 1, 9, 59, tzinfo=UTC)


def figures(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "orders_submitted": 0,
        "orders_risk_blocked": 0,
        "fills": 0,
        "position": Decimal(0),
        "dust": Decimal(0),
        "realized_pnl": Decimal(0),
        "unrealized_pnl": Decimal(0),
        "fees_paid": Decimal(0),
        "last_candle_time": LAST,
    }
    values.update(changes)
    return values


def summary(symbols: dict[str, dict[str, Any]], simulated: bool = True) -> dict[str, Any]:
    return {
        "run_id": "r",
        "status": "completed",
        "steps": 10,
        "candles_processed": 30,
        "signals": 4,
        "orders_submitted": 5,
        "orders_validated": 5,
        "orders_accepted": 0,
        "orders_filled": 0,
        "orders_rejected": 0,
        "orders_unknown": 0,
        "orders_risk_blocked": 2,
        "exchange_errors": 0,
        "fees_paid": Decimal("3.9"),
        "realized_pnl": Decimal("-4.11"),
        "unrealized_pnl": Decimal("1.5"),
        "start_equity": Decimal(10000),
        "end_equity": Decimal("9993.49"),
        "max_drawdown_pct": Decimal("0.2"),
        "positions": {"ETH/EUR": {"quantity": Decimal("0.5")}},
        "symbols": symbols,
        "simulated_fills": simulated,
        "halt_reason": "",
        "error": "",
    }


THREE = {
    "BTC/EUR": figures(
        orders_submitted=2,
        fills=2,
        realized_pnl=Decimal("-4.11"),
        fees_paid=Decimal("2.6"),
        orders_risk_blocked=1,
    ),
    "ETH/EUR": figures(
        orders_submitted=3,
        fills=3,
        position=Decimal("0.5"),
        unrealized_pnl=Decimal("1.5"),
        fees_paid=Decimal("1.3"),
        orders_risk_blocked=1,
    ),
    "SOL/EUR": figures(last_candle_time="2026-01-01T10:04:00Z"),  # as read back from JSON
}


def rows_of(table: str) -> dict[str, list[str]]:
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("per symbol"))
    return {line.split()[0]: line.split()[1:] for line in lines[start + 1 :]}


def test_the_summary_of_several_symbols_has_a_row_per_symbol_under_the_totals() -> None:
    table = render_summary(summary(THREE), run_dir="runs/r")
    lines = table.splitlines()
    header = next(line for line in lines if line.startswith("per symbol"))
    assert lines.index(header) > next(i for i, x in enumerate(lines) if x.startswith("run log"))
    assert header.split("  ")[0] == "per symbol (simulated)"
    for column in ("orders", "blocked", "fills", "position", "realized PnL", "fees"):
        assert column in header
    rows = rows_of(table)
    assert list(rows) == ["BTC/EUR", "ETH/EUR", "SOL/EUR"]
    assert rows["BTC/EUR"] == ["2", "1", "2", "0", "-4.11", "0", "2.6", "2026-01-01T09:59:00Z"]
    assert rows["ETH/EUR"][3] == "0.5"
    assert rows["ETH/EUR"][5] == "1.5"
    assert rows["SOL/EUR"][-1] == "2026-01-01T10:04:00Z"
    widths = {len(line) for line in lines[lines.index(header) :] if line.endswith("Z")}
    assert len(widths) == 1  # the columns line up


def test_one_symbol_gets_no_per_symbol_rows_and_real_fills_no_simulated_mark() -> None:
    one = render_summary(summary({"ETH/EUR": THREE["ETH/EUR"]}), run_dir=None)
    assert "per symbol" not in one
    real = render_summary(summary(THREE, simulated=False), run_dir=None)
    assert "per symbol  " in real
    assert "simulated" not in real.lower()


def test_dust_is_shown_beside_the_position() -> None:
    symbols = {**THREE, "ETH/EUR": figures(position=Decimal("0.5000004"), dust="0.0000004")}
    table = render_summary(
        {**summary(symbols), "positions": {"ETH/EUR": {"quantity": "0.5000004"}}}, run_dir=None
    )
    assert "position ETH/EUR (simulated)" in table
    assert "0.5000004 (dust 0.0000004: below the venue's minimums)" in table
    assert "0.5000004 (dust 0.0000004)" in next(
        line for line in table.splitlines() if line.startswith("ETH/EUR")
    )


def test_the_summary_is_plain_text() -> None:
    table = render_summary(summary(THREE), run_dir=None)
    assert "\x1b" not in table


def test_the_status_line_of_several_symbols_shows_the_open_positions_last() -> None:
    m = metrics(positions={BTC: Decimal("0.02"), ETH: Decimal(0), SOL: Decimal("-1.5")})
    text = status_text(m)
    assert text.endswith("active  open 2/3: BTC 0.02 SOL -1.5")
    assert "position " not in text  # no single-symbol figure
    flat = status_text(metrics(positions={BTC: Decimal(0), ETH: Decimal(0)}))
    assert flat.endswith("open 0/2")


def test_the_status_line_of_one_symbol_is_as_before() -> None:
    assert "position 0.02  equity" in status_text(metrics())


def test_a_narrow_terminal_cuts_the_positions_not_the_state() -> None:
    out = Tty()
    line = StatusLine(out, min_interval=0, columns=lambda: 120)
    many = {Symbol(f"C{i:02d}", "EUR"): Decimal(i + 1) for i in range(20)}
    line.update(metrics(positions=many))
    drawn = out.getvalue().strip("\r")
    assert "active" in drawn
    assert drawn.endswith("...")
    assert len(drawn) <= 119


def test_a_pipe_gets_no_status_line() -> None:
    out = io.StringIO()
    line = StatusLine(out)
    line.update(metrics(positions={BTC: Decimal(1), ETH: Decimal(2)}))
    line.finish()
    assert out.getvalue() == ""
