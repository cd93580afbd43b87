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


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CONSOLE_PROBLEMS = ("violates the following Content Security Policy", "Uncaught", "Refused to")


def chromium(user_data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a fresh profile; console messages go to stderr."""
    import pytest

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium via "
            "tools/ensure_chromium.py) or `python tools/ensure_chromium.py`"
        )
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={user_data}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def rendered(profile: Path, url: str, *extra: str) -> str:
    """The DOM after the page's scripts ran (virtual time lets fetches and timers finish);
    fails on a console error (a script error or a Content-Security-Policy refusal)."""
    result = chromium(profile, "--virtual-time-budget=10000", *extra, "--dump-dom", url)
    assert result.returncode == 0, result.stderr[-2000:]
    problems = [
        line for line in result.stderr.splitlines() if any(p in line for p in CONSOLE_PROBLEMS)
    ]
    assert not problems, problems
    return result.stdout


def screenshot(profile: Path, url: str, name: str, height: int = 2400) -> Path:
    """A full-width screenshot kept under test-artifacts/ (gitignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)
    result = chromium(
        profile,
        "--virtual-time-budget=10000",
        f"--screenshot={target}",
        f"--window-size=1400,{height}",
        "--hide-scrollbars",
        url,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return target
