"""`peak-trade session --metrics-port 0`: Prometheus scrapes of a running replay, parsed with
prometheus_client's parser, agree with the run log; the port closes with the session."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, cli_env, peak_trade, synth_candles

pytestmark = pytest.mark.slow
RUN = "metrics-run"
URL = re.compile(r"^metrics: (http://127\.0\.0\.1:(\d+)/metrics) ")

Samples = dict[str, dict[frozenset[tuple[str, str]], float]]


def scrape(url: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(httpx.get(url, timeout=10).text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[frozenset(sample.labels.items())] = sample.value
    return samples


def one(samples: Samples, name: str, **labels: str) -> float:
    return samples[name][frozenset({"run_id": RUN, **labels}.items())]


def start(replay: Path, log_dir: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "peak_trade", "session", "--config", str(DEMO_CONFIG),
         "--exchange", "in_memory", "--replay", str(replay), "--log-dir", str(log_dir),
         "--run-id", RUN, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=cli_env(),
    )  # fmt: skip


def metrics_url(session: subprocess.Popen[str]) -> tuple[str, int]:
    assert session.stdout is not None
    for _ in range(5):
        match = URL.match(session.stdout.readline())
        if match:
            return match.group(1), int(match.group(2))
    raise AssertionError("the session did not print its metrics URL")


def scrape_while_trading(url: str, session: subprocess.Popen[str]) -> Samples:
    """A scrape once the replay has traded (fills booked), taken while it still runs."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert session.poll() is None, "the session ended before it was scraped"
        samples = scrape(url)
        if samples.get("peak_trade_fills_total"):
            return samples
        time.sleep(0.05)
    raise AssertionError("no fills appeared in the metrics")


def test_a_running_replay_is_scraped_and_its_port_closes_with_it(tmp_path: Path) -> None:
    replay = synth_candles(tmp_path / "candles.csv", 300_000)  # runs for several seconds
    log_dir = tmp_path / "runs"
    session = start(replay, log_dir, "--metrics-port", "0")
    try:
        url, port = metrics_url(session)
        first = scrape_while_trading(url, session)
        time.sleep(0.5)
        second = scrape(url)
        assert session.poll() is None, "the session ended while it was scraped"
        session.send_signal(signal.SIGINT)
        assert session.wait(60) == 0
    finally:
        if session.poll() is None:
            session.kill()
            session.wait()
    summary = json.loads((log_dir / RUN / "summary.json").read_text())

    assert one(first, "peak_trade_session_up") == 1.0
    assert one(first, "peak_trade_trading_state", state="active") == 1.0
    assert one(first, "peak_trade_start_equity") == 10000.0
    info = next(iter(first["peak_trade_run_info"]))
    assert dict(info) | {"run_id": RUN} == {
        "run_id": RUN,
        "status": "running",
        "exchange": "in_memory",
        "strategy": "ma_crossover",
        "base_currency": "EUR",
    }
    # counters only grow between scrapes and never pass the run's final figures
    for name, final in (
        ("peak_trade_candles_processed_total", summary["candles_processed"]),
        ("peak_trade_orders_submitted_total", summary["orders_submitted"]),
    ):
        assert 0 < one(first, name) <= one(second, name) <= final, name
    fills = one(second, "peak_trade_fills_total", symbol="BTC/EUR")
    assert fills <= summary["symbols"]["BTC/EUR"]["fills"]
    assert one(second, "peak_trade_fees_paid_total", symbol="BTC/EUR") > 0
    with pytest.raises(httpx.ConnectError):  # stopped with the session
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)


def test_metrics_need_the_run_log_and_a_valid_free_port(tmp_path: Path) -> None:
    replay = ROOT / "data" / "btc_eur_1m_synthetic.csv"
    common = ["session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory"]
    common += ["--replay", str(replay), "--log-dir", str(tmp_path)]
    no_log = peak_trade(*common, "--no-logging", "--metrics-port", "0")
    assert no_log.returncode == 2
    assert "--metrics-port" in no_log.stderr
    assert "--no-logging" in no_log.stderr
    bad = peak_trade(*common, "--metrics-port", "70000")
    assert bad.returncode == 2
    assert "--metrics-port" in bad.stderr

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        refused = peak_trade(*common, "--run-id", "busy", "--metrics-port", str(taken))
    assert refused.returncode == 2
    assert f"cannot listen on 127.0.0.1:{taken}" in refused.stderr
    assert not (tmp_path / "busy").exists()  # refused before anything was written
