"""Per-symbol rows a trader can add up: net PnL after fees, and each symbol's win rate over its
closed round trips (the ledger's realized PnL is before fees)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from tests.support.runlog_fixtures import seed_replay_run

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.monitoring.presentation import symbol_rows


def monitor(base: Path) -> RunMonitor:
    return RunMonitor(RunLogReader(base), SimulatedClock(datetime(2026, 1, 6, tzinfo=UTC)))


def test_each_symbol_has_net_pnl_and_the_win_rate_of_its_closed_trips(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "multi", symbols=("BTC/EUR", "ETH/EUR"))
    runs = monitor(tmp_path)
    view = runs.view("multi")
    trips = runs.all_trips("multi")
    nets = Decimal(0)
    for symbol, figures in view["per_symbol"].items():
        expected = (
            Decimal(figures["realized_pnl"])
            + Decimal(figures["unrealized_pnl"])
            - Decimal(figures["fees_paid"])
        )
        assert Decimal(figures["net_pnl"]) == expected
        nets += expected
        closed = [t for t in trips if t["symbol"] == symbol and not t["open"]]
        wins = sum(Decimal(t["net_pnl"]) > 0 for t in closed)
        assert Decimal(figures["win_rate_pct"]) == Decimal(wins) * 100 / len(closed)
    # the symbols' net PnL adds up to the run's total PnL
    assert nets.quantize(Decimal("0.01")) == Decimal(view["total_pnl"]).quantize(Decimal("0.01"))


def test_the_symbols_table_shows_net_pnl_after_fees_and_the_win_rate(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "multi", symbols=("BTC/EUR", "ETH/EUR"))
    columns, rows = symbol_rows(monitor(tmp_path).view("multi"))
    names = [c.title for c in columns]
    assert names[names.index("Fees") + 1] == "Net PnL"
    assert names[names.index("Trips") + 1] == "Win rate"
    eth = dict(zip(names, rows[1], strict=True))
    assert (eth["Symbol"], eth["Net PnL"], eth["Win rate"]) == ("ETH/EUR", "-15.88", "42.86%")
