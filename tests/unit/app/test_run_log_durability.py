"""Issue 12, findings 3 and 7 at the writer: an order intent is refused once events.jsonl was
deleted or replaced (appending to an unlinked file let orders go out unrecorded), a full disk or
an I/O error is raised and never leaves a temporary file, and a session whose run log fails
ends `failed` with its summary written when that is still possible, without tracebacks."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.unit.app.fakes import T0
from tests.unit.app.session_harness import build, synthetic

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.writer import RunLogGoneError, RunLogWriteError, RunLogWriter
from peak_trade.ports.events import EventType

RUN_ID = "20260101T000000Z-abcdef"


class Disk:
    """An injectable `write`: passes through until `full`, then writes what fits (nothing
    unless `room` bytes remain) and fails with ENOSPC, like a disk that filled up."""

    def __init__(self) -> None:
        self.full = False
        self.room = 0
        self.when: bytes = b""  # only writes containing this fail (b"": every write)

    def write(self, fd: int, data: memoryview) -> int:
        if self.full and self.when in bytes(data):
            if self.room > 0:
                written = os.write(fd, data[: self.room])
                self.room = 0
                return written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return os.write(fd, data)


def writer(tmp_path: Path, **options: Any) -> RunLogWriter:
    return RunLogWriter(tmp_path, RUN_ID, SimulatedClock(T0), **options)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def temp_files(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_an_order_intent_is_refused_once_the_run_directory_was_deleted(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.append(EventType.CANDLE, {"n": 1})
    shutil.rmtree(log.run_dir)

    with pytest.raises(RunLogGoneError, match=r"events\.jsonl was deleted or replaced"):
        log.append(EventType.ORDER_INTENT, {"client_order_id": "c-1"})


def test_an_order_intent_is_refused_when_events_jsonl_was_replaced(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.append(EventType.CANDLE, {"n": 1})
    log.events_path.unlink()
    log.events_path.write_text("")  # someone put a new file at the same path

    with pytest.raises(RunLogGoneError):
        log.append(EventType.ORDER_INTENT, {"client_order_id": "c-1"})
    assert log.events_path.read_text() == ""


def test_a_reopen_after_a_failed_write_never_recreates_a_deleted_log(tmp_path: Path) -> None:
    log = writer(tmp_path)
    assert log._fd is not None
    os.close(log._fd)  # the handle breaks
    shutil.rmtree(log.run_dir)
    log.run_dir.mkdir()  # and the directory is back, empty

    with pytest.raises(RunLogGoneError):
        log.append(EventType.CANDLE, {"n": 1})
    assert not log.events_path.exists()


def test_an_intact_log_takes_order_intents(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.append(EventType.ORDER_INTENT, {"client_order_id": "c-1"})
    assert [e["type"] for e in lines(log.events_path)] == ["order_intent"]


def test_a_failed_summary_rewrite_leaves_no_temporary_file(tmp_path: Path) -> None:
    log = writer(tmp_path)
    (log.run_dir / "summary.json").mkdir()  # the rename onto it fails every time

    with pytest.raises(RunLogWriteError, match=r"summary\.json"):
        log.write_summary({"status": "running"})
    assert temp_files(tmp_path) == []


def test_a_full_disk_on_the_summary_leaves_no_temporary_file(tmp_path: Path) -> None:
    disk = Disk()
    log = writer(tmp_path, write=disk.write)
    log.write_summary({"status": "running"})
    disk.full, disk.room = True, 10

    with pytest.raises(RunLogWriteError, match="No space left"):
        log.write_summary({"status": "completed", "steps": 1})
    assert temp_files(tmp_path) == []
    assert json.loads((log.run_dir / "summary.json").read_text())["status"] == "running"


def test_a_full_disk_refuses_the_order_intent_and_keeps_whole_lines(tmp_path: Path) -> None:
    disk = Disk()
    log = writer(tmp_path, write=disk.write)
    log.append(EventType.CANDLE, {"n": 1})
    disk.full, disk.room = True, 7  # half a line fits

    with pytest.raises(RunLogWriteError, match="No space left"):
        log.append(EventType.ORDER_INTENT, {"client_order_id": "c-1"})
    assert [e["type"] for e in lines(log.events_path)] == ["candle"]


def test_a_failed_sync_at_close_is_a_run_log_error(tmp_path: Path) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    log = writer(tmp_path, fsync=broken_fsync)
    with pytest.raises(RunLogWriteError, match="Input/output error"):
        log.close()


# --- a session whose run log fails -----------------------------------------------------------
def test_an_io_error_ends_the_session_failed_with_its_summary_and_no_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    disk = Disk()
    disk.when = b'{"seq":'  # every event line fails from now on; summary.json still fits
    logs: list[RunLogWriter] = []

    def real_files(clock: SimulatedClock) -> RunLogWriter:
        logs.append(RunLogWriter(tmp_path, RUN_ID, clock, write=disk.write))
        return logs[0]

    def fill_the_disk_at_step_3(metrics: Any) -> None:
        disk.full = disk.full or metrics.steps >= 3

    h = build(
        synthetic(300),
        heartbeat=5,
        max_steps=30,
        event_log=real_files,
        on_step=fill_the_disk_at_step_3,
    )
    run_log = logs[0]

    with caplog.at_level(logging.WARNING), pytest.raises(RunLogWriteError):
        h.session.run()

    summary = json.loads((run_log.run_dir / "summary.json").read_text())
    assert summary["status"] == "failed"
    assert "No space left" in summary["error"]
    assert temp_files(tmp_path) == []
    assert [r for r in caplog.records if r.exc_info] == []  # no traceback at the default level


def test_session_ended_is_the_last_event_and_the_final_summary_follows_it(
    tmp_path: Path,
) -> None:
    logs: list[RunLogWriter] = []

    def real_files(clock: SimulatedClock) -> RunLogWriter:
        logs.append(RunLogWriter(tmp_path, RUN_ID, clock))
        return logs[0]

    h = build(synthetic(300), heartbeat=7, max_steps=30, event_log=real_files)
    h.session.run()

    events = lines(logs[0].events_path)
    on_disk = json.loads((logs[0].run_dir / "summary.json").read_text())
    assert events[-1]["type"] == "session_ended"
    assert on_disk["status"] == events[-1]["status"] == "completed"
    assert on_disk["steps"] == 30
    assert on_disk.get("last_seq", events[-1]["seq"]) == events[-1]["seq"]
    assert temp_files(tmp_path) == []
