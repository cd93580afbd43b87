"""`peak-trade monitor` on a session killed with SIGKILL: readable, and honest about its state."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import peak_trade, start_session, synth_candles, wait_for_events
from tests.support.runlog_fixtures import seed_run

pytestmark = pytest.mark.slow
RUN = "killed-run"


def test_a_sigkilled_session_is_readable_and_shown_as_crashed(tmp_path: Path) -> None:
    replay = synth_candles(tmp_path / "candles.csv", 20_000)
    log_dir = tmp_path / "runs"
    session = start_session(replay, log_dir, RUN)
    events = log_dir / RUN / "events.jsonl"
    try:
        wait_for_events(events, 500, session)
    finally:
        session.send_signal(signal.SIGKILL)
        session.wait(30)
    complete = [line for line in events.read_bytes().split(b"\n")[:-1] if line]
    last_seq = json.loads(complete[-1])["seq"]

    result = peak_trade(
        "monitor", "--run-id", RUN, "--json", "--tail", "2", "--log-dir", str(log_dir)
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["run"]["last_seq"] == last_seq
    assert payload["events"][-1]["seq"] == last_seq
    assert payload["run"]["ended"] is False

    hour_ago = time.time() - 3600  # as if the user looks an hour after the crash
    for path in (log_dir / RUN).iterdir():
        os.utime(path, (hour_ago, hour_ago))
    later = peak_trade("monitor", "--run-id", RUN, "--log-dir", str(log_dir))
    assert later.returncode == 0, later.stderr
    assert f"run {RUN}  [stale]" in later.stdout
    assert "probably crashed or was killed" in later.stdout
    listing = peak_trade("monitor", "--list", "--log-dir", str(log_dir))
    assert f"{RUN}\tstale\t" in listing.stdout


def test_a_run_with_a_half_written_last_line_and_no_summary(tmp_path: Path) -> None:
    run = seed_run(tmp_path, "20260105T120000Z-a1b2c3", finished=False)
    run.partial_line()
    old = time.time() - 7200
    for path in run.dir.iterdir():
        os.utime(path, (old, old))
    result = peak_trade("monitor", "--latest", "--tail", "1", "--log-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[unknown (no summary)]" in out
    assert "the last line of events.jsonl is incomplete" in out
    assert "summary.json is missing" in out
    assert out.strip().splitlines()[-1].split("\t")[0] == str(run.seq)
