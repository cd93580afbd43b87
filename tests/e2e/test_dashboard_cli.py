"""`peak-trade dashboard` as a user runs it: serves a real session's run log, refuses remote."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from tests.e2e.dashboard_process import running_dashboard
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade

pytestmark = pytest.mark.slow
RUN = "dashboard-demo-run"


def test_dashboard_serves_a_real_session_run(tmp_path: Path) -> None:
    log_dir = tmp_path / "runs"
    session = peak_trade(
        "session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(log_dir), "--run-id", RUN,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    summary = json.loads((log_dir / RUN / "summary.json").read_text())
    with running_dashboard(log_dir) as base, httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/health").json()["runs"] == 1
        view = client.get(f"/api/runs/{RUN}").json()
        page = client.get(f"/runs/{RUN}").text
        events = client.get(f"/api/runs/{RUN}/events", params={"since": 0, "limit": 3}).json()
        refused = client.post(f"/api/runs/{RUN}")
    assert (view["status"], view["equity"]) == ("completed", summary["end_equity"])
    assert events["events"][0]["type"] == "session_started"
    orders = page.split('<table id="orders">')[1].split("</table>")[0]
    assert orders.count("<tr>") - 1 == summary["orders_submitted"]  # minus the header row
    charts = page.split('<section id="part-charts"')[1].split("</section>")[0]
    assert 'data-symbol="BTC/EUR"' in charts
    assert charts.count("<polyline") == 4  # price, equity, drawdown, position (no-JS chart)
    assert refused.status_code == 405


def test_non_loopback_host_needs_allow_remote(tmp_path: Path) -> None:
    result = peak_trade("dashboard", "--host", "0.0.0.0", "--port", "0", "--log-dir", str(tmp_path))
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
    assert "refusing to serve" in result.stderr
