"""Alerts fire inside a real session: alerts.jsonl in the run directory, alert events, monitor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade

pytestmark = pytest.mark.slow
RUN = "alerting-run"


def test_session_alerts_reach_alerts_jsonl_events_and_the_monitor(tmp_path: Path) -> None:
    config = tmp_path / "alerting.toml"
    config.write_text(
        DEMO_CONFIG.read_text()
        + '\n[alerts.drawdown]\nlevel = "critical"\nthreshold = 0.5\n'
        + "\n[alerts.large_loss_abs]\nthreshold = 50\n"
    )
    log_dir = tmp_path / "runs"
    result = peak_trade(
        "session", "--config", str(config), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(log_dir), "--run-id", RUN,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    run_dir = log_dir / RUN
    alerts = [json.loads(line) for line in (run_dir / "alerts.jsonl").read_text().splitlines()]
    assert alerts, "the low thresholds should have fired alerts"
    assert {a["rule"] for a in alerts} <= {"drawdown", "large_loss_abs", "large_loss_pct"}
    assert all(set(a) == {"ts", "level", "rule", "message", "context"} for a in alerts)
    assert {a["level"] for a in alerts if a["rule"] == "drawdown"} == {"critical"}
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
    alert_events = [(e["rule"], e["message"]) for e in events if e["type"] == "alert"]
    assert alert_events == [(a["rule"], a["message"]) for a in alerts]
    assert "ALERT [CRITICAL] drawdown" in result.stderr  # the log sink

    shown = peak_trade("monitor", "--run-id", RUN, "--alerts", "--log-dir", str(log_dir))
    assert shown.returncode == 0, shown.stderr
    assert f"alerts: {len(alerts)}" in shown.stdout
    assert alerts[0]["message"] in shown.stdout
