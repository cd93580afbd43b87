"""Section 1: replay throughput of peak_trade's session path vs backtesting.py and the floor."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import rules
from benchmarks.data import Dataset, ensure_dataset, prefix
from benchmarks.procs import python, run_worker, time_command
from benchmarks.profiling import profile_table
from benchmarks.report import Section, Table, Target
from benchmarks.stats import Sample, fmt_num, fmt_ratio, fmt_sample, ratio

WORKER = "benchmarks.replay_worker"
BASELINES = ("backtesting", "backtesting_core", "floor", "floor_core")
PROBE_CANDLES = 20_000
LABELS = {
    "peak_trade": "peak_trade session path (end to end from CSV)",
    "backtesting": "backtesting.py 0.6.6 FractionalBacktest (pd.read_csv + run)",
    "floor": "pure-Python floor (csv parse + loop)",
    "backtesting_core": "backtesting.py, DataFrame preloaded (run only)",
    "floor_core": "pure-Python floor, lists preloaded (loop only)",
}


def peak_trade_available() -> str | None:
    """None when the session path can be built, else what is missing."""
    try:
        from benchmarks.replay_peak_trade import missing_pieces
    except ImportError as exc:  # pragma: no cover - depends on what has landed
        return f"benchmarks.replay_peak_trade cannot import: {exc}"
    return missing_pieces()


def _measure(
    contender: str, data: Dataset, repeats: int, work_dir: Path, timeout: float
) -> dict[str, Any]:
    args = [contender, str(data.path), str(repeats), "--work-dir", str(work_dir)]
    return run_worker(WORKER, args, timeout=timeout)


def run_replay(
    work_dir: Path,
    candles: int,
    repeats: int,
    rss_sizes: tuple[int, int],
    progress: Callable[[str], None] = print,
    contenders: tuple[str, ...] | None = None,
    peak_budget_seconds: float = 240.0,
) -> Section:
    """Throughput, cross-check and memory of the three contenders on the same candles."""
    section = Section(
        title="Replay throughput: one year of 1m candles",
        intro=f"Rules for every contender: {rules.RULES_TEXT}.",
    )
    wanted = contenders or ("peak_trade", *BASELINES)
    master = ensure_dataset(
        work_dir, max(candles, *rss_sizes) if "peak_trade" in wanted else candles
    )
    year = prefix(master, candles)
    section.commands.append(f"{master.command}   # generator: {master.generator}")
    if year.candles < master.candles:
        section.commands.append(f"# the year = {year.command}; smaller inputs are prefixes too")
    section.commands.append(
        f"python -m {WORKER} <contender> <csv> <runs>   # each contender in a fresh process"
    )
    missing = peak_trade_available()
    with_peak = missing is None and "peak_trade" in wanted
    same = year
    if with_peak:
        same = _peak_input(
            section, master, year, repeats, peak_budget_seconds, rss_sizes[0], work_dir, progress
        )
    results: dict[str, dict[str, Any]] = {}
    for contender in [c for c in BASELINES if c in wanted]:
        progress(f"  replay: {contender} x{repeats} on {same.candles} candles")
        try:
            results[contender] = _measure(contender, same, repeats, work_dir, timeout=3600)
        except Exception as exc:  # a broken contender is reported, not fatal
            section.notes.append(f"{LABELS[contender]} failed: {exc}")
    if with_peak:
        progress(f"  replay: peak_trade {repeats} fresh processes on {same.candles} candles")
        try:
            results = {"peak_trade": _fresh_runs(same, repeats, work_dir), **results}
        except Exception as exc:
            section.notes.append(f"{LABELS['peak_trade']} failed: {exc}")
    _throughput_table(section, results, same.candles)
    if "floor" in results:
        _cross_check(section, results, same)
    if same.candles < year.candles and "floor" in wanted:
        _full_year_baselines(section, year, repeats, work_dir, progress)
    whole: tuple[Sample, Sample] | None = None
    if with_peak and "backtesting" in wanted:
        whole = _whole_processes(section, same, repeats, work_dir, progress)
    if with_peak and "peak_trade" in results:
        _memory(section, master, results["peak_trade"], same, rss_sizes, work_dir, progress)
        probe = prefix(master, min(PROBE_CANDLES, year.candles))
        _where_time_goes(section, probe, work_dir, progress)
    elif missing is not None:
        section.notes.append(f"peak_trade's session path is not measurable: {missing}")
    if not with_peak and missing is None:
        missing = "not selected in this run (--contenders)"
    _targets(section, results, missing)
    if whole is not None:
        _whole_targets(section, *whole)
    return section


def _whole_processes(
    section: Section, data: Dataset, repeats: int, work_dir: Path, progress: Callable[[str], None]
) -> tuple[Sample, Sample] | None:
    """Issue 10's bar: whole processes, each from a fresh interpreter (its start, imports,
    data loading, the run): `peak-trade session ... --replay FILE` vs backtesting.py."""
    from benchmarks.replay_peak_trade import write_config

    root = Path(tempfile.mkdtemp(prefix="peak-trade-whole-", dir=work_dir))
    try:
        config = write_config(root / "bench.toml", root / "runs")
        alerting = write_config(root / "bench-alerts.toml", root / "runs", alerts=True)

        def session(path: Path) -> list[str]:
            return [
                python(),
                *("-m", "peak_trade", "session", "--config", str(path)),
                *("--exchange", "in_memory", "--replay", str(data.path), "--log-dir", str(root)),
            ]

        progress(f"  replay: whole processes, peak-trade session x{repeats}")
        peak, runs = time_command(session(config), repeats)
        progress(f"  replay: whole processes, peak-trade session with alerts on x{repeats}")
        alerts_on, alert_runs = time_command(session(alerting), repeats)
        failed = [run for run in runs + alert_runs if run.returncode != 0]
        progress(f"  replay: whole processes, backtesting.py x{repeats}")
        contender = [python(), "-m", WORKER, "backtesting", str(data.path), "1"]
        baseline, base_runs = time_command(contender, repeats)
        failed += [run for run in base_runs if run.returncode != 0]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if failed:
        section.notes.append(f"whole-process runs failed: {failed[0].stderr.strip()[-300:]}")
        return None
    rows = [
        (label, *fmt_sample(sample), fmt_num(data.candles / sample.median), str(sample.runs))
        for label, sample in (
            ("peak_trade: `peak-trade session --replay` (CLI)", peak),
            ("peak_trade, the same with [alerts] on (the default; its rules run)", alerts_on),
            ("backtesting.py 0.6.6: imports, pd.read_csv and run", baseline),
        )
    ]
    section.tables.append(
        Table(
            headers=("whole process", "median s", "min - max s", "candles/s", "runs"),
            rows=rows,
            caption=(
                f"Whole processes on {data.candles:,} candles, each a fresh interpreter from "
                "start to exit (imports, data loading and the run; peak_trade validates the "
                "whole file, writes and fsyncs its run log):"
            ),
        )
    )
    section.commands.append(
        "peak-trade session --config <bench.toml> --exchange in_memory --replay <csv> "
        "--log-dir <dir>   # whole process, vs python -m benchmarks.replay_worker backtesting"
    )
    return peak, baseline


def _whole_targets(section: Section, peak: Sample, baseline: Sample) -> None:
    speedup = ratio(baseline, peak)
    section.targets.insert(
        0,
        Target(
            "whole process at least as fast as backtesting.py's (issue 10)",
            f"{speedup:.2f}x backtesting.py ({peak.median:.2f} s vs {baseline.median:.2f} s)",
            speedup >= 1,
        ),
    )
    section.targets.insert(
        1,
        Target(
            "whole process 2x backtesting.py's (issue 10's aim)", f"{speedup:.2f}x", speedup >= 2
        ),
    )


def _peak_input(
    section: Section,
    master: Dataset,
    year: Dataset,
    repeats: int,
    budget: float,
    small: int,
    work_dir: Path,
    progress: Callable[[str], None],
) -> Dataset:
    """The year, or a prefix of it when 5 full-year peak_trade runs would not fit the budget."""
    probe = prefix(master, min(PROBE_CANDLES, year.candles))
    if probe.candles == year.candles:
        return year
    progress(f"  replay: peak_trade probe on {probe.candles} candles")
    result = _measure("peak_trade", probe, 1, work_dir, timeout=1800)
    rate = probe.candles / result["wall"][0]
    if repeats * year.candles / rate <= budget:
        return year
    if repeats * small / rate <= budget * 1.25:
        size = small  # the timed runs double as the small memory measurement
    else:
        size = max(probe.candles, int(rate * budget / repeats) // 10_000 * 10_000)
    section.notes.append(
        f"peak_trade's {repeats} timed runs use the first {size:,} candles of the same file, "
        f"not the full year: a probe ran at {rate:,.0f} candles/s, so {repeats} full-year runs "
        f"would take ~{repeats * year.candles / rate / 60:.0f} minutes, beyond this run's "
        f"budget of {budget / 60:.0f} minutes for them. Every contender in the main table runs "
        "on that same prefix; the full-year figures of the baselines follow in a second table, "
        "and peak_trade's long-run behaviour shows in the 1M-candle memory run."
    )
    return prefix(master, size)


def _where_time_goes(
    section: Section, data: Dataset, work_dir: Path, progress: Callable[[str], None]
) -> None:
    """cProfile top 15 of one peak_trade replay, and the cost of the default heartbeat."""
    progress(f"  replay: peak_trade profile and heartbeat variant on {data.candles} candles")
    from benchmarks.replay_peak_trade import default_heartbeat

    default = _measure("peak_trade", data, 1, work_dir, timeout=1800)["wall"][0]
    sparse = _measure("peak_trade_hb1000", data, 1, work_dir, timeout=1800)["wall"][0]
    section.notes.append(
        f"Heartbeat cost: on {data.candles:,} candles one run with the session's replay cadence "
        f"([run_logging] replay_heartbeat_every_candles = {default_heartbeat()}, its default and "
        "what every peak_trade run above uses: a heartbeat event with a price bar every that "
        "many candles, the run log fsynced and summary.json rewritten atomically at most once "
        f"per wall-clock second) took {default:.2f} s ({data.candles / default:,.0f} "
        f"candles/s); with replay_heartbeat_every_candles = 1000 it took {sparse:.2f} s "
        f"({data.candles / sparse:,.0f} candles/s)."
    )
    args = ["peak_trade", str(data.path), "1", "--work-dir", str(work_dir), "--profile", "15"]
    profile = run_worker(WORKER, args, timeout=1800)
    section.tables.append(
        profile_table(
            profile,
            "Where peak_trade's replay time goes: cProfile, top 15 by own time (wall clock, "
            f"so waits such as fsync show), one run on {data.candles:,} candles "
            f"({profile['wall_profiled']:.1f} s under the profiler, which inflates Python-level "
            "calls):",
        )
    )


def _fresh_runs(data: Dataset, repeats: int, work_dir: Path) -> dict[str, Any]:
    """peak_trade once per fresh process (each run's peak RSS is then its own)."""
    runs = [_measure("peak_trade", data, 1, work_dir, timeout=3600) for _ in range(repeats)]
    return {
        "wall": [r["wall"][0] for r in runs],
        "cpu": [r["cpu"][0] for r in runs],
        "outcome": runs[-1]["outcome"],
        "peak_rss_kib_runs": [r["peak_rss_kib"] for r in runs],
    }


def _full_year_baselines(
    section: Section, year: Dataset, repeats: int, work_dir: Path, progress: Callable[[str], None]
) -> None:
    results = {}
    for contender in ("floor", "backtesting"):
        progress(f"  replay: {contender} x{repeats} on the full year ({year.candles} candles)")
        results[contender] = _measure(contender, year, repeats, work_dir, timeout=3600)
    _throughput_table(section, results, year.candles)


def _wall(result: dict[str, Any]) -> Sample:
    return Sample(tuple(result["wall"]))


def _throughput_table(section: Section, results: dict[str, dict[str, Any]], candles: int) -> None:
    floor = results.get("floor")
    peak = results.get("peak_trade")
    rows = []
    for name, result in results.items():
        wall = _wall(result)
        median, spread = fmt_sample(wall)
        rate = wall.rate(candles, "candles/s")
        cpu = Sample(tuple(result["cpu"])) if result.get("cpu") else None
        rows.append(
            (
                LABELS[name],
                median,
                spread,
                fmt_num(cpu.median) if cpu else "n/a",
                fmt_num(rate.median),
                f"{fmt_num(rate.low)} - {fmt_num(rate.high)}",
                fmt_ratio(ratio(wall, _wall(floor))) if floor else "n/a",
                fmt_ratio(ratio(_wall(peak), wall)) if peak else "n/a",
                str(wall.runs),
            )
        )
    section.tables.append(
        Table(
            headers=(
                "contender",
                "median s",
                "min - max s",
                "CPU s (median)",
                "candles/s (median)",
                "candles/s min - max",
                "time vs floor",
                "peak_trade time / this",
                "runs",
            ),
            rows=rows,
            caption=f"Wall time per full replay of {candles:,} candles (lower is better):",
        )
    )


def _cross_check(section: Section, results: dict[str, dict[str, Any]], data: Dataset) -> None:
    from benchmarks.replay_floor import backtesting_signals, load_open_close, run_floor

    bt_rules = None
    if "backtesting" in results:  # the conventions row needs pandas, like backtesting.py itself
        opens, closes = load_open_close(data.path)
        bt_rules = run_floor(
            opens, closes, backtesting_conventions=True, signals=backtesting_signals(closes)
        )
    rows = []
    floor_equity = results["floor"]["outcome"]["final_equity"] if "floor" in results else None
    for name in ("peak_trade", "backtesting", "floor"):
        if name not in results:
            continue
        out = results[name]["outcome"]
        diff = out["final_equity"] - floor_equity if floor_equity is not None else float("nan")
        rows.append(
            (
                LABELS[name],
                str(out["candles"]),
                str(out["entries"]),
                str(out["exits"]),
                f"{out['fees']:.4f}",
                f"{out['final_equity']:.6f}",
                f"{diff:+.6f}",
            )
        )
    if bt_rules is not None:
        rows.append(
            (
                "floor with backtesting.py's sizing and float SMAs (cross-check only)",
                str(bt_rules.candles),
                str(bt_rules.entries),
                str(bt_rules.exits),
                f"{bt_rules.fees:.4f}",
                f"{bt_rules.final_equity:.6f}",
                f"{bt_rules.final_equity - floor_equity:+.6f}"
                if floor_equity is not None
                else "n/a",
            )
        )
    section.tables.append(
        Table(
            headers=(
                "contender",
                "candles",
                "entries",
                "exits",
                "fees EUR",
                "final equity EUR",
                "vs floor EUR",
            ),
            rows=rows,
            caption="Cross-check (last run of each contender):",
        )
    )
    if "backtesting" in results:
        bt = results["backtesting"]["outcome"]
        section.notes.append(
            "backtesting.py differs from peak_trade and the floor in three conventions, not in "
            "the strategy: it sizes a relative order as int(equity x 0.1 // (price x (1 + fee))) "
            "units (the entry fee is reserved; no venue minimums), where peak_trade sizes "
            "equity x 0.1 / close rounded down to 1 satoshi and skips legs below the minimum "
            "quantity or cost; and its SMAs are float rolling means on prices scaled by 1e-8, "
            "which resolve exact ties by rounding noise, where peak_trade compares exact "
            "Decimals and keeps the previous target on a tie; it also makes its first decision "
            "one candle later (next() starts one bar after the indicators are ready). The floor "
            "re-run with all three of "
            f"backtesting.py's conventions gives {bt_rules.entries} entries and "
            f"{bt_rules.final_equity:.6f} EUR vs backtesting.py's {bt['entries']} and "
            f"{bt['final_equity']:.6f} EUR (difference "
            f"{bt['final_equity'] - bt_rules.final_equity:+.2e} EUR)."
        )


def _memory(
    section: Section,
    master: Dataset,
    timed: dict[str, Any],
    timed_data: Dataset,
    sizes: tuple[int, int],
    work_dir: Path,
    progress: Callable[[str], None],
) -> None:
    """Peak RSS of fresh peak_trade processes at the two sizes (reusing the timed runs if equal)."""
    rows = []
    rss: dict[int, float] = {}
    for size in sizes:
        if size == timed_data.candles:
            kib = sorted(timed["peak_rss_kib_runs"])[len(timed["peak_rss_kib_runs"]) // 2]
            wall = sorted(timed["wall"])[len(timed["wall"]) // 2]
            outcome = timed["outcome"]
            label = f"{size:,} (median of the timed runs)"
        else:
            data = prefix(master, size)
            progress(f"  replay: peak_trade peak RSS on {size} candles (fresh process)")
            try:
                result = _measure("peak_trade", data, 1, work_dir, timeout=3600)
            except Exception as exc:
                section.notes.append(f"peak RSS run on {size:,} candles failed: {exc}")
                return
            kib, wall, outcome = result["peak_rss_kib"], result["wall"][0], result["outcome"]
            label = f"{size:,}"
            if size > timed_data.candles:
                _scale_check(section, data, outcome)
        rss[size] = kib / 1024
        rows.append((label, f"{rss[size]:.1f}", f"{wall:.2f}", fmt_num(size / wall)))
    small, large = sizes
    section.tables.append(
        Table(
            headers=("candles", "peak RSS MiB", "wall s", "candles/s"),
            rows=rows,
            caption=(
                "peak_trade peak RSS (VmHWM of a fresh worker process, "
                "interpreter and imports included):"
            ),
        )
    )
    section.targets.append(
        Target(
            name=f"peak RSS for {large:,} candles <= 1.2x that for {small:,}",
            observed=f"{rss[large]:.1f} / {rss[small]:.1f} MiB = {rss[large] / rss[small]:.2f}x",
            met=rss[large] <= 1.2 * rss[small],
        )
    )


def _scale_check(section: Section, data: Dataset, outcome: dict[str, Any]) -> None:
    """Cross-check the long peak_trade run against the floor on the same file."""
    from benchmarks.replay_floor import run_floor_from_csv

    floor = run_floor_from_csv(data.path)
    same_trades = (floor.entries, floor.exits) == (outcome["entries"], outcome["exits"])
    section.notes.append(
        f"Cross-check at {data.candles:,} candles: peak_trade {outcome['entries']} entries / "
        f"{outcome['exits']} exits, final equity {outcome['final_equity']:.6f} EUR; floor "
        f"{floor.entries} / {floor.exits}, {floor.final_equity:.6f} EUR "
        f"({'same trades' if same_trades else 'TRADES DIFFER'}, equity difference "
        f"{outcome['final_equity'] - floor.final_equity:+.2e} EUR)."
    )


def _targets(section: Section, results: dict[str, dict[str, Any]], missing: str | None) -> None:
    peak = results.get("peak_trade")
    if peak is None:
        reason = missing or "peak_trade run failed"
        section.targets.insert(0, Target("candles/s >= 2x backtesting.py", reason, None))
        section.targets.insert(1, Target("time within 5x of the pure-Python floor", reason, None))
        return
    targets = []
    if "backtesting" in results:
        speedup = ratio(_wall(results["backtesting"]), _wall(peak))
        targets.append(
            Target(
                "candles/s >= 2x backtesting.py (end to end)",
                f"{speedup:.2f}x backtesting.py",
                speedup >= 2,
            )
        )
    if "floor" in results:
        slowdown = ratio(_wall(peak), _wall(results["floor"]))
        targets.append(
            Target(
                "time within 5x of the pure-Python floor (end to end)",
                f"{slowdown:.2f}x the floor's time",
                slowdown <= 5,
            )
        )
    section.targets[0:0] = targets
