"""Worker process for one replay contender: `python -m benchmarks.replay_worker NAME CSV N`.

Runs the contender N times in this process and prints one JSON line with the wall times, the
CPU times, the outcome of the last run and this process's peak RSS. A fresh process per
contender keeps one tool's imports and heap out of another's numbers.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.outcome import ReplayOutcome


def _contender(name: str, csv_path: Path, work_dir: Path) -> Callable[[], ReplayOutcome]:
    if name == "floor":
        from benchmarks.replay_floor import run_floor_from_csv

        return lambda: run_floor_from_csv(csv_path)
    if name == "floor_core":
        from benchmarks.replay_floor import load_open_close, run_floor

        opens, closes = load_open_close(csv_path)
        return lambda: run_floor(opens, closes)
    if name == "backtesting":
        import backtesting.lib

        from benchmarks.replay_backtesting import run_backtesting_from_csv

        return lambda: run_backtesting_from_csv(csv_path)
    if name == "backtesting_core":
        import backtesting.lib  # noqa: F401

        from benchmarks.replay_backtesting import load_frame, run_backtesting

        frame = load_frame(csv_path)
        return lambda: run_backtesting(frame)
    if name in ("peak_trade", "peak_trade_hb1000"):
        from benchmarks.replay_peak_trade import PeakTradeReplay, preload

        preload()

        heartbeat = 1000 if name == "peak_trade_hb1000" else None  # None: the session's
        replay = PeakTradeReplay(csv_path, work_dir, heartbeat=heartbeat)
        atexit.register(replay.close)
        return replay.run
    raise SystemExit(f"unknown contender {name!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("contender")
    parser.add_argument("csv", type=Path)
    parser.add_argument("repeats", type=int)
    parser.add_argument("--work-dir", type=Path, default=Path("bench-work"))
    parser.add_argument("--profile", type=int, default=0, help="print cProfile top N instead")
    args = parser.parse_args()
    run = _contender(args.contender, args.csv, args.work_dir)
    if args.profile:
        _profile(run, args.profile)
        return
    wall: list[float] = []
    cpu: list[float] = []
    outcome = None
    for _ in range(args.repeats):
        gc.collect()
        start_cpu = time.process_time()
        start = time.perf_counter()
        outcome = run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    rss_kib = peak_rss_kib()
    print(
        json.dumps(
            {
                "contender": args.contender,
                "wall": wall,
                "cpu": cpu,
                "outcome": outcome.as_dict() if outcome else None,
                "peak_rss_kib": rss_kib,
            }
        )
    )


def peak_rss_kib() -> int:
    """This process's peak resident set in KiB, from its own address space only.

    Linux keeps ru_maxrss across exec, so a worker forked from a large parent would report
    the parent's size; /proc/self/status VmHWM is reset at exec. Elsewhere, ru_maxrss.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _profile(run: Callable[[], ReplayOutcome], top: int) -> None:
    """One run under cProfile; prints the top functions by own time as one JSON line."""
    from benchmarks.profiling import profile_top

    start = time.perf_counter()
    profile = profile_top(run, top)
    print(json.dumps({"wall_profiled": time.perf_counter() - start, **profile}))


if __name__ == "__main__":
    main()
