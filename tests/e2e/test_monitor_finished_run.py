"""`peak-trade monitor` on a finished replay session, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade

pytestmark = pytest.mark.slow
RUN = "finished-demo-run"


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("finished") / "runs"
    result = peak_trade(
        "session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(base), "--run-id", RUN,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return base


def test_summary_view_of_the_latest_run(log_dir: Path) -> None:
    result = peak_trade("monitor", "--latest", "--log-dir", str(log_dir))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"run {RUN}  [completed]" in out
    assert "SIMULATED" in out
    assert "\x1b[" not in out  # piped: plain text
    summary = json.loads((log_dir / RUN / "summary.json").read_text())
    submitted = summary["orders_submitted"]
    assert f"orders: {submitted} sent to the exchange" in out
    assert "equity: " in out
    assert "last candle: " in out


def test_json_view_matches_the_summary_file(log_dir: Path) -> None:
    result = peak_trade("monitor", "--run-id", RUN, "--json", "--log-dir", str(log_dir))
    view = json.loads(result.stdout)["run"]
    summary = json.loads((log_dir / RUN / "summary.json").read_text())
    assert view["status"] == "completed"
    assert view["equity"] == summary["end_equity"]
    assert view["realized_pnl"] == summary["realized_pnl"]
    assert view["orders"]["summary_counters"]["orders_validated"] == summary["orders_validated"]
    assert sum(view["orders"]["by_outcome"].values()) == summary["orders_submitted"]
    assert view["simulated"] is True


def test_list_shows_the_run(log_dir: Path) -> None:
    result = peak_trade("monitor", "--list", "--log-dir", str(log_dir))
    header, row = result.stdout.strip().splitlines()
    assert header.split("\t")[:3] == ["RUN ID", "STATUS", "SYMBOL"]
    assert row.split("\t")[:4] == [RUN, "completed", "BTC/EUR", "ma_crossover"]


def test_tail_shows_the_last_events_ending_with_session_ended(log_dir: Path) -> None:
    result = peak_trade("monitor", "--run-id", RUN, "--tail", "3", "--log-dir", str(log_dir))
    lines = result.stdout.strip().splitlines()
    assert lines[-4].startswith("SEQ\tTIME\tTYPE")
    assert lines[-1].split("\t")[2] == "session_ended"


def test_alerts_flag_reads_alerts_jsonl(log_dir: Path) -> None:
    result = peak_trade("monitor", "--run-id", RUN, "--alerts", "--json", "--log-dir", str(log_dir))
    alerts = json.loads(result.stdout)["alerts"]
    path = log_dir / RUN / "alerts.jsonl"
    expected = path.read_text().splitlines() if path.exists() else []
    assert len(alerts) == len(expected)


def test_unknown_run_id_exits_2_with_near_matches(log_dir: Path) -> None:
    result = peak_trade("monitor", "--run-id", "finished-demo-rum", "--log-dir", str(log_dir))
    assert result.returncode == 2
    assert "no run 'finished-demo-rum'" in result.stderr
    assert f"near matches: {RUN}" in result.stderr


def test_path_like_run_id_is_just_unknown(log_dir: Path) -> None:
    result = peak_trade("monitor", "--run-id", "../../etc", "--log-dir", str(log_dir))
    assert result.returncode == 2
    assert "no run" in result.stderr


def test_no_runs_is_a_clear_usage_error(tmp_path: Path) -> None:
    result = peak_trade("monitor", "--latest", "--log-dir", str(tmp_path / "empty"))
    assert result.returncode == 2
    assert "no runs under" in result.stderr
