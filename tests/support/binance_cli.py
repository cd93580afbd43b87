"""Helpers for `peak-trade session --exchange binance_testnet` end-to-end runs: the config, a
clean environment with the loopback keys, and waiting on a run log that is being written."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

API_KEY = "PTBNB-e2e-key-4c1f0a9d27e3b5"
API_SECRET = "PTBNB-e2e-secret-91d7e2c4a0b36f58"
KEY_VAR, SECRET_VAR = "BINANCE_TESTNET_API_KEY", "BINANCE_TESTNET_API_SECRET"

BINANCE_SESSION = """
[environment]
mode = "testnet"

[exchange.binance_testnet]
base_url = "{base_url}"
validate_only = {validate_only}
timeout_seconds = 5.0
max_retries = 1

[testnet_session]
default_exchange = "binance_testnet"
symbol = "BTC/USDT"
poll_interval_seconds = 0.25
warmup_candles = 30
start_balance = {start_balance}
order_follow_timeout_seconds = 10

[live_risk]
base_currency = "USDT"

[strategy.ma_crossover]
fast_window = 2
slow_window = 5

[alerts]
enabled = false

[run_logging]
heartbeat_every_steps = 2
"""


def binance_config(
    path: Path, base_url: str, *, validate_only: bool, start_balance: str = "10000"
) -> Path:
    """A session config for the Binance venue at `base_url`."""
    text = (
        BINANCE_SESSION.replace("{base_url}", base_url)
        .replace("{validate_only}", "true" if validate_only else "false")
        .replace("{start_balance}", start_balance)
    )
    path.write_text(text)
    return path


def session_env(*, keys: bool = True, **extra: str) -> dict[str, str]:
    """This process's environment without venue credentials or a config override; with the
    loopback key and secret when `keys`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BINANCE_", "KRAKEN_")) and k != "PEAK_TRADE_CONFIG"
    }
    if keys:
        env.update({KEY_VAR: API_KEY, SECRET_VAR: API_SECRET})
    env.update(extra)
    return env


def events_of(run_dir: Path) -> list[dict[str, Any]]:
    path = run_dir / "events.jsonl"
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]


def wait_until(check: Any, what: str, timeout: float = 60) -> Any:
    """Poll `check()` until it returns something truthy; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def wait_for_run_dir(log_dir: Path, timeout: float = 30) -> Path:
    def found() -> Path | None:
        runs = [p for p in log_dir.iterdir() if p.is_dir()] if log_dir.exists() else []
        return runs[0] if runs else None

    run: Path = wait_until(found, "a run directory", timeout)
    return run
