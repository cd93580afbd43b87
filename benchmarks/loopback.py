"""The loopback Kraken-compatible server in its own process, with a timed request log.

`python -m benchmarks.loopback --speed S --stats-out FILE` starts tests.support.kraken_server's
KrakenLoopbackServer, registers the keys given as JSON in $BENCH_LOOPBACK_KEYS, prints its base
URL, and on SIGTERM writes per-method request counts and the request timeline (seconds since
start, method, private?) to FILE. Running it in a separate process keeps the server's CPU out
of the client's process_time.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.procs import ROOT, bench_env, python


class _TimedLog(list):  # type: ignore[type-arg]
    """A list that stamps every append with the monotonic time (the server appends per request)."""

    def __init__(self, origin: float) -> None:
        super().__init__()
        self.origin = origin
        self.stamps: list[float] = []

    def append(self, item: Any) -> None:
        self.stamps.append(time.monotonic() - self.origin)
        super().append(item)


def new_key(label: str) -> tuple[str, str]:
    """A throwaway API key and base64 secret for one benchmark client (not a credential)."""
    return f"bench-{label}-{secrets.token_hex(4)}", base64.b64encode(
        secrets.token_bytes(64)
    ).decode()


def serve(
    speed: float,
    stats_out: Path,
    keys: list[tuple[str, str]],
    extra_pairs: dict[str, Any] | None = None,
) -> None:
    from tests.support.kraken_routes import PRIVATE_ROUTES
    from tests.support.kraken_server import KrakenLoopbackServer, bundled_pairs

    pairs = {**bundled_pairs(), **extra_pairs} if extra_pairs else None
    server = KrakenLoopbackServer(speed=speed, pairs=pairs)
    for key, secret in keys:
        server.add_key(key, secret, balances={"ZEUR": "1000000", "XXBT": "100"})
    log = _TimedLog(time.monotonic())
    server.requests = log
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    with server:
        print(server.base_url, flush=True)
        done.wait()
    with server.lock:
        timeline = [
            (stamp, method, method in PRIVATE_ROUTES)
            for stamp, (method, _params) in zip(log.stamps, list(log), strict=True)
        ]
        stats = {
            "speed": speed,
            "counts": dict(server.request_counts),
            "timeline": timeline,
        }
    stats_out.write_text(json.dumps(stats), encoding="utf-8")


@dataclass
class LoopbackHandle:
    """A running server process: its URL, and its stats once stopped."""

    base_url: str
    stats: dict[str, Any]


@contextmanager
def loopback_server(
    keys: list[tuple[str, str]],
    stats_out: Path,
    speed: float = 0.0,
    extra_pairs: dict[str, Any] | None = None,
) -> Iterator[LoopbackHandle]:
    """Start the server process (listing `extra_pairs` beside the bundled AssetPairs); on
    exit stop it and load its stats into the handle."""
    env = bench_env(
        {
            "BENCH_LOOPBACK_KEYS": json.dumps(keys),
            "BENCH_LOOPBACK_PAIRS": json.dumps(extra_pairs or {}),
        }
    )
    argv = [python(), "-m", "benchmarks.loopback", "--speed", str(speed)]
    with server_process([*argv, "--stats-out", str(stats_out)], env, stats_out) as handle:
        yield handle


@contextmanager
def server_process(
    argv: list[str], env: dict[str, str], stats_out: Path
) -> Iterator[LoopbackHandle]:
    """Run a loopback server process that prints its URL first; on exit stop it (SIGTERM) and
    load the stats it wrote to `stats_out` into the handle."""
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("http://"):
            raise RuntimeError(f"{argv[2]} server did not start (printed {line!r})")
        handle = LoopbackHandle(base_url=line, stats={})
        yield handle
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if stats_out.exists():
        handle.stats = json.loads(stats_out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", type=float, default=0.0)
    parser.add_argument("--stats-out", type=Path, required=True)
    args = parser.parse_args()
    keys = [tuple(pair) for pair in json.loads(os.environ.get("BENCH_LOOPBACK_KEYS", "[]"))]
    pairs = json.loads(os.environ.get("BENCH_LOOPBACK_PAIRS", "{}"))
    serve(args.speed, args.stats_out, keys, pairs)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
