"""`python -m benchmarks.run`: run every benchmark and write docs/benchmarks.md (issue 6).

`make bench` calls this after installing the `bench` extra. `--quick` is a smoke run on small
inputs (minutes -> seconds); its numbers are not meant for the report in the repository.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import rules
from benchmarks.machine import machine_lines
from benchmarks.procs import ROOT
from benchmarks.report import Section, render_report

SECTIONS = ("replay", "orders", "binance_orders", "startup", "budget", "dashboard")


@dataclass(frozen=True)
class Plan:
    """How much work each benchmark does in this run."""

    candles: int
    repeats: int
    rss_sizes: tuple[int, int]
    orders: int
    startup_repeats: int
    budget_seconds: int  # real seconds of the live-style session (600x market)
    replay_contenders: tuple[str, ...] | None = None
    peak_budget_seconds: float = 180.0  # for peak_trade's timed runs (the 1M run comes on top)


FULL = Plan(
    candles=rules.YEAR_OF_MINUTES,
    repeats=5,
    rss_sizes=(100_000, 1_000_000),
    orders=300,
    startup_repeats=7,
    budget_seconds=30,
)
QUICK = Plan(
    candles=5_000,
    repeats=1,
    rss_sizes=(2_000, 10_000),
    orders=30,
    startup_repeats=1,
    budget_seconds=4,
)


def _failed(title: str, exc: BaseException) -> Section:
    section = Section(title=title)
    section.notes.append(f"the benchmark itself failed: {type(exc).__name__}: {exc}")
    return section


def run_sections(
    names: Sequence[str], plan: Plan, work_dir: Path, progress: Callable[[str], None]
) -> list[Section]:
    """Run the named sections in order; a failing section becomes a section saying so."""
    sections: list[Section] = []
    for name in names:
        progress(f"[{time.strftime('%H:%M:%S')}] {name}")
        try:
            sections.append(_run_one(name, plan, work_dir, progress))
        except Exception as exc:  # report, never hide: the section says what broke
            sections.append(_failed(name, exc))
    return sections


def _run_one(name: str, plan: Plan, work_dir: Path, progress: Callable[[str], None]) -> Section:
    if name == "replay":
        from benchmarks.replay import run_replay

        return run_replay(
            work_dir,
            plan.candles,
            plan.repeats,
            plan.rss_sizes,
            progress,
            contenders=plan.replay_contenders,
            peak_budget_seconds=plan.peak_budget_seconds,
        )
    if name == "orders":
        from benchmarks.order_path import run_order_path

        return run_order_path(work_dir, plan.orders, plan.repeats, progress)
    if name == "binance_orders":
        from benchmarks.binance_order_path import run_binance_order_path

        return run_binance_order_path(work_dir, plan.orders, plan.repeats, progress)
    if name == "startup":
        from benchmarks.startup import run_startup

        return run_startup(plan.startup_repeats)
    if name == "budget":
        from benchmarks.api_budget import run_api_budget

        return run_api_budget(work_dir, plan.budget_seconds, progress)
    if name == "dashboard":
        from benchmarks.dashboard_latency import run_dashboard_latency

        return run_dashboard_latency(work_dir, plan.rss_sizes, plan.repeats, progress)
    raise ValueError(f"unknown section {name!r}; known: {', '.join(SECTIONS)}")


def header_lines(plan: Plan, quick: bool, argv: Sequence[str], machine: Sequence[str]) -> list[str]:
    """Title, provenance, machine and how to reproduce."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# peak_trade benchmarks",
        "",
        "<!-- Written by `python -m benchmarks.run` (make bench). Do not edit by hand: re-run. -->",
        "",
        f"Generated {stamp} by `{' '.join(['python -m benchmarks.run', *argv])}`."
        " Reproduce on a fresh clone with `make bench` (installs the `bench` extra, generates "
        "the seeded input data under bench-work/, downloads nothing, rewrites this file).",
        "",
    ]
    if quick:
        lines += [
            "**Quick smoke run (`--quick`): small inputs and single runs; these numbers are "
            "not comparable with a full `make bench`.**",
            "",
        ]
    lines += ["## Machine", "", *machine, ""]
    lines += [
        "Method: every timed contender runs in its own fresh process; medians of "
        f"{plan.repeats} runs with min - max unless a table says otherwise; ratios are ratios "
        "of medians. Numbers are measured, never asserted in tests.",
        "",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run on small inputs")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma list of sections")
    parser.add_argument(
        "--out",
        type=Path,
        help="report path (default docs/benchmarks.md; with --quick bench-work/...-quick.md)",
    )
    parser.add_argument("--work-dir", type=Path, default=ROOT / "bench-work")
    parser.add_argument("--candles", type=int, help="override the replay's candle count")
    parser.add_argument(
        "--contenders",
        help="comma list of replay contenders (peak_trade, backtesting, backtesting_core, "
        "floor, floor_core); default: all",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.candles:
        plan = Plan(**{**plan.__dict__, "candles": args.candles})
    if args.contenders:
        chosen = tuple(c.strip() for c in args.contenders.split(",") if c.strip())
        plan = Plan(**{**plan.__dict__, "replay_contenders": chosen})
    work_dir = args.work_dir.resolve()
    if args.out is None:
        args.out = (
            work_dir / "benchmarks-quick.md" if args.quick else ROOT / "docs" / "benchmarks.md"
        )
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    started = time.perf_counter()
    machine = machine_lines()  # before the run: the load average is the one it started with

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    sections = run_sections(names, plan, work_dir, progress)
    elapsed = time.perf_counter() - started
    shown = list(argv if argv is not None else sys.argv[1:])
    footer = [f"_Total benchmark wall time: {elapsed / 60:.1f} minutes._", ""]
    text = render_report(header_lines(plan, args.quick, shown, machine), sections, footer)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    progress(f"wrote {args.out} in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
