"""Benchmark input: seeded synthetic 1m candles, made by `peak-trade data synth` when present."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks import rules
from benchmarks.procs import ROOT, bench_env, python
from benchmarks.synth import write_synth_csv


@dataclass(frozen=True)
class Dataset:
    """A candle CSV and how it was made (the command goes into the report)."""

    path: Path
    candles: int
    command: str
    generator: str


def synth_cli_available() -> bool:
    """True when the package has the `data synth` sub-command."""
    done = subprocess.run(
        [python(), "-m", "peak_trade", "data", "synth", "--help"],
        env=bench_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.returncode == 0


def _cli_argv(path: Path, candles: int, seed: int) -> list[str]:
    return [
        "peak-trade",
        "data",
        "synth",
        "--out",
        str(path),
        "--candles",
        str(candles),
        "--seed",
        str(seed),
        "--symbol",
        rules.SYMBOL,
        "--timeframe",
        rules.TIMEFRAME,
        "--force",  # a stale file from another generator is replaced
    ]


def ensure_dataset(work_dir: Path, candles: int, seed: int = rules.SEED) -> Dataset:
    """Generate (or reuse, when made the same way) `candles` seeded candles under work_dir."""
    use_cli = synth_cli_available()
    generator = "peak-trade data synth" if use_cli else "benchmarks.synth (fallback)"
    path = work_dir / f"btc_eur_1m_{candles}_seed{seed}.csv"
    stamp = path.with_suffix(".json")
    argv = _cli_argv(path, candles, seed)
    shown = _cli_argv(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, candles, seed)
    command = (
        " ".join(shown)
        if use_cli
        else f"python -c 'from benchmarks.synth import write_synth_csv; ...' ({candles} rows)"
    )
    wanted = {"candles": candles, "seed": seed, "generator": generator, "command": command}
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return Dataset(path, candles, command, generator)
    work_dir.mkdir(parents=True, exist_ok=True)
    if use_cli:
        subprocess.run(
            [python(), "-m", "peak_trade", *argv[1:]],
            env=bench_env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    else:
        write_synth_csv(path, candles, seed, symbol=rules.SYMBOL)
    stamp.write_text(json.dumps(wanted))
    return Dataset(path, candles, command, generator)


def prefix(master: Dataset, candles: int) -> Dataset:
    """The first `candles` rows of `master` (comment header kept), so every size shares a start."""
    if candles >= master.candles:
        return master
    path = master.path.with_name(f"{master.path.stem}_first{candles}.csv")
    if not path.exists() or path.stat().st_mtime < master.path.stat().st_mtime:
        tmp = path.with_suffix(".tmp")
        with master.path.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as out:
            rows = -1  # the header line is not a row
            for line in src:
                if not line.startswith("#"):
                    if rows == -1:
                        out.write(f"# prefix: first {candles} candles of {master.path.name}\n")
                    rows += 1
                    if rows > candles:
                        break
                out.write(line)
        tmp.replace(path)
    return Dataset(
        path, candles, f"first {candles:,} candles of {master.path.name}", master.generator
    )
