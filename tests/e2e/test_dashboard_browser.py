"""A real headless Chromium renders run pages served by `peak-trade dashboard`: the demo run,
a multi-symbol run, a failed run and a long run (screenshots go to test-artifacts/), and a
live run whose page updates in place while the session writes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from tests.e2e.dashboard_process import rendered, running_dashboard, screenshot
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade
from tests.support.runlog_fixtures import (
    V2Run,
    seed_failed_run,
    seed_live_run,
    seed_replay_run,
    seed_run,
    write_large_run,
)

from peak_trade.adapters.clocks import SystemClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.cli.dashboard.routes import DashboardRoutes, Response
from peak_trade.app.cli.dashboard.server import DashboardServer
from peak_trade.app.monitoring.monitor import RunMonitor

pytestmark = pytest.mark.browser
DEMO = "demo-run"
LEGACY = "20260105T120000Z-a1b2c3"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser") / "runs"
    session = peak_trade(
        "session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(base), "--run-id", DEMO,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    seed_run(base, LEGACY)
    seed_replay_run(base, "multi-symbol", symbols=("BTC/EUR", "ETH/EUR"), steps=900)
    seed_failed_run(base)
    write_large_run(base, "long-run", candles=60_000, trade_every=120)
    return base


@pytest.fixture(scope="module")
def base_url(runs: Path) -> Iterator[str]:
    with running_dashboard(runs) as url:
        yield url


def section(html: str, name: str) -> str:
    return html.split(f'<section id="part-{name}"')[1].split("</section>")[0]


def test_the_demo_run_shows_price_markers_trips_and_statistics(
    base_url: str, tmp_path: Path
) -> None:
    url = f"{base_url}/runs/{DEMO}"
    html = rendered(tmp_path / "dom", url)
    screenshot(tmp_path / "shot", url, "dashboard_demo_run.png", 2600)
    assert "chart-box enhanced" in html  # the interactive chart replaced the SVG
    assert "tv-lightweight-charts" in html
    legend = re.search(r'class="legend muted">([^<]*)<', html)
    assert legend is not None
    assert re.search(r"O [\d,]+\.\d H [\d,]+\.\d L [\d,]+\.\d C [\d,]+\.\d", legend.group(1))
    assert "equity 9,743.26" in legend.group(1)
    chart = httpx.get(f"{base_url}/api/runs/{DEMO}/chart?symbol=BTC%2FEUR").json()
    assert {m["side"] for m in chart["markers"]} == {"buy", "sell"}
    trips = httpx.get(f"{base_url}/api/runs/{DEMO}/round_trips?limit=1").json()["total"]
    assert trips > 10
    assert section(html, "trips").count("<tr>") == trips + 1
    stats = section(html, "statistics")
    for label in ("Win rate", "Profit factor", "Sharpe / Sortino", "Exposure", "Trades per day"):
        assert label in stats
    figures = section(html, "figures")
    assert "9,743.26 EUR" in figures  # money at two places, not 16 digits
    for name in ("figures", "symbols", "statistics", "trips", "orders", "fills"):
        assert not re.search(r"\d\.\d{9}", section(html, name)), name  # no 16-digit figures


def test_a_multi_symbol_run_has_one_chart_per_symbol(base_url: str, tmp_path: Path) -> None:
    url = f"{base_url}/runs/multi-symbol"
    html = rendered(tmp_path / "dom", url)
    screenshot(tmp_path / "shot", url, "dashboard_multi_symbol_run.png", 3000)
    assert html.count("chart-box enhanced") == 2
    for symbol in ("BTC/EUR", "ETH/EUR"):
        assert f'data-symbol="{symbol}"' in html
    trips = section(html, "trips")
    assert "BTC/EUR" in trips
    assert "ETH/EUR" in trips
    assert "end_of_run" in trips


def test_a_failed_run_shows_its_cause_at_the_top(base_url: str, tmp_path: Path) -> None:
    url = f"{base_url}/runs/failed-run"
    html = rendered(tmp_path / "dom", url)
    screenshot(tmp_path / "shot", url, "dashboard_failed_run.png", 1400)
    main = html.split("<main>")[1]
    assert main.index("Session failed: ExchangeAuthError") < main.index('id="figures"')
    assert "stopped (failed); last state active" in section(html, "figures")


def test_a_long_run_pages_its_tables(base_url: str, tmp_path: Path, runs: Path) -> None:
    url = f"{base_url}/runs/long-run"
    html = rendered(tmp_path / "dom", url)
    screenshot(tmp_path / "shot", url, "dashboard_long_run.png", 2600)
    summary = json.loads((runs / "long-run" / "summary.json").read_text())
    total = summary["orders_submitted"] + summary["orders_risk_blocked"]
    assert f'of <strong class="count">{total:,}</strong>' in section(html, "orders")
    assert section(html, "orders").count("<tr>") == 101


def test_without_javascript_the_page_keeps_svg_charts_and_plain_pager_links(
    base_url: str,
) -> None:
    html = httpx.get(f"{base_url}/runs/long-run").text  # as served, before any script runs
    charts = section(html, "charts")
    assert charts.count("<polyline") == 4
    assert '<a href="?orders=100#part-orders"' in section(html, "orders")


class WritingRoutes(DashboardRoutes):
    """The dashboard, with a live session that writes an alert between the first two polls."""

    def __init__(self, run: V2Run, base: Path) -> None:
        super().__init__(RunMonitor(RunLogReader(base), SystemClock()), refresh_seconds=1)
        self.run = run
        self.paths: list[str] = []

    def get(self, raw_path: str) -> Response:
        self.paths.append(raw_path)
        if raw_path == f"/api/runs/{self.run.run_id}" and self.paths.count(raw_path) == 1:
            self.run.alert("critical", "drawdown", "drawdown 5.10% reached 5%", drawdown="5.1")
            self.run.run.touch(datetime.now(UTC))
        return super().get(raw_path)


def test_a_live_run_updates_in_place_without_reloading(tmp_path: Path) -> None:
    run = seed_live_run(tmp_path / "runs")
    run.run.touch(datetime.now(UTC))
    routes = WritingRoutes(run, tmp_path / "runs")
    with DashboardServer(routes, "127.0.0.1", 0) as server:
        html = rendered(tmp_path / "dom", f"{server.url}/runs/{run.run_id}")
    assert routes.paths.count(f"/runs/{run.run_id}") == 1  # the page itself: loaded once
    assert f"/runs/{run.run_id}/part/alerts?offset=0" in routes.paths
    alerts = section(html, "alerts")
    assert "drawdown 5.10% reached 5%" in alerts
    assert "Alerts (1)" in alerts
    assert "Reducing exposure only" in section(html, "headline")
