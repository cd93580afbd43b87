"""The timing loop both order-path workers share: warm up, then time rounds of orders (or
profile them) and print one JSON line for the parent process."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PlaceOrder = Callable[[int], None]
MakeClient = Callable[[str, str, Path], tuple[PlaceOrder, Any]]


def worker_main(description: str | None, make_client: MakeClient, warmup: int, prefix: str) -> None:
    """Parse `client base_url orders rounds [--profile N]`, build the client with
    `make_client(client, base_url, work_dir)` and print its CPU and wall seconds per round."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("client")
    parser.add_argument("base_url")
    parser.add_argument("orders", type=int)
    parser.add_argument("rounds", type=int)
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        place, clock = make_client(args.client, args.base_url, Path(tmp))
        seq = 0
        for _ in range(warmup):
            place(seq)
            seq += 1
        if args.profile:
            _profile(place, seq, args.orders, args.profile)
            return
        cpu: list[float] = []
        wall: list[float] = []
        for _ in range(args.rounds):
            start_cpu, start = time.process_time(), time.perf_counter()
            for _ in range(args.orders):
                place(seq)
                seq += 1
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
        skipped = getattr(clock, "skipped", 0.0)
        print(json.dumps({"client": args.client, "cpu": cpu, "wall": wall, "skipped": skipped}))


def _profile(place: PlaceOrder, seq: int, orders: int, top: int) -> None:
    """`orders` orders under cProfile; prints the top functions by own time as one JSON line."""
    from benchmarks.profiling import profile_top

    def work() -> None:
        for i in range(orders):
            place(seq + i)

    print(json.dumps({"orders": orders, **profile_top(work, top)}))
