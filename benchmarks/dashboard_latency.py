"""Dashboard latency on long runs: the run page and its API calls for 100k and 1M candles.

Each run is a format-2 replay written by tests/support/runlog_fixtures.write_large_run
(heartbeats with bars every 10 candles, an order every 90 candles: ~11k orders for 1M
candles). A fresh `peak-trade dashboard` process serves it over loopback HTTP. Measured:
  - first page: the run page requested right after the server started (its background
    indexing of the run log is part of it: the request waits for it);
  - warm: each request repeated once the run is indexed (median and max);
  - appended: the summary view right after 100 events were appended (read incrementally).
Call `run_dashboard_latency(work_dir, sizes, repeats, progress)`; it returns a report Section.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from benchmarks.procs import ROOT, bench_env, python
from benchmarks.report import Section, Table, Target
from benchmarks.stats import Sample, fmt_num

RUN = "bench-long-run"
TARGET_SECONDS = 0.5  # "well under a second" for the page and each API call, once indexed
_URL = re.compile(r"on http://127\.0\.0\.1:(\d+)/")


def _requests(events: int, orders: int) -> list[tuple[str, str]]:
    run = quote(RUN)
    return [
        ("run page", f"/runs/{run}"),
        ("run page, orders page 10", f"/runs/{run}?orders=1000"),
        ("summary view (statistics)", f"/api/runs/{run}"),
        ("chart (auto timeframe)", f"/api/runs/{run}/chart?symbol=BTC%2FEUR"),
        ("chart (1h bars)", f"/api/runs/{run}/chart?symbol=BTC%2FEUR&timeframe=1h"),
        ("events?since= (middle)", f"/api/runs/{run}/events?since={events // 2}&limit=100"),
        ("events, newest page", f"/api/runs/{run}/events/latest?limit=100"),
        ("orders, last page", f"/api/runs/{run}/orders?offset={max(0, orders - 100)}&limit=100"),
        ("round trips", f"/api/runs/{run}/round_trips?limit=100"),
        ("live part: orders", f"/runs/{run}/part/orders?offset=0"),
        ("/metrics", "/metrics"),
    ]


def ensure_run(base: Path, candles: int, progress: Callable[[str], None]) -> dict[str, int]:
    """Write the long run once (kept under work_dir; rewritten when an earlier measurement
    appended to it); its event and order counts."""
    summary_path = base / RUN / "summary.json"
    if summary_path.exists() and json.loads(summary_path.read_text()).get("last_seq") != _last_seq(
        base
    ):
        shutil.rmtree(base / RUN)
    if not summary_path.exists():
        from tests.support.runlog_fixtures import write_large_run

        progress(f"  writing a {candles:,}-candle run log under {base}")
        write_large_run(base, RUN, candles=candles)
    summary = json.loads(summary_path.read_text())
    events = sum(1 for _ in (base / RUN / "events.jsonl").open("rb"))
    orders = int(summary["orders_submitted"]) + int(summary["orders_risk_blocked"])
    return {"events": events, "orders": orders}


@contextmanager
def dashboard(base: Path) -> Iterator[tuple[http.client.HTTPConnection, subprocess.Popen[str]]]:
    """A `peak-trade dashboard` process on a free loopback port and a connection to it."""
    env = bench_env({"PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen(
        [python(), "-m", "peak_trade", "dashboard", "--port", "0", "--log-dir", str(base)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        match = _URL.search(proc.stdout.readline())
        if match is None:
            raise RuntimeError(
                f"dashboard did not start: {proc.stderr.read() if proc.stderr else ''}"
            )
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=120)
        yield connection, proc
        connection.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def timed_get(connection: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return elapsed


def _last_seq(base: Path) -> int:
    last = (base / RUN / "events.jsonl").read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    return int(json.loads(last)["seq"])


def _append(base: Path, count: int) -> None:
    """Append `count` heartbeats to the run, as a live session would."""
    from tests.support.runlog_fixtures import T0, iso

    path = base / RUN / "events.jsonl"
    last = json.loads(path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1])
    with path.open("a") as handle:
        for i in range(1, count + 1):
            when = iso(T0 + timedelta(days=400, seconds=i))
            handle.write(
                json.dumps({"seq": last["seq"] + i, "ts": when, "type": "heartbeat",
                            "equity": "10000", "positions": {"BTC/EUR": "0"}}) + "\n"
            )  # fmt: skip


def measure(
    base: Path, counts: dict[str, int], repeats: int, cold_repeats: int
) -> tuple[Sample, dict[str, Sample], Sample]:
    """(first page after start, warm samples per request, summary view after an append)."""
    cold: list[float] = []
    warm: dict[str, list[float]] = {}
    appended: list[float] = []
    for attempt in range(cold_repeats):
        with dashboard(base) as (connection, _proc):
            cold.append(timed_get(connection, f"/runs/{quote(RUN)}"))
            if attempt:
                continue
            for name, path in _requests(counts["events"], counts["orders"]):
                timed_get(connection, path)  # first use of a timeframe folds its bars
                warm[name] = [timed_get(connection, path) for _ in range(repeats)]
            for _ in range(repeats):
                _append(base, 100)
                appended.append(timed_get(connection, f"/api/runs/{quote(RUN)}"))
    return (
        Sample(tuple(cold)),
        {k: Sample(tuple(v)) for k, v in warm.items()},
        Sample(tuple(appended)),
    )


def _ms(seconds: float) -> str:
    return fmt_num(seconds * 1000)


def run_dashboard_latency(
    work_dir: Path,
    sizes: Sequence[int] = (100_000, 1_000_000),
    repeats: int = 5,
    progress: Callable[[str], None] = print,
    cold_repeats: int = 3,
) -> Section:
    """Measure every size; a report section with one table per size and the targets."""
    section = Section(
        title="Dashboard latency on long runs",
        intro=(
            "A format-2 replay run log (heartbeat bars every 10 candles, an order every 90 "
            "candles) served by a fresh `peak-trade dashboard` process, requested over loopback "
            "HTTP. Warm: each request repeated after the run was indexed (the dashboard reads "
            "only what was appended since its last request and pages events through a "
            "seq -> byte-offset index). First page: right after start; it includes indexing "
            "the whole log once."
        ),
        commands=[
            "python -m benchmarks.run --only dashboard",
            "peak-trade dashboard --log-dir DIR",
        ],
    )
    for size in sizes:
        progress(f"dashboard latency: {size:,} candles")
        base = work_dir / "dashboard" / f"runs-{size}"
        base.mkdir(parents=True, exist_ok=True)
        counts = ensure_run(base, size, progress)
        cold, warm, appended = measure(base, counts, repeats, cold_repeats)
        size_mb = (base / RUN / "events.jsonl").stat().st_size / 1e6
        rows = [["first page after start (indexes the log)", _ms(cold.median), _ms(cold.high)]]
        rows += [[name, _ms(s.median), _ms(s.high)] for name, s in warm.items()]
        rows.append(["summary view after 100 appended events", _ms(appended.median),
                     _ms(appended.high)])  # fmt: skip
        section.tables.append(
            Table(
                headers=["request", "median ms", "max ms"],
                rows=rows,
                caption=(
                    f"{size:,} candles: {counts['events']:,} events ({size_mb:.0f} MB), "
                    f"{counts['orders']:,} orders; warm figures over {repeats} requests each"
                ),
            )
        )
        worst = max([s.high for s in warm.values()] + [appended.high])
        section.targets.append(
            Target(
                name=f"{size:,} candles: run page and every API call < {TARGET_SECONDS:g} s warm",
                observed=f"slowest warm request {_ms(worst)} ms; first page {_ms(cold.median)} ms",
                met=worst < TARGET_SECONDS,
            )
        )
    return section


if __name__ == "__main__":
    import argparse

    from benchmarks.report import render_section

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--work-dir", type=Path, default=ROOT / "bench-work")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print("\n".join(render_section(1, run_dashboard_latency(args.work_dir, sizes, args.repeats))))
