"""Helpers for the session CLI end-to-end tests: configs, subprocess runs, run log reading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FAKE_KEY = "PTKEY-e2e-5f1c9a0b7d3e4f21"
FAKE_SECRET = "ZTJlLXNlY3JldC1ieXRlcy1mb3ItdGhlLWxvb3BiYWNrLXNlcnZlcg=="  # base64

DEMO_LIKE = """
[environment]
mode = "{mode}"

[exchange.in_memory]
validate_only = {validate_only}

[testnet_session]
default_exchange = "in_memory"
poll_interval_seconds = 60
warmup_candles = 30

[strategy.ma_crossover]
fast_window = 5
slow_window = 20

[run_logging]
heartbeat_every_steps = 50
"""

KRAKEN = """
[environment]
mode = "testnet"

[exchange.kraken_testnet]
base_url = "{base_url}"
validate_only = {validate_only}
rate_limit_ms = 0
state_dir = "{state_dir}"

[testnet_session]
default_exchange = "kraken_testnet"
poll_interval_seconds = {poll}
warmup_candles = 30

[strategy.ma_crossover]
fast_window = 2
slow_window = 5

[run_logging]
heartbeat_every_steps = 2
"""


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without Kraken credentials or a config override."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KRAKEN_") and k != "PEAK_TRADE_CONFIG"
    }
    env.update(extra)
    return env


def kraken_env() -> dict[str, str]:
    return clean_env(KRAKEN_TESTNET_API_KEY=FAKE_KEY, KRAKEN_TESTNET_API_SECRET=FAKE_SECRET)


def write_config(path: Path, template: str, **values: object) -> Path:
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    path.write_text(text)
    return path


def peak_trade(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """Run `python -m peak_trade ARGS` as a user would, capturing output."""
    return subprocess.run(
        [sys.executable, "-m", "peak_trade", *args],
        cwd=cwd,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def spawn(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "peak_trade", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def synth_csv(path: Path, candles: int = 400, seed: int = 5) -> Path:
    done = peak_trade(
        "data",
        "synth",
        "--out",
        str(path),
        "--candles",
        str(candles),
        "--seed",
        str(seed),
        cwd=path.parent,
    )
    assert done.returncode == 0, done.stderr
    return path


def only_run(log_dir: Path) -> Path:
    runs = [p for p in log_dir.iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    return runs[0]


def events(run_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]


def summary(run_dir: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((run_dir / "summary.json").read_text())
    return result


def replay_args(config: Path, csv: Path) -> tuple[str, ...]:
    """`session --config CONFIG --exchange in_memory --replay CSV`: an offline replay session."""
    return ("session", "--config", str(config), "--exchange", "in_memory", "--replay", str(csv))


def crashing(
    spec: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `peak-trade ARGS` and kill it at `spec` (TYPE:N[:half|:sigint], see
    tests/support/crash_session.py); it runs from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "tests.support.crash_session", spec, "--", *args],
        cwd=REPO,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
