"""Orders that the venue accepts and then fills write two `order_result` events (the second with
`final: true`); the monitor, the dashboard and the summary must each count such an order once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade

from peak_trade.adapters.clocks import SystemClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.cli.dashboard.routes import DashboardRoutes
from peak_trade.app.monitoring.monitor import RunMonitor

pytestmark = pytest.mark.slow
RUN = "executing-run"


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("executing")
    config = base / "executing.toml"
    text = DEMO_CONFIG.read_text()
    assert "validate_only = true" in text
    config.write_text(text.replace("validate_only = true", "validate_only = false"))
    runs = base / "runs"
    result = peak_trade(
        "session", "--config", str(config), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(runs), "--run-id", RUN, "--max-steps", "600",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return runs


def order_results(log_dir: Path) -> list[dict[str, object]]:
    lines = (log_dir / RUN / "events.jsonl").read_text().splitlines()
    return [e for e in map(json.loads, lines) if e["type"] == "order_result"]


def test_each_accepted_order_has_an_open_and_a_final_order_result(log_dir: Path) -> None:
    results = order_results(log_dir)
    ids = [r["client_order_id"] for r in results]
    assert len(results) >= 4
    assert len(ids) == 2 * len(set(ids))
    assert [(r["status"], r["final"]) for r in results[:2]] == [("open", False), ("filled", True)]


def test_monitor_counts_each_order_once(log_dir: Path) -> None:
    summary = json.loads((log_dir / RUN / "summary.json").read_text())
    result = peak_trade("monitor", "--run-id", RUN, "--json", "--log-dir", str(log_dir))
    orders = json.loads(result.stdout)["run"]["orders"]
    ids = {r["client_order_id"] for r in order_results(log_dir)}
    assert summary["orders_submitted"] == summary["orders_accepted"] == len(ids)
    assert summary["orders_filled"] == len(ids)
    assert orders["intents"] == len(ids)
    assert orders["by_outcome"] == {"filled": len(ids)}
    assert summary["simulated_fills"] is False
    text = peak_trade("monitor", "--run-id", RUN, "--log-dir", str(log_dir)).stdout
    assert f"orders: {len(ids)} sent to the exchange; {len(ids)} listed; by outcome: filled" in text
    assert "SIMULATED" not in text


def test_dashboard_orders_table_has_one_row_per_order(log_dir: Path) -> None:
    routes = DashboardRoutes(RunMonitor(RunLogReader(log_dir), SystemClock()), refresh_seconds=5)
    ids = {r["client_order_id"] for r in order_results(log_dir)}
    listed = json.loads(routes.get(f"/api/runs/{RUN}/orders?limit=1000").body)
    assert sorted(o["client_order_id"] for o in listed["orders"]) == sorted(ids)
    assert {o["status"] for o in listed["orders"]} == {"filled"}
    assert listed["total"] == len(ids)
    page = routes.get(f"/runs/{RUN}").body.decode()
    table = page.split('<table id="orders">')[1].split("</table>")[0]
    assert table.count("<tr>") == len(ids) + 1  # header row + one row per order
    assert ">real<" in table
    assert "simulated" not in table
