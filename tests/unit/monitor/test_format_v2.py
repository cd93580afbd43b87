"""Format-2 run logs: several symbols, heartbeat bars, lives, states, failures; and the rule
that events newer than summary.json decide the figures (and the list agrees with the view)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.runlog_fixtures import (
    T0,
    seed_failed_run,
    seed_halted_run,
    seed_live_run,
    seed_replay_run,
    seed_resumed_run,
)

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.monitoring.monitor import RunMonitor

WALL = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)


def monitor_at(base: Path, moment: datetime = WALL) -> RunMonitor:
    return RunMonitor(RunLogReader(base), SimulatedClock(moment))


def summary_of(base: Path, run_id: str) -> dict[str, object]:
    return json.loads((base / run_id / "summary.json").read_text())


def test_multi_symbol_replay_figures_equal_the_summary(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "multi", symbols=("BTC/EUR", "ETH/EUR"))
    view = monitor_at(tmp_path).view("multi")
    summary = summary_of(tmp_path, "multi")
    assert view["symbols"] == ["BTC/EUR", "ETH/EUR"]
    assert (view["status"], view["source"]) == ("completed", "summary.json")
    assert view["equity"] == summary["end_equity"]
    assert view["orders"]["sent"] == summary["orders_submitted"]
    assert view["orders"]["listed"] == summary["orders_submitted"] + summary["orders_risk_blocked"]
    assert view["orders"]["risk_blocked_by_limit"] == {"max_order_notional": 1}
    for symbol, figures in summary["symbols"].items():
        shown = view["per_symbol"][symbol]
        assert shown["realized_pnl"] == figures["realized_pnl"]
        assert shown["fills"] == figures["fills"]
        assert shown["orders_submitted"] == figures["orders_submitted"]
    assert view["precision"]["prices"] == {"BTC/EUR": 1, "ETH/EUR": 2}
    assert view["per_symbol"]["BTC/EUR"]["bars"] > 0  # from heartbeat bars: no candle events


def test_round_trips_carry_the_closing_orders_reason(tmp_path: Path) -> None:
    seed_halted_run(tmp_path)
    monitor = monitor_at(tmp_path)
    trips = monitor.all_trips("halted-run")
    assert trips[-1]["exit_reason"] == "flatten_on_halt"
    assert {t["exit_reason"] for t in trips[:-1]} <= {"signal"}
    view = monitor.view("halted-run")
    assert view["statistics"]["round_trips"] == len(trips)
    net = sum(float(t["net_pnl"]) for t in trips)
    assert abs(net - float(view["total_pnl"])) < 1e-9  # flat at the end: trips explain it all


def test_a_failed_run_shows_its_cause_first_and_no_active_trading(tmp_path: Path) -> None:
    seed_failed_run(tmp_path)
    view = monitor_at(tmp_path).view("failed-run")
    assert view["status"] == "failed"
    assert view["headline"]["level"] == "critical"
    assert "ExchangeAuthError: EAPI:Invalid key" in view["headline"]["text"]
    assert view["failure"]["cause"].startswith("ExchangeAuthError")
    assert view["errors_by_kind"] == {"market_data": 2, "order": 1}


def test_a_halted_run_says_why_at_the_top(tmp_path: Path) -> None:
    seed_halted_run(tmp_path)
    view = monitor_at(tmp_path).view("halted-run")
    assert view["status"] == "halted"
    assert "Trading halted" in view["headline"]["text"]
    assert "max_drawdown_pct 5 reached" in view["headline"]["text"]


def test_a_live_run_uses_its_candle_events_and_shows_reducing(tmp_path: Path) -> None:
    run = seed_live_run(tmp_path)
    run.run.touch(WALL - timedelta(seconds=5))
    monitor = monitor_at(tmp_path)
    view = monitor.view("live-eth")
    assert (view["status"], view["live"]) == ("running", True)
    assert view["trading_state"] == "reducing"
    assert view["headline"]["level"] == "warning"
    assert "until 2026-01-06T00:00:00Z" in view["headline"]["text"]
    assert view["position"]["ETH/EUR"] == "0.25"
    chart = monitor.chart("live-eth", "BTC/EUR", timeframe="1m")
    assert chart["bucket_seconds"] == 60  # candle events: one-minute bars, not heartbeat bars
    assert len(chart["bars"]) == run.steps


def test_a_resumed_run_lists_its_lives(tmp_path: Path) -> None:
    seed_resumed_run(tmp_path)
    view = monitor_at(tmp_path).view("resumed-run")
    lives = [(life["life"], life["cause"], life["status"]) for life in view["lives"]]
    assert lives == [(1, None, "crash"), (2, "crash", "completed")]
    assert view["lives"][1]["resumed_at"] == "2026-01-05T17:00:00Z"
    # every life's start on the wall clock: the run's start (meta.json), then each resume
    meta = json.loads((tmp_path / "resumed-run" / "meta.json").read_text())
    assert view["lives"][0]["started_at"] == meta["started_at"]
    assert view["lives"][1]["started_at"] == view["lives"][1]["resumed_at"]


def test_events_newer_than_the_summary_decide_status_and_figures(tmp_path: Path) -> None:
    """Killed between session_ended and the final summary rewrite: the summary still says
    running with an old equity; the detail view and the list show the ended run."""
    run = seed_replay_run(tmp_path, "killed-late")
    final = summary_of(tmp_path, "killed-late")
    stale = {**final, "status": "running", "ended_at": None, "end_equity": "10000",
             "orders_submitted": 1, "last_seq": final["last_seq"] - 30}  # fmt: skip
    (run.run.dir / "summary.json").write_text(json.dumps(stale))
    run.run.touch(WALL - timedelta(hours=2))
    monitor = monitor_at(tmp_path)
    view = monitor.view("killed-late")
    assert (view["status"], view["ended"]) == ("completed", True)
    assert view["equity"] == final["end_equity"]
    assert view["orders"]["sent"] == final["orders_submitted"]
    assert view["source"] == "events.jsonl (newer than summary.json)"
    row = monitor.run_rows()[0]
    assert (row["status"], row["end_equity"], row["orders"]) == (
        "completed",
        final["end_equity"],
        final["orders_submitted"],
    )


def test_a_format_1_summary_without_last_seq_is_older_when_events_go_on(tmp_path: Path) -> None:
    """Resumed after an interrupt, killed before life 2 rewrote the summary: the final
    `interrupted` summary of life 1 must not decide."""
    run = seed_replay_run(tmp_path, "resumed-late", write_last_seq=False)
    summary = summary_of(tmp_path, "resumed-late")
    (run.run.dir / "summary.json").write_text(json.dumps({**summary, "status": "interrupted"}))
    run.clock = T0 + timedelta(hours=20)
    run.resume(2, "interrupted", "interrupted", WALL - timedelta(minutes=1))
    run.step()
    run.trade("BTC/EUR", "buy", "0.01")
    run.run.touch(WALL - timedelta(seconds=10))
    monitor = monitor_at(tmp_path)
    view = monitor.view("resumed-late")
    assert (view["status"], view["live"]) == ("running", True)
    assert view["position"]["BTC/EUR"] == "0.01"
    assert monitor.run_rows()[0]["status"] == "running"
