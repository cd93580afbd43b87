"""Run `peak-trade` commands as a user would (subprocesses) for the monitor e2e tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = ROOT / "config" / "demo.toml"


def cli_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PEAK_TRADE_CONFIG", None)
    return env


def peak_trade(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `python -m peak_trade ARGS` from the repository root and wait for it."""
    return subprocess.run(
        [sys.executable, "-m", "peak_trade", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=cli_env(),
        check=False,
    )


def start_session(replay: Path, log_dir: Path, run_id: str) -> subprocess.Popen[str]:
    """A replay session in the background (in-memory exchange, demo config)."""
    command = [
        sys.executable, "-m", "peak_trade", "session",
        "--config", str(DEMO_CONFIG),
        "--exchange", "in_memory",
        "--replay", str(replay),
        "--log-dir", str(log_dir),
        "--run-id", run_id,
    ]  # fmt: skip
    with (log_dir.parent / f"{run_id}.stderr").open("w") as stderr:
        return subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=stderr, text=True, cwd=ROOT, env=cli_env()
        )


def synth_candles(path: Path, candles: int) -> Path:
    """A seeded synthetic candle file written by `peak-trade data synth`."""
    result = peak_trade("data", "synth", "--out", str(path), "--candles", str(candles))
    assert result.returncode == 0, result.stderr
    return path


def wait_for_events(events: Path, count: int, proc: subprocess.Popen[str]) -> None:
    """Block until `events` has `count` lines (the session is writing); fail if it exits first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if events.exists() and events.read_bytes().count(b"\n") >= count:
            return
        if proc.poll() is not None:
            raise AssertionError(f"session exited early ({proc.returncode})")
        time.sleep(0.05)
    raise AssertionError(f"{events} did not reach {count} events")
