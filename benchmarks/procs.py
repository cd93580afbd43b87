"""Fresh-process helpers: time a command, run a worker module and read its JSON answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.stats import Sample

ROOT = Path(__file__).resolve().parent.parent


def python() -> str:
    """The interpreter running the benchmarks (the project's .venv under `make bench`)."""
    return sys.executable


def bench_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean child environment: no PEAK_TRADE_* or KRAKEN_* leaking in, repo on PYTHONPATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PEAK_TRADE_", "KRAKEN_", "PYTHONPROFILE"))
    }
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONHASHSEED"] = "0"
    env.update(extra or {})
    return env


def time_command(
    argv: Sequence[str], repeats: int, env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> tuple[Sample, list[subprocess.CompletedProcess[str]]]:
    """Wall time of `repeats` fresh runs of argv (each a new process)."""
    times: list[float] = []
    results = []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(
            list(argv), env=dict(env or bench_env()), cwd=cwd, capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
        results.append(done)
    return Sample(tuple(times)), results


def run_worker(
    module: str, args: Sequence[str], timeout: float, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Run `python -m module args` in a fresh process; its last stdout line is a JSON object."""
    done = subprocess.run(
        [python(), "-m", module, *args],
        env=dict(env or bench_env()),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-15:]
        command = f"{module} {' '.join(args)}"
        raise RuntimeError(f"{command} failed ({done.returncode}): " + "\n".join(tail))
    result: dict[str, Any] = json.loads(lines[-1])
    return result
