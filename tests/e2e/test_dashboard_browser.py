"""A real headless Chromium renders the run page of a seeded run from `peak-trade dashboard`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.e2e.dashboard_process import running_dashboard
from tests.support.runlog_fixtures import seed_run

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
RUN = "20260105T120000Z-a1b2c3"

pytestmark = pytest.mark.browser


def chromium(user_data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium via "
            "tools/ensure_chromium.py) or `python tools/ensure_chromium.py`"
        )
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={user_data}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def test_run_page_renders_equity_chart_orders_and_alerts(tmp_path: Path) -> None:
    seed_run(tmp_path / "runs", RUN)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "dashboard_run_page.png"
    screenshot.unlink(missing_ok=True)
    with running_dashboard(tmp_path / "runs") as base_url:
        url = f"{base_url}/runs/{RUN}"
        dom = chromium(tmp_path / "profile-dom", "--dump-dom", url)
        shot = chromium(
            tmp_path / "profile-shot",
            f"--screenshot={screenshot}",
            "--window-size=1280,2200",
            "--hide-scrollbars",
            url,
        )
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert f"Run {RUN}" in html
    equity_svg = html.split('<svg id="equity-chart"')[1].split("</svg>")[0]
    assert "<polyline" in equity_svg
    assert '<svg id="drawdown-chart"' in html
    orders = html.split('<table id="orders">')[1].split("</table>")[0]
    assert "validated" in orders
    assert "risk_blocked" in orders
    assert "cost_minimum_not_met" in orders
    assert "simulated" in orders
    alerts = html.split('<table id="alerts">')[1].split("</table>")[0]
    assert "drawdown 4.39% from peak equity 10250" in alerts
    assert "&lt;script&gt;x&lt;/script&gt;" in alerts  # log text stays text in the browser
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
