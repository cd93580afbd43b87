"""`peak-trade report --latest` (what `make demo` ends with): the newest run's report, its path
printed; refusals for both a RUN_ID and --latest, and for an empty run log directory."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import ROOT, peak_trade
from tests.support.runlog_fixtures import seed_replay_run, seed_run

pytestmark = pytest.mark.slow


def test_latest_reports_on_the_newest_run_and_prints_where(tmp_path: Path) -> None:
    seed_run(tmp_path, "20260105T120000Z-a1b2c3")
    seed_replay_run(tmp_path, "newest-run", symbols=("BTC/EUR", "ETH/EUR"), steps=60)
    result = peak_trade("report", "--latest", "--log-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    target = tmp_path / "newest-run" / "report.html"
    assert f"wrote {target}" in result.stdout
    assert target.as_uri() in result.stdout
    assert "<!DOCTYPE html>" in target.read_text()
    assert not (tmp_path / "20260105T120000Z-a1b2c3" / "report.html").exists()
    default = peak_trade("report", "--log-dir", str(tmp_path))  # RUN_ID left out: the newest
    assert default.returncode == 0, default.stderr
    assert f"wrote {target}" in default.stdout


def test_a_run_id_and_latest_together_or_no_runs_are_usage_errors(tmp_path: Path) -> None:
    both = peak_trade("report", "some-run", "--latest", "--log-dir", str(tmp_path))
    assert both.returncode == 2
    assert "RUN_ID or --latest" in both.stderr
    empty = peak_trade("report", "--latest", "--log-dir", str(tmp_path / "nothing"))
    assert empty.returncode == 2
    assert "no runs under" in empty.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_ends_by_writing_the_demo_runs_report() -> None:
    plan = subprocess.run(
        ["make", "-n", "-o", "venv", "demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    commands = [line for line in plan.splitlines() if "peak_trade" in line]
    assert "session --config config/demo.toml" in commands[0]
    assert commands[-1].endswith("-m peak_trade report --latest --log-dir live_runs")
