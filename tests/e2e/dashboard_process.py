"""Start `peak-trade dashboard` as a user would, on a free loopback port, for e2e tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_URL = re.compile(r"on (http://127\.0\.0\.1:\d+)/")


DASHBOARD = (sys.executable, "-m", "peak_trade", "dashboard")


@contextmanager
def running_dashboard(
    log_dir: Path,
    *extra: str,
    command: tuple[str, ...] = DASHBOARD,
    cwd: Path | None = None,
) -> Iterator[str]:
    """Yield the base URL of a dashboard subprocess serving `log_dir`; stop it with Ctrl+C."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PEAK_TRADE_CONFIG", None)
    proc = subprocess.Popen(
        [
            *command,
            "--port",
            "0",
            "--log-dir",
            str(log_dir),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd or log_dir.parent,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = _URL.search(line)
        if match is None:
            proc.kill()
            _, err = proc.communicate(timeout=10)
            raise AssertionError(f"dashboard did not start: {line!r} {err!r}")
        yield match.group(1)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
