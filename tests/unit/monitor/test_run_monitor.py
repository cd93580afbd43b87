"""RunMonitor views of finished, live and crashed runs written in the run-log format."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from tests.support.runlog_fixtures import T0, FakeRun, seed_run

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.monitoring.samples import Samples

RUN = "20260105T120000Z-a1b2c3"
WALL = datetime(2026, 1, 5, 13, 0, tzinfo=T0.tzinfo)


def monitor_at(base: Path, moment: datetime) -> RunMonitor:
    return RunMonitor(RunLogReader(base), SimulatedClock(moment))


def test_finished_run_view_takes_figures_from_the_summary(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN).touch(WALL - timedelta(hours=5))
    view = monitor_at(tmp_path, WALL).view(RUN)
    assert (view["status"], view["live"], view["ended"]) == ("completed", False, True)
    assert view["equity"] == "10050"
    assert view["total_pnl"] == "50"
    assert view["position"] == {"BTC/EUR": "0.01"}
    assert view["max_drawdown_pct"] == "4.39"
    assert view["simulated"] is True
    assert view["format_version"] == 1
    assert view["orders"]["by_outcome"] == {"rejected": 1, "risk_blocked": 1, "validated": 1}
    assert view["alerts"] == 2
    assert view["last_candle_time"] == "2026-01-05T12:05:00Z"


def test_crashed_run_with_truncated_line_and_no_summary_is_reported_honestly(
    tmp_path: Path,
) -> None:
    run = seed_run(tmp_path, RUN, finished=False)
    run.partial_line()
    run.touch(WALL - timedelta(minutes=30))
    view = monitor_at(tmp_path, WALL).view(RUN)
    assert view["status"] == "unknown (no summary)"
    assert view["live"] is False
    assert view["log"]["truncated_last_line"] is True
    assert view["source"] == "events.jsonl (no summary.json)"
    assert view["equity"] == "10050"
    assert view["last_seq"] == run.seq
    assert view["last_write_age_seconds"] == 1800


def test_live_run_is_running_and_reads_new_events_incrementally(tmp_path: Path) -> None:
    run = seed_run(tmp_path, RUN, finished=False)
    run.touch(WALL - timedelta(seconds=10))
    monitor = monitor_at(tmp_path, WALL)
    first = monitor.view(RUN)
    assert (first["status"], first["live"]) == ("running", True)
    run.event("heartbeat", T0 + timedelta(minutes=20), equity="9000", position="0")
    run.touch(WALL - timedelta(seconds=5))
    second = monitor.view(RUN)
    assert second["events"] == first["events"] + 1
    assert second["equity"] == "9000"
    assert second["position_text"] == "flat"
    assert Decimal(second["drawdown_pct"]).quantize(Decimal("0.01")) == Decimal("12.20")


def test_series_and_orders_for_charts(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    monitor = monitor_at(tmp_path, WALL)
    series = monitor.series(RUN)
    # session_started's start_equity opens the curve, then heartbeats and fills
    assert [v for _, v in series["equity"]][:3] == [10000.0, 10000.0, 10100.0]
    assert list(series["position"]) == ["BTC/EUR"]
    orders = monitor.orders_page(RUN)["orders"]
    assert [o["status"] for o in orders] == ["rejected", "risk_blocked", "validated"]


def test_events_page_reports_where_to_continue(tmp_path: Path) -> None:
    run = FakeRun(tmp_path, RUN)
    for _ in range(5):
        run.event("heartbeat", T0)
    page = monitor_at(tmp_path, WALL).events_page(RUN, since=1, limit=2)
    assert ([e["seq"] for e in page["events"]], page["next_since"], page["has_more"]) == (
        [2, 3],
        3,
        True,
    )


def test_run_rows_list_status_and_figures(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN).touch(WALL - timedelta(hours=1))
    crashed = seed_run(tmp_path, "20260105T130000Z-ffffff", finished=False)
    crashed.meta(started_at="2026-01-05T13:00:00Z")
    crashed.touch(WALL - timedelta(hours=1))
    rows = monitor_at(tmp_path, WALL).run_rows()
    assert [(r["run_id"], r["status"]) for r in rows] == [
        ("20260105T130000Z-ffffff", "unknown (no summary)"),
        (RUN, "completed"),
    ]
    assert rows[1]["end_equity"] == "10050"
    assert rows[1]["orders"] == 2


def test_thinned_series_keep_a_bounded_number_of_points_and_the_latest() -> None:
    series = Samples()
    for i in range(10_000):
        series.add(i, float(i))
    points = series.thinned(100)
    assert len(points) <= 101
    assert points[0] == (0, 0.0)
    assert points[-1] == (9999, 9999.0)


def test_peak_and_max_drawdown_count_every_sample(tmp_path: Path) -> None:
    run = FakeRun(tmp_path, RUN)
    run.event("session_started", T0, start_equity="10000")
    for i in range(4500):
        equity = "20000" if i == 2001 else "10000"
        run.event("heartbeat", T0 + timedelta(seconds=i + 1), equity=equity)
    run.touch(WALL - timedelta(seconds=5))
    monitor = monitor_at(tmp_path, WALL)
    view = monitor.view(RUN)
    assert view["peak_equity"] == "20000"
    assert view["max_drawdown_pct"] == "50"
    assert view["drawdown_pct"] == "50"
