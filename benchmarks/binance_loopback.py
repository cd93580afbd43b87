"""The loopback Binance-compatible server in its own process, for the Binance order path.

`python -m benchmarks.binance_loopback --stats-out FILE` starts tests.support.binance_server's
BinanceLoopbackServer (market standing still, request-weight limit lifted so clients on one IP
never meet a 429), registers the keys given as JSON in $BENCH_LOOPBACK_KEYS, prints its base
URL, and on SIGTERM writes the per-endpoint request counts to FILE. Its own process keeps the
server's CPU out of the client's process_time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.loopback import LoopbackHandle, server_process
from benchmarks.procs import bench_env, python

WEIGHT_LIMIT = 1_000_000_000  # the benchmark measures CPU, not Binance's per-IP budget
BALANCES = {"USDT": "100000000", "BTC": "100000", "BNB": "1000"}


def serve(stats_out: Path, keys: list[tuple[str, str]]) -> None:
    from tests.support.binance_server import BinanceLoopbackServer

    server = BinanceLoopbackServer(speed=0.0, weight_limit=WEIGHT_LIMIT)
    for key, secret in keys:
        server.add_key(key, secret=secret, balances=BALANCES)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    with server:
        print(server.base_url, flush=True)
        done.wait()
    with server.lock:
        stats = {"counts": dict(server.request_counts)}
    stats_out.write_text(json.dumps(stats), encoding="utf-8")


@contextmanager
def binance_loopback_server(
    keys: list[tuple[str, str]], stats_out: Path
) -> Iterator[LoopbackHandle]:
    """Start the server process; on exit stop it and load its stats into the handle."""
    env = bench_env({"BENCH_LOOPBACK_KEYS": json.dumps(keys)})
    argv = [python(), "-m", "benchmarks.binance_loopback", "--stats-out", str(stats_out)]
    with server_process(argv, env, stats_out) as handle:
        yield handle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stats-out", type=Path, required=True)
    args = parser.parse_args()
    keys = [tuple(pair) for pair in json.loads(os.environ.get("BENCH_LOOPBACK_KEYS", "[]"))]
    serve(args.stats_out, keys)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
