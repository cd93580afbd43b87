"""Start-up: wall time of `peak-trade session --dry-run` in fresh processes, and its imports."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

from benchmarks.procs import ROOT, bench_env, python, time_command
from benchmarks.report import Section, Table, Target
from benchmarks.stats import Sample, fmt_sample

TARGET_SECONDS = 0.5
FAKE_KEY = "bench-dry-run-key"
FAKE_SECRET = base64.b64encode(b"bench dry run secret, not a credential").decode()


def peak_trade_command() -> list[str]:
    """The console script next to the interpreter, else `python -m peak_trade`."""
    script = Path(python()).with_name("peak-trade")
    if script.exists():
        return [str(script)]
    found = shutil.which("peak-trade")
    return [found] if found else [python(), "-m", "peak_trade"]


def import_profile(argv: list[str], env: dict[str, str], top: int = 12) -> list[tuple[str, float]]:
    """The slowest imports (cumulative microseconds -> ms) of one run under -X importtime."""
    done = subprocess.run(
        [python(), "-X", "importtime", "-m", "peak_trade", *argv[1:]],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    rows = []
    pattern = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")
    for line in done.stderr.splitlines():
        match = pattern.match(line)
        if match and len(match.group(3)) <= 2:  # top-level imports only (indent of 1)
            rows.append((match.group(4), int(match.group(2)) / 1000))
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows[:top]


def run_startup(repeats: int) -> Section:
    """Median wall time of fresh `session --dry-run` processes against the 0.5 s target."""
    section = Section(
        title="Start-up: `peak-trade session --dry-run`",
        intro=(
            "Each run is a fresh process started from the repository root with the default "
            "config (config/config.toml, Kraken validate-only) and dummy values in the two "
            "credential variables it names (dry-run only checks that they are set). Baselines: "
            "a bare interpreter and `peak-trade --version`."
        ),
    )
    env = bench_env({"KRAKEN_TESTNET_API_KEY": FAKE_KEY, "KRAKEN_TESTNET_API_SECRET": FAKE_SECRET})
    cli = peak_trade_command()
    dry_run = [*cli, "session", "--dry-run"]
    section.commands.append(
        "KRAKEN_TESTNET_API_KEY=... KRAKEN_TESTNET_API_SECRET=... "
        + " ".join(["peak-trade", "session", "--dry-run"])
    )
    runs = [
        ("python -c pass (interpreter floor)", [python(), "-c", "pass"]),
        ("peak-trade --version", [*cli, "--version"]),
        ("peak-trade session --dry-run", dry_run),
    ]
    rows = []
    dry_sample: Sample | None = None
    dry_ok = False
    for label, argv in runs:
        sample, results = time_command(argv, repeats, env)
        codes = sorted({r.returncode for r in results})
        median, spread = fmt_sample(sample.scaled(1000, "ms"))
        rows.append((label, median, spread, str(sample.runs), ",".join(map(str, codes))))
        if argv is dry_run:
            dry_sample = sample
            dry_ok = codes == [0]
            if not dry_ok:
                tail = (results[-1].stderr or results[-1].stdout).strip().splitlines()[-1:]
                section.notes.append(f"`session --dry-run` exited {codes}: {' '.join(tail)}")
    section.tables.append(
        Table(
            headers=("command", "median ms", "min - max ms", "runs", "exit codes"),
            rows=rows,
        )
    )
    if dry_sample is not None and dry_ok:
        section.targets.append(
            Target(
                name=f"session --dry-run <= {TARGET_SECONDS} s",
                observed=f"{dry_sample.median:.3f} s median",
                met=dry_sample.median <= TARGET_SECONDS,
            )
        )
    else:
        section.targets.append(
            Target(
                name=f"session --dry-run <= {TARGET_SECONDS} s",
                observed="the command did not succeed",
                met=None,
            )
        )
    profile = import_profile(dry_run, env)
    if profile:
        section.tables.append(
            Table(
                headers=("top-level import", "cumulative ms"),
                rows=[(name, f"{ms:.1f}") for name, ms in profile],
                caption="Slowest top-level imports of one dry run (`python -X importtime`):",
            )
        )
    return section
