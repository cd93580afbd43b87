"""Dashboard over real HTTP on 127.0.0.1 (random port): API, pages, path safety, read-only."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.support.runlog_fixtures import T0, FakeRun, seed_run

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.cli.dashboard.routes import DashboardRoutes
from peak_trade.app.cli.dashboard.server import DashboardServer
from peak_trade.app.monitoring.monitor import RunMonitor

RUN = "20260105T120000Z-a1b2c3"
WALL = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    tmp_path = tmp_path_factory.mktemp("dashboard")
    base = tmp_path / "runs"
    seed_run(base, RUN)
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    (secret_dir / "meta.json").write_text('{"run_id": "stolen"}')
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
    assert get_json(server, "/health") == (200, {"status": "ok", "version": "0.35.0", "runs": 1})


def test_api_runs_lists_the_seeded_run(server: DashboardServer) -> None:
    status, body = get_json(server, "/api/runs")
    assert status == 200
    assert [r["run_id"] for r in body["runs"]] == [RUN]
    assert (body["total"], body["next_offset"]) == (1, None)


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
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_run_page_escapes_log_content(server: DashboardServer) -> None:
    status, _, body = request(server, f"/runs/{RUN}")
    html = body.decode()
    assert status == 200
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_run_page_shows_charts_orders_alerts_and_meta(server: DashboardServer) -> None:
    html = request(server, f"/runs/{RUN}")[2].decode()
    for marker in ('id="equity-chart"', 'id="drawdown-chart"', 'id="position-chart"'):
        assert marker in html
    assert "<polyline" in html
    assert "risk_blocked" in html
    assert "cost_minimum_not_met" in html
    assert "SIMULATED" in html
    assert "ma_crossover" in html
    assert 'http-equiv="refresh"' not in html  # finished runs do not refresh


def test_pages_reference_only_local_assets(server: DashboardServer) -> None:
    for path in ("/", f"/runs/{RUN}"):
        html = request(server, path)[2].decode()
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html
    status, headers, css = request(server, "/static/style.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert b"svg.chart" in css


def test_a_live_run_page_refreshes_itself(tmp_path: Path) -> None:
    run = FakeRun(tmp_path, "live-run")
    run.meta()
    run.event("heartbeat", T0, equity="10000")
    routes = DashboardRoutes(
        RunMonitor(RunLogReader(tmp_path), SimulatedClock(datetime.now(UTC))), refresh_seconds=3
    )
    with DashboardServer(routes, "127.0.0.1", 0) as live:
        html = request(live, "/runs/live-run")[2].decode()
    assert '<meta http-equiv="refresh" content="3">' in html
