"""`peak-trade session` against the loopback Kraken-compatible server, as a user runs it."""

from __future__ import annotations

import base64
import json
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from tests.e2e.session_cli_support import (
    FAKE_KEY,
    FAKE_SECRET,
    KRAKEN,
    events,
    kraken_env,
    only_run,
    peak_trade,
    spawn,
    summary,
    write_config,
)
from tests.support.kraken_faults import Fault
from tests.support.kraken_server import KrakenLoopbackServer

from peak_trade.adapters.runlog.reader import RunLogReader


@pytest.fixture
def kraken() -> Iterator[KrakenLoopbackServer]:
    # A fixed market start makes the price path (a function of the minute) the same every run.
    with KrakenLoopbackServer(speed=120, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        server.add_key(FAKE_KEY, FAKE_SECRET)
        yield server


def kraken_config(tmp_path: Path, server: KrakenLoopbackServer, poll: str = "0.25") -> Path:
    return write_config(
        tmp_path / "kraken.toml",
        KRAKEN,
        base_url=server.base_url,
        validate_only="true",
        state_dir=tmp_path / "state",
        poll=poll,
    )


def wait_for_event(run_dir: Path, event_type: str, after: str = "", timeout: float = 40) -> None:
    """Wait until an `event_type` event is written (after the first `after` event, if given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = run_dir / "events.jsonl"
        text = path.read_text() if path.exists() else ""
        start = text.find(f'"type":"{after}"') if after else 0
        if start >= 0 and f'"type":"{event_type}"' in text[start:]:
            return
        time.sleep(0.1)
    raise AssertionError(f"no {event_type} event within {timeout} s")


def wait_for_run_dir(log_dir: Path, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log_dir.exists() and any(log_dir.iterdir()):
            return only_run(log_dir)
        time.sleep(0.05)
    raise AssertionError("the session created no run directory")


@pytest.mark.slow
def test_kraken_session_validates_orders_and_books_simulated_fills(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = kraken_config(tmp_path, kraken)
    done = peak_trade(
        "session",
        "--config",
        str(config),
        "--max-steps",
        "24",
        "--log-dir",
        "runs",
        cwd=tmp_path,
        env=kraken_env(),
    )

    assert done.returncode == 0, done.stderr
    run = only_run(tmp_path / "runs")
    s = summary(run)
    ev = events(run)
    fills = [e for e in ev if e["type"] == "simulated_fill"]
    intents = [e for e in ev if e["type"] == "order_intent"]
    sent = kraken.params_sent("AddOrder")
    assert s["status"] == "completed"
    assert s["steps"] == 24
    assert len(fills) >= 1
    assert s["orders_validated"] == len(fills) == len(intents)
    assert len(sent) == len(intents)
    assert all(params.get("validate") == "true" for params in sent)
    assert [p.get("cl_ord_id") for p in sent] == [e["client_order_id"] for e in intents]
    assert Decimal(s["fees_paid"]) == sum(Decimal(f["fee"]) for f in fills)
    assert all(f["simulated"] for f in fills)
    venue = json.loads((run / "meta.json").read_text())["venue"]
    assert venue == {
        "name": "kraken",
        "host": "127.0.0.1",
        "production": False,
        "validate_only": True,
    }


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_finishes_the_step_writes_the_summary_and_exits_0(
    tmp_path: Path, kraken: KrakenLoopbackServer, sig: signal.Signals
) -> None:
    config = kraken_config(tmp_path, kraken)
    process = spawn(
        "session", "--config", str(config), "--log-dir", "runs", cwd=tmp_path, env=kraken_env()
    )
    run = wait_for_run_dir(tmp_path / "runs")
    wait_for_event(run, "candle")
    process.send_signal(sig)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 0, err
    assert summary(run)["status"] == "interrupted"
    assert events(run)[-1]["type"] == "session_ended"
    assert f"{sig.name} received" in err
    assert "Session summary" in out


@pytest.mark.slow
def test_sigkill_mid_run_leaves_a_readable_log_with_nothing_lost(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = kraken_config(tmp_path, kraken)
    process = spawn(
        "session", "--config", str(config), "--log-dir", "runs", cwd=tmp_path, env=kraken_env()
    )
    run = wait_for_run_dir(tmp_path / "runs")
    wait_for_event(run, "heartbeat", after="candle")
    process.kill()
    process.communicate(timeout=10)

    reader = RunLogReader(tmp_path / "runs")
    found = reader.events(run.name)
    assert found, "no events readable after SIGKILL"
    assert [e["seq"] for e in found] == list(range(1, len(found) + 1))  # no gap before the last
    assert reader.meta(run.name) is not None
    assert (reader.summary(run.name) or {}).get("status") == "running"
    types = {e["type"] for e in found}
    assert {"session_started", "candle", "heartbeat"} <= types


@pytest.mark.slow
def test_no_written_byte_or_printed_line_contains_the_credentials(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = kraken_config(tmp_path, kraken)
    done = peak_trade(
        "session",
        "--config",
        str(config),
        "--max-steps",
        "8",
        "--log-dir",
        "runs",
        "--log-level",
        "debug",
        cwd=tmp_path,
        env=kraken_env(),
    )
    dry = peak_trade(
        "session", "--config", str(config), "--dry-run", cwd=tmp_path, env=kraken_env()
    )
    assert done.returncode == 0, done.stderr
    assert dry.returncode == 0, dry.stderr
    needles = [FAKE_KEY, FAKE_SECRET, base64.b64decode(FAKE_SECRET).decode()]
    outputs = done.stdout + done.stderr + dry.stdout + dry.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "kraken.toml"]
    assert any(p.name == "events.jsonl" for p in files)
    for needle in needles:
        assert needle not in outputs
        for path in files:
            assert needle.encode() not in path.read_bytes(), path


def test_dry_run_prints_the_plan_makes_no_network_call_and_writes_nothing(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = kraken_config(tmp_path, kraken)
    before = sorted(p.name for p in tmp_path.iterdir())

    done = peak_trade(
        "session",
        "--config",
        str(config),
        "--dry-run",
        "--log-dir",
        "runs",
        cwd=tmp_path,
        env=kraken_env(),
    )

    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert sum(kraken.request_counts.values()) == 0
    out = done.stdout
    for expected in (
        "kraken_testnet",
        "sandbox venue",
        "validate_only",
        "BTC/EUR",
        "ma_crossover",
        "fast_window=2",
        "max_order_notional",
        "KRAKEN_TESTNET_API_KEY set",
    ):
        assert expected in out, expected


def test_dry_run_reports_unset_credentials_by_name_with_exit_2(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    from tests.e2e.session_cli_support import clean_env

    config = kraken_config(tmp_path, kraken)
    done = peak_trade(
        "session", "--config", str(config), "--dry-run", cwd=tmp_path, env=clean_env()
    )
    assert done.returncode == 2
    assert "KRAKEN_TESTNET_API_KEY NOT SET" in done.stdout
    assert "--exchange in_memory" in done.stderr


@pytest.mark.slow
def test_a_second_signal_exits_at_once_with_130_and_leaves_a_readable_log(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = kraken_config(tmp_path, kraken)
    text = config.read_text().replace(
        "rate_limit_ms = 0", "rate_limit_ms = 0\ntimeout_seconds = 600"
    )
    config.write_text(text)
    process = spawn(
        "session", "--config", str(config), "--log-dir", "runs", cwd=tmp_path, env=kraken_env()
    )
    run = wait_for_run_dir(tmp_path / "runs")
    wait_for_event(run, "candle")
    # From now on every OHLC request hangs (far longer than this test waits), so the session is
    # stuck inside a step and the first Ctrl+C cannot finish it.
    before = kraken.request_counts["OHLC"]
    kraken.inject("OHLC", Fault.delay(600, times=10_000))
    deadline = time.monotonic() + 30
    while kraken.request_counts["OHLC"] <= before:
        assert time.monotonic() < deadline, "the session sent no further OHLC request"
        time.sleep(0.05)
    assert process.stderr is not None
    try:
        process.send_signal(signal.SIGINT)
        first_notice = process.stderr.readline()
        while first_notice and "received" not in first_notice:
            first_notice = process.stderr.readline()
        assert "SIGINT received, finishing the current step" in first_notice
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 130
    assert "second SIGINT, exiting now" in err
    assert "Session summary" not in out  # it did not wait for the hanging step
    reader = RunLogReader(tmp_path / "runs")
    found = reader.events(run.name)
    assert [e["seq"] for e in found] == list(range(1, len(found) + 1))
    assert {"session_started", "candle"} <= {e["type"] for e in found}
    assert reader.meta(run.name) is not None
    assert (reader.summary(run.name) or {}).get("status") == "running"
