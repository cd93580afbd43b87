"""`peak-trade monitor` on a session that is running in another process, including --follow."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.e2e.monitor_processes import (
    ROOT,
    cli_env,
    peak_trade,
    start_session,
    synth_candles,
    wait_for_events,
)

pytestmark = pytest.mark.slow
RUN = "live-run"


def test_monitor_shows_a_live_session_and_follow_ends_with_it(tmp_path: Path) -> None:
    # long enough that the session is still running when the follower starts (~12 s)
    replay = synth_candles(tmp_path / "candles.csv", 300_000)
    log_dir = tmp_path / "runs"
    session = start_session(replay, log_dir, RUN)
    follow: subprocess.Popen[str] | None = None
    try:
        wait_for_events(log_dir / RUN / "events.jsonl", 300, session)
        result = peak_trade("monitor", "--latest", "--json", "--log-dir", str(log_dir))
        assert session.poll() is None, "the session ended before the monitor looked"
        view = json.loads(result.stdout)["run"]
        assert (view["run_id"], view["status"], view["live"]) == (RUN, "running", True)
        assert view["events"] >= 300

        follow = subprocess.Popen(
            [sys.executable, "-m", "peak_trade", "monitor", "--run-id", RUN, "--follow",
             "--interval", "0.2", "--log-dir", str(log_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=cli_env(),
        )  # fmt: skip
        assert follow.stdout is not None
        first = follow.stdout.readline()
        assert first.startswith(f"run {RUN}  [running]")
        session.send_signal(signal.SIGINT)  # Ctrl+C: the session finishes and writes its summary
        assert session.wait(60) == 0
        out, err = follow.communicate(timeout=60)
    finally:
        for proc in (session, follow):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert follow.returncode == 0, err
    assert "stopped following: the run has ended (status interrupted)" in out
    assert "\tsession_ended\t" in out  # the streamed events reach the end of the run
