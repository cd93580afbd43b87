"""Seed-level smoke tests of the testnet session (Phase 35 "Session-Smoke-Tests"): the session
built from config runs end to end, refuses anything but testnet, and the seed's own commands
work from the project root with the project's Python:
`python3 -m scripts.run_testnet_session`, `python3 -m scripts.monitor_live_run --latest
[--alerts] [--tail]` and `python3 -m scripts.serve_live_dashboard`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from peak_trade.app.bootstrap import build_testnet_session
from peak_trade.app.config import load_config
from peak_trade.app.plan import SessionRequest, resolve_session_plan
from peak_trade.domain.environment import EnvironmentNotTestnetError
from tests.e2e.dashboard_process import running_dashboard
from tests.e2e.session_cli_support import clean_env
from tests.unit.app.session_harness import setup_replay as setup

REPO = Path(__file__).resolve().parents[1]
DEMO = ("--config", "config/demo.toml", "--exchange", "in_memory")
DEMO_DATA = ("--replay", "data/btc_eur_1m_synthetic.csv")


def seed_command(module: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python3 -m scripts.<module> ARGS` from the project root, as the seed document says."""
    return subprocess.run(
        [sys.executable, "-m", f"scripts.{module}", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_builds_a_replay_session_from_config_and_writes_its_run_log(tmp_path: Path) -> None:
    config_path, replay = setup(tmp_path)
    config = load_config(config_path)
    plan = resolve_session_plan(
        SessionRequest(replays=(str(replay),), log_dir=tmp_path / "runs", run_id="wired"), config
    )
    session = build_testnet_session(config, plan, environ={})
    summary = session.run()
    assert summary["status"] == "completed"
    assert summary["candles_processed"] == 180
    meta = json.loads((tmp_path / "runs" / "wired" / "meta.json").read_text())
    assert meta["clock"] == "simulated"
    assert meta["strategy"] == {
        "name": "ma_crossover",
        "params": {"fast_window": 3, "slow_window": 9},
        "per_symbol": {"BTC/EUR": {"fast_window": 3, "slow_window": 9}},
    }
    assert meta["config_sha256"] == config.sha256


def test_paper_environment_is_refused_while_wiring(tmp_path: Path) -> None:
    config_path, replay = setup(tmp_path, mode="paper")
    config = load_config(config_path)
    plan = resolve_session_plan(
        SessionRequest(replays=(str(replay),), log_dir=tmp_path / "runs"), config
    )
    with pytest.raises(EnvironmentNotTestnetError):
        build_testnet_session(config, plan, environ={})


def test_seed_session_command_dry_run_prints_the_plan_and_names_missing_credentials() -> None:
    done = seed_command("run_testnet_session", "--dry-run")
    assert done.returncode == 2, done.stderr
    assert "plan only; no network call was made" in done.stdout
    assert "KRAKEN_TESTNET_API_KEY NOT SET" in done.stdout
    assert "set KRAKEN_TESTNET_API_KEY and KRAKEN_TESTNET_API_SECRET" in done.stderr


@pytest.mark.slow
def test_seed_session_then_seed_monitor_show_the_same_run(tmp_path: Path) -> None:
    runs = str(tmp_path / "runs")
    session = seed_command("run_testnet_session", *DEMO, *DEMO_DATA, "--log-dir", runs)
    assert session.returncode == 0, session.stderr
    monitor = seed_command("monitor_live_run", "--latest", "--tail", "--log-dir", runs)
    assert monitor.returncode == 0, monitor.stderr
    (run_dir,) = (tmp_path / "runs").iterdir()
    assert run_dir.name in monitor.stdout
    assert "session_ended" in monitor.stdout  # --tail shows the last events
    alerts = seed_command("monitor_live_run", "--latest", "--alerts", "--json", "--log-dir", runs)
    assert alerts.returncode == 0, alerts.stderr
    shown = json.loads(alerts.stdout)
    assert shown["run"]["run_id"] == run_dir.name
    assert "alerts" in shown


def test_seed_dashboard_command_serves_the_runs(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    command = (sys.executable, "-m", "scripts.serve_live_dashboard")
    with (
        running_dashboard(tmp_path / "runs", command=command, cwd=REPO) as url,
        urllib.request.urlopen(f"{url}/health", timeout=10) as answer,
    ):
        health = json.loads(answer.read())
    assert health["status"] == "ok"
    assert health["runs"] == 0
