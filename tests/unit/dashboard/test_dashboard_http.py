"""Dashboard over real HTTP on 127.0.0.1 (random port): API, pages, path safety, read-only."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.support.runlog_fixtures import (
    T0,
    FakeRun,
    seed_failed_run,
    seed_replay_run,
    seed_run,
    write_large_run,
)

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.cli.dashboard.routes import DashboardRoutes
from peak_trade.app.cli.dashboard.server import DashboardServer
from peak_trade.app.monitoring.monitor import RunMonitor

RUN = "20260105T120000Z-a1b2c3"
WALL = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("dashboard")
    base = tmp_path / "runs"
    seed_run(base, RUN)
    seed_replay_run(base, "multi", symbols=("BTC/EUR", "ETH/EUR"))
    seed_failed_run(base)
    write_large_run(base, "big", candles=30_000, trade_every=60)
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    (secret_dir / "meta.json").write_text('{"run_id": "stolen"}')
    return base


@pytest.fixture(scope="module")
def server(base: Path) -> Iterator[DashboardServer]:
    routes = DashboardRoutes(
        RunMonitor(RunLogReader(base), SimulatedClock(WALL)), refresh_seconds=3
    )
    with DashboardServer(routes, "127.0.0.1", 0) as running:
        yield running


def request(
    server: DashboardServer, path: str, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def get_json(server: DashboardServer, path: str) -> tuple[int, Any]:
    status, _, body = request(server, path)
    return status, json.loads(body)


def test_health(server: DashboardServer) -> None:
    assert get_json(server, "/health") == (200, {"status": "ok", "version": "0.35.0", "runs": 4})


def test_api_runs_lists_the_seeded_runs(server: DashboardServer) -> None:
    status, body = get_json(server, "/api/runs")
    assert status == 200
    assert RUN in [r["run_id"] for r in body["runs"]]
    assert (body["total"], body["next_offset"]) == (4, None)


def test_api_run_summary(server: DashboardServer) -> None:
    status, body = get_json(server, f"/api/runs/{RUN}")
    assert status == 200
    assert (body["status"], body["equity"], body["simulated"]) == ("completed", "10050", True)


def test_api_events_paginate_by_seq(server: DashboardServer) -> None:
    _, first = get_json(server, f"/api/runs/{RUN}/events?since=0&limit=5")
    assert [e["seq"] for e in first["events"]] == [1, 2, 3, 4, 5]
    assert first["has_more"] is True
    _, second = get_json(server, f"/api/runs/{RUN}/events?since={first['next_since']}&limit=5")
    assert [e["seq"] for e in second["events"]] == [6, 7, 8, 9, 10]


def test_api_alerts_paginate_by_offset(server: DashboardServer) -> None:
    _, page = get_json(server, f"/api/runs/{RUN}/alerts?offset=1&limit=1")
    assert [a["rule"] for a in page["alerts"]] == ["drawdown"]
    assert (page["total"], page["next_offset"]) == (2, None)
    _, first = get_json(server, f"/api/runs/{RUN}/alerts?limit=1")
    assert first["next_offset"] == 1


def test_malformed_query_is_a_400(server: DashboardServer) -> None:
    status, body = get_json(server, f"/api/runs/{RUN}/events?since=-1")
    assert status == 400
    assert "since" in body["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/runs/..",
        "/runs/%2e%2e",
        "/runs/..%2fsecret",
        "/runs/%2e%2e%2fsecret",
        "/api/runs/..%2F..%2Fetc%2Fpasswd",
        "/api/runs/%2fetc%2fpasswd",
        "/api/runs//etc/passwd",
        "//etc/passwd",
        "/api/runs/../secret",
        "/api/runs/secret",
        "/api/runs/" + RUN + "%00",
        "/api/runs/" + RUN + "%2f..",
        "/api/runs/" + "a" * 5000,
        "/runs/" + RUN + "x",
        "/static/..%2f..%2fmonitor.py",
        "/static/style.css%00",
        "/static/vendor/../style.css",
        "/static/vendor/lightweight-charts/package.json",
        "/runs/" + RUN + "/part/nope",
        "/api/runs/" + RUN + "/nope",
    ],
)
def test_anything_but_an_existing_run_is_a_404(server: DashboardServer, path: str) -> None:
    status, _, body = request(server, path)
    assert status == 404
    assert b"stolen" not in body


def test_non_get_methods_are_refused(server: DashboardServer) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"):
        status, headers, _ = request(server, f"/api/runs/{RUN}", method)
        assert (method, status, headers.get("Allow")) == (method, 405, "GET")


def test_pages_are_served_with_a_strict_content_security_policy(server: DashboardServer) -> None:
    status, headers, _ = request(server, "/")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy  # local scripts only, no inline script
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_run_page_escapes_log_content(server: DashboardServer) -> None:
    status, _, body = request(server, f"/runs/{RUN}")
    html = body.decode()
    assert status == 200
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_run_page_shows_charts_orders_alerts_and_meta(server: DashboardServer) -> None:
    html = request(server, f"/runs/{RUN}")[2].decode()
    assert 'class="chart-card" id="chart-BTC-EUR"' in html
    assert "<polyline" in html  # the no-JavaScript chart
    assert "risk_blocked" in html
    assert "cost_minimum_not_met" in html
    assert "SIMULATED" in html
    assert "ma_crossover" in html
    assert 'http-equiv="refresh"' not in html  # never a full-page reload
    assert 'data-live="false"' in html


def test_pages_reference_only_local_assets(server: DashboardServer) -> None:
    for path in ("/", f"/runs/{RUN}", "/runs/multi"):
        html = request(server, path)[2].decode()
        html = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        # the one link out: the attribution the chart library's licence asks for (not a fetch)
        html = html.replace('<a href="https://www.tradingview.com/" rel="noreferrer">', "")
        assert "http://" not in html
        assert "https://" not in html
        assert 'src="/static/vendor/lightweight-charts/' in html or path == "/"
    status, headers, css = request(server, "/static/style.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert b"svg.chart" in css


def test_the_vendored_chart_library_is_served_with_its_licence(server: DashboardServer) -> None:
    base = "/static/vendor/lightweight-charts/"
    status, headers, script = request(server, base + "lightweight-charts.standalone.production.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert b"Lightweight Charts" in script[:300]
    assert b"Apache License" in request(server, base + "LICENSE")[2]
    assert b"TradingView" in request(server, base + "NOTICE")[2]
    assert b"createChart" in request(server, "/static/dashboard.js")[2]


def test_a_failed_run_page_puts_its_cause_before_everything_else(server: DashboardServer) -> None:
    html = request(server, "/runs/failed-run")[2].decode()
    banner = html.index('class="banner critical"')
    assert banner < html.index('id="figures"')
    assert "Session failed: ExchangeAuthError" in html[banner : banner + 300]
    assert "stopped (failed); last state active" in html


def test_every_order_is_reachable_page_by_page_and_counts_equal_the_summary(
    server: DashboardServer, base: Path
) -> None:
    summary = json.loads((base / "big" / "summary.json").read_text())
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        _, page = get_json(server, f"/api/runs/big/orders?offset={offset}&limit=150")
        seen += [o["client_order_id"] for o in page["orders"]]
        offset = page["next_offset"]
    expected = summary["orders_submitted"] + summary["orders_risk_blocked"]
    assert len(seen) == len(set(seen)) == expected > 300
    html = request(server, "/runs/big")[2].decode()
    orders = html.split('<table id="orders">')[1].split("</table>")[0]
    assert orders.count("<tr>") == 101  # header and the first page of 100
    assert f'<span id="orders-sent">{summary["orders_submitted"]:,}</span>' in html
    assert f'<span id="orders-summary">{summary["orders_submitted"]:,}</span>' in html
    assert f'orders 1–100 of <strong class="count">{expected:,}</strong>' in html
    fills = sum(s["fills"] for s in summary["symbols"].values())
    assert f"Fills ({fills:,})" in html
    second = request(server, "/runs/big?orders=100")[2].decode()
    assert f'orders 101–200 of <strong class="count">{expected:,}</strong>' in second


def test_fills_trips_and_alerts_paginate_completely(server: DashboardServer) -> None:
    for name, key in (("fills", "fills"), ("round_trips", "round_trips"), ("alerts", "alerts")):
        rows: list[object] = []
        offset: int | None = 0
        while offset is not None:
            _, page = get_json(server, f"/api/runs/big/{name}?offset={offset}&limit=70")
            rows += page[key]
            offset = page["next_offset"]
        assert len(rows) == page["total"], name
    _, stats = get_json(server, "/api/runs/big/statistics")
    _, trips = get_json(server, "/api/runs/big/round_trips?limit=1")
    assert (
        stats["statistics"]["round_trips"] + stats["statistics"]["open_round_trips"]
        == (trips["total"])
    )


def test_chart_api_returns_one_grid_per_symbol(server: DashboardServer) -> None:
    status, chart = get_json(server, "/api/runs/multi/chart?symbol=ETH%2FEUR")
    assert status == 200
    assert chart["symbol"] == "ETH/EUR"
    assert chart["kind"] == "candles"
    assert chart["bars"]
    assert chart["markers"]
    status, fine = get_json(server, "/api/runs/big/chart?symbol=BTC%2FEUR&timeframe=1h")
    assert (status, fine["timeframe"]) == (200, "1h")
    assert get_json(server, "/api/runs/multi/chart?symbol=XRP%2FEUR")[0] == 404
    assert get_json(server, "/api/runs/multi/chart?timeframe=7M")[0] == 400


def test_a_part_renders_alone_for_live_updates_and_pagers(server: DashboardServer) -> None:
    status, _headers, body = request(server, "/runs/big/part/orders?offset=200")
    html = body.decode()
    assert status == 200
    assert html.startswith('<section id="part-orders" data-part="orders" data-offset="200">')
    assert "orders 201–300" in html
    assert "<html" not in html


def test_metrics_scrape_parses_and_covers_every_run(server: DashboardServer, base: Path) -> None:
    status, headers, body = request(server, "/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(body.decode())}
    up = {s.labels["run_id"]: s.value for s in families["peak_trade_session_up"].samples}
    assert set(up) == {RUN, "multi", "failed-run", "big"}
    assert families["peak_trade_orders"].type == "counter"
    outcomes = {
        (s.labels["run_id"], s.labels["outcome"]): s.value
        for s in families["peak_trade_orders"].samples
        if s.name == "peak_trade_orders_total"
    }
    summary = json.loads((base / "multi" / "summary.json").read_text())
    assert outcomes[("multi", "validated")] == summary["orders_submitted"]
    blocks = {
        (s.labels["run_id"], s.labels["limit"]): s.value
        for s in families["peak_trade_risk_blocks"].samples
        if s.name == "peak_trade_risk_blocks_total"
    }
    assert blocks[("multi", "max_order_notional")] == 1
    errors = {
        s.labels["kind"]: s.value
        for s in families["peak_trade_exchange_errors"].samples
        if s.labels["run_id"] == "failed-run" and s.name.endswith("_total")
    }
    assert errors == {"market_data": 2, "order": 1}
    equity = {s.labels["run_id"]: s.value for s in families["peak_trade_equity"].samples}
    assert equity["multi"] == float(summary["end_equity"])
    states = {
        s.labels["state"]
        for s in families["peak_trade_trading_state"].samples
        if s.labels["run_id"] == "failed-run" and s.value == 1
    }
    assert states == {"stopped"}
    for family in families.values():
        assert family.name.startswith("peak_trade_")


def test_a_live_run_page_updates_in_place(tmp_path: Path) -> None:
    run = FakeRun(tmp_path, "live-run")
    run.meta()
    run.event("heartbeat", T0, equity="10000")
    routes = DashboardRoutes(
        RunMonitor(RunLogReader(tmp_path), SimulatedClock(datetime.now(UTC))), refresh_seconds=3
    )
    with DashboardServer(routes, "127.0.0.1", 0) as live:
        html = request(live, "/runs/live-run")[2].decode()
        assert 'http-equiv="refresh"' not in html
        assert 'data-live="true"' in html
        assert 'data-refresh="3"' in html
        before = request(live, "/runs/live-run/part/figures")[2].decode()
        run.event("heartbeat", T0, equity="10250.5")
        after = request(live, "/runs/live-run/part/figures")[2].decode()
    assert "10,000.00" in before
    assert "10,250.50" in after
