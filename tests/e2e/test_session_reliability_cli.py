"""Issue 12 as a user meets it at the command line: a full disk or an I/O error under the run log
ends the session with one clear line and no traceback, summary `failed` when it can still be
written and no temporary file left; run-log directory problems (a lost --run-id race, a file,
an unwritable directory) are usage errors, exit 2; far-off candle times are refused."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.session_cli_support import (
    DEMO_LIKE,
    clean_env,
    only_run,
    peak_trade,
    replay_args,
    summary,
    synth_csv,
    write_config,
)

FILE_SIZE_LIMIT = 48 * 1024  # events.jsonl outgrows this; meta.json and summary.json do not


def replay_config(tmp_path: Path, heartbeat: int = 5) -> Path:
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")
    text = config.read_text().replace(
        "heartbeat_every_steps = 50", f"heartbeat_every_steps = {heartbeat}"
    )
    config.write_text(text)
    return config


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


@contextlib.contextmanager
def tiny_filesystem(path: Path, size: str, *, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path`, or skip when this machine does not allow it."""
    path.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def test_a_full_disk_ends_the_session_with_one_line_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=5000)
    config = replay_config(tmp_path)
    with tiny_filesystem(tmp_path / "disk", "64k") as disk:
        done = peak_trade(*replay_args(config, csv), "--log-dir", str(disk / "runs"), cwd=tmp_path)

        lines = error_lines(done.stderr)
        assert done.returncode == 1
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("peak-trade: error: RunLogWriteError: ")
        assert "No space left on device" in lines[0]
        assert "Traceback" not in done.stderr
        assert temp_files(disk) == []
        # summary.json is `failed` if there was room for it, else the last running one
        assert summary(only_run(disk / "runs"))["status"] in ("failed", "running")


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_an_io_error_on_the_event_log_ends_failed_with_the_summary_written(
    tmp_path: Path,
) -> None:
    """A per-process file size limit: writes to events.jsonl fail (EFBIG) once it is full,
    while the small summary.json can still be written."""
    csv = synth_csv(tmp_path / "candles.csv", candles=5000)
    config = replay_config(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "peak_trade", *replay_args(config, csv), "--log-dir", "runs"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        preexec_fn=limit_file_size,
    )

    lines = error_lines(done.stderr)
    run = only_run(tmp_path / "runs")
    s = summary(run)
    assert done.returncode == 1
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("peak-trade: error: RunLogWriteError: ")
    assert "Traceback" not in done.stderr
    assert s["status"] == "failed"
    assert "RunLogWriteError" in s["error"]
    assert temp_files(tmp_path) == []
    assert (run / "events.jsonl").read_bytes().endswith(b"\n")  # whole lines only


def test_losing_the_run_id_race_is_a_usage_error(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=120)
    config = replay_config(tmp_path)
    runs = tmp_path / "runs"
    runs.mkdir()
    # A name that does not "exist" when the command checks, but does when the run log is
    # created: what another process creating the same run id in between looks like.
    (runs / "mine").symlink_to(tmp_path / "nowhere")

    done = peak_trade(*replay_args(config, csv), "--log-dir", "runs", "--run-id", "mine",
                      cwd=tmp_path)  # fmt: skip

    assert done.returncode == 2
    assert error_lines(done.stderr) == [
        f"peak-trade: --run-id: run directory {Path('runs') / 'mine'} exists already; "
        "run ids are never reused"
    ]


@pytest.mark.parametrize("dry_run", [False, True], ids=["run", "dry-run"])
def test_a_log_dir_that_is_a_file_is_a_usage_error(tmp_path: Path, dry_run: bool) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=120)
    config = replay_config(tmp_path)
    (tmp_path / "runs").write_text("not a directory")

    flags = ("--dry-run",) if dry_run else ()
    done = peak_trade(*replay_args(config, csv), "--log-dir", "runs", *flags, cwd=tmp_path)

    assert done.returncode == 2
    assert error_lines(done.stderr) == [
        "peak-trade: run log directory runs (--log-dir or [run_logging] base_dir): "
        "runs is a file, not a directory"
    ]
    assert (tmp_path / "runs").read_text() == "not a directory"


@contextlib.contextmanager
def unwritable_directory(path: Path) -> Iterator[Path]:
    """A directory this process cannot write in: permissions for a normal user, a read-only
    tmpfs for root (whom permissions do not stop)."""
    if os.geteuid() != 0:
        path.mkdir()
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    with tiny_filesystem(path, "64k", read_only=True) as mounted:
        yield mounted


@pytest.mark.parametrize("dry_run", [False, True], ids=["run", "dry-run"])
def test_an_unwritable_log_dir_is_a_usage_error_in_one_line(tmp_path: Path, dry_run: bool) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=120)
    config = replay_config(tmp_path)
    flags = ("--dry-run",) if dry_run else ()
    with unwritable_directory(tmp_path / "locked") as locked:
        log_dir = locked / "runs"
        done = peak_trade(*replay_args(config, csv), "--log-dir", str(log_dir), *flags,
                          cwd=tmp_path)  # fmt: skip

    lines = error_lines(done.stderr)
    assert done.returncode == 2
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"peak-trade: run log directory {log_dir} ")
    assert "not writable" in lines[0]


def test_a_candle_file_with_a_far_off_time_is_refused(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=120)
    rows = csv.read_text().splitlines()
    line = len(rows) + 1
    csv.write_text("\n".join([*rows, "9999-12-31T00:00:00Z,1,1,1,1,1"]) + "\n")
    config = replay_config(tmp_path)

    done = peak_trade(*replay_args(config, csv), "--log-dir", "runs", cwd=tmp_path)

    assert done.returncode == 2
    assert "far-off timestamp 9999-12-31T00:00:00Z" in done.stderr
    assert f":{line}" in done.stderr or f"line {line}" in done.stderr
    assert not (tmp_path / "runs").exists()
