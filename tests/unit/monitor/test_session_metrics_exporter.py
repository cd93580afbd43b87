"""`session --metrics-port`: the exporter serves one run's families from its run log over
loopback HTTP, parsed back with prometheus_client's own parser."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.support.runlog_fixtures import seed_live_run, seed_replay_run

from peak_trade.app.cli.dashboard.session_metrics import (
    SessionMetricsServer,
    metrics_port,
)
from peak_trade.app.errors import UsageError


def scrape(url: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    text = httpx.get(url, timeout=10).text
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            samples.setdefault(sample.name, {})[key] = sample.value
    return samples


def test_a_running_session_is_up_with_its_trading_state_and_per_symbol_figures(
    tmp_path: Path,
) -> None:
    run = seed_live_run(tmp_path, "live-run")
    with SessionMetricsServer(tmp_path, "live-run", 0) as server:
        samples = scrape(server.url)
    assert server.url.startswith("http://127.0.0.1:")
    assert samples["peak_trade_session_up"] == {(("run_id", "live-run"),): 1.0}
    states = {dict(k)["state"]: v for k, v in samples["peak_trade_trading_state"].items()}
    assert states["reducing"] == 1.0
    assert sum(states.values()) == 1.0
    positions = {dict(k)["symbol"]: v for k, v in samples["peak_trade_position"].items()}
    assert positions == {s: float(q) for s, q in run.positions.items()}
    assert set(samples) >= {"peak_trade_equity", "peak_trade_orders_submitted_total"}


def test_only_the_sessions_own_run_is_exported(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "other-run", steps=60)
    seed_live_run(tmp_path, "live-run")
    with SessionMetricsServer(tmp_path, "live-run", 0) as server:
        samples = scrape(server.url)
    run_ids = {dict(k)["run_id"] for family in samples.values() for k in family}
    assert run_ids == {"live-run"}


def test_before_the_run_log_exists_the_exporter_answers_without_samples(tmp_path: Path) -> None:
    with SessionMetricsServer(tmp_path, "not-yet", 0) as server:
        response = httpx.get(server.url, timeout=10)
    assert response.status_code == 200
    assert "peak_trade_session_up" in response.text
    assert 'run_id="not-yet"' not in response.text


def test_closing_the_exporter_frees_its_port(tmp_path: Path) -> None:
    server = SessionMetricsServer(tmp_path, "r", 0)
    port = server.port
    server.close()
    server.close()  # idempotent
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
    SessionMetricsServer(tmp_path, "r", port).close()  # the port can be bound again


def test_a_busy_port_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    first = SessionMetricsServer(tmp_path, "r", 0)
    try:
        with pytest.raises(UsageError, match=f"cannot listen on 127.0.0.1:{first.port}"):
            SessionMetricsServer(tmp_path, "r", first.port)
    finally:
        first.close()


@pytest.mark.parametrize("text", ["-1", "65536", "http", "80.5"])
def test_the_port_flag_refuses_what_is_not_a_port(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        metrics_port(text)
    assert metrics_port("0") == 0
