"""Terminal output: the status line only on a TTY, the summary table marks simulated figures."""

from __future__ import annotations

import io
import logging
from decimal import Decimal

from tests.unit.app.fakes import T0

from peak_trade.app.cli.progress import StatusAwareHandler, StatusLine, render_summary
from peak_trade.app.session.metrics import TestnetSessionMetrics
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingState


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


BTC_EUR = Symbol.parse("BTC/EUR")


def metrics(**changes: object) -> TestnetSessionMetrics:
    values: dict[str, object] = {
        "steps": 3,
        "candles_processed": 3,
        "signals": 1,
        "orders_submitted": 1,
        "orders_validated": 1,
        "orders_accepted": 0,
        "orders_filled": 0,
        "orders_rejected": 0,
        "orders_risk_blocked": 0,
        "orders_unknown": 0,
        "exchange_errors": 0,
        "simulated_fill_count": 1,
        "fees_paid": Decimal("2.6"),
        "realized_pnl": Decimal(0),
        "unrealized_pnl": Decimal("-1.5"),
        "start_equity": Decimal(10000),
        "equity": Decimal("9995.9"),
        "max_drawdown_pct": Decimal("0.04"),
        "positions": {BTC_EUR: Decimal("0.02")},
        "last_candle_time": T0,
        "trading_state": TradingState.ACTIVE,
    }
    values.update(changes)
    return TestnetSessionMetrics(**values)  # type: ignore[arg-type]


def test_status_line_is_silent_when_output_is_not_a_terminal() -> None:
    out = io.StringIO()
    line = StatusLine(out)
    line.update(metrics())
    line.finish()
    assert out.getvalue() == ""


def test_status_line_rewrites_one_line_on_a_terminal() -> None:
    out = Tty()
    line = StatusLine(out, min_interval=0)
    line.update(metrics())
    line.update(metrics(steps=4))
    line.finish()
    text = out.getvalue()
    assert text.count("\r") == 2
    assert "step 4" in text
    assert "position 0.02" in text
    assert "equity 9995.9" in text
    assert text.endswith("\n")


def test_status_line_never_wraps_in_a_narrow_terminal() -> None:
    out = Tty()
    line = StatusLine(out, min_interval=0, columns=lambda: 60)
    line.update(metrics(halt_reason="5 consecutive exchange errors"))
    line.update(metrics(steps=4))
    line.finish()
    drawn = [part.rstrip() for part in out.getvalue().strip("\n").split("\r") if part]
    assert len(drawn) == 2
    assert all(len(part) <= 59 for part in out.getvalue().strip("\n").split("\r"))
    assert drawn[1].startswith("step 4  candle ")
    assert drawn[1].endswith("...")


def test_log_lines_clear_the_status_line_first() -> None:
    out = Tty()
    line = StatusLine(out, min_interval=0)
    handler = StatusAwareHandler(out, line)
    line.update(metrics())
    handler.emit(logging.LogRecord("x", logging.WARNING, __file__, 1, "exchange down", None, None))
    text = out.getvalue()
    assert text.index("exchange down") > text.rindex("\r")


def test_summary_table_marks_simulated_figures() -> None:
    summary = {
        "run_id": "r",
        "status": "completed",
        "steps": 3,
        "candles_processed": 3,
        "signals": 1,
        "orders_submitted": 1,
        "orders_validated": 1,
        "orders_accepted": 0,
        "orders_filled": 0,
        "orders_rejected": 0,
        "orders_unknown": 0,
        "orders_risk_blocked": 0,
        "exchange_errors": 0,
        "fees_paid": Decimal("2.6"),
        "realized_pnl": Decimal(0),
        "unrealized_pnl": Decimal("-1.5"),
        "start_equity": Decimal(10000),
        "end_equity": Decimal("9995.9"),
        "max_drawdown_pct": Decimal("0.04"),
        "positions": {"BTC/EUR": {"quantity": Decimal("0.02")}},
        "simulated_fills": True,
        "halt_reason": "",
        "error": "",
    }
    table = render_summary(summary, run_dir="live_runs/r")
    assert "SIMULATED" in table
    assert "end equity (simulated)" in table
    assert any(
        line.startswith("position BTC/EUR (simulated)") and line.endswith(" 0.02")
        for line in table.splitlines()
    )
    assert "live_runs/r" in table
    real = render_summary({**summary, "simulated_fills": False}, run_dir=None)
    assert "simulated" not in real.lower()
    assert "--no-logging" in real
