"""RunLogWriter: layout, flushed events, atomic summary, unique ids, failures never silent."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from tests.unit.app.fakes import T0

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.adapters.runlog.writer import (
    NullEventLog,
    RunDirectoryExistsError,
    RunLogWriteError,
    RunLogWriter,
)
from peak_trade.domain.ids import RUN_ID_PATTERN, client_order_id, new_run_id
from peak_trade.ports.events import EventType


def writer(tmp_path: Path, run_id: str = "20260101T000000Z-abcdef") -> RunLogWriter:
    return RunLogWriter(tmp_path, run_id, SimulatedClock(T0))


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_events_are_numbered_stamped_and_readable_before_close(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.append(EventType.SESSION_STARTED, {"symbol": "BTC/EUR"})
    log.append(EventType.ORDER_INTENT, {"client_order_id": "x", "quantity": "0.1"})

    events = lines(log.events_path)  # another reader sees them while the writer is open

    assert events == [
        {"seq": 1, "ts": "2026-01-01T00:00:00Z", "type": "session_started", "symbol": "BTC/EUR"},
        {
            "seq": 2,
            "ts": "2026-01-01T00:00:00Z",
            "type": "order_intent",
            "client_order_id": "x",
            "quantity": "0.1",
        },
    ]


def test_decimals_and_datetimes_become_strings(tmp_path: Path) -> None:
    from decimal import Decimal

    log = writer(tmp_path)
    log.append(EventType.HEARTBEAT, {"equity": Decimal("1E+2"), "at": T0})
    assert lines(log.events_path)[0]["equity"] == "100"
    assert lines(log.events_path)[0]["at"] == "2026-01-01T00:00:00Z"


def test_refuses_an_existing_run_directory(tmp_path: Path) -> None:
    writer(tmp_path, "run-1")
    with pytest.raises(RunDirectoryExistsError, match="never reused"):
        writer(tmp_path, "run-1")


def test_refuses_run_ids_that_are_not_safe_directory_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid run id"):
        writer(tmp_path, "../escape")


def test_unknown_event_types_and_reserved_keys_are_refused(tmp_path: Path) -> None:
    log = writer(tmp_path)
    with pytest.raises(ValueError, match="unknown event type"):
        log.append("trade", {})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must not set"):
        log.append(EventType.CANDLE, {"seq": 5})


def test_summary_and_meta_are_replaced_atomically(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.write_meta({"run_id": log.run_id})
    log.write_summary({"status": "running", "steps": 1})
    log.append(EventType.HEARTBEAT, {"step": 2})
    log.write_summary({"status": "completed", "steps": 2})
    assert json.loads((log.run_dir / "summary.json").read_text()) == {
        "status": "completed",
        "steps": 2,
        "last_seq": 1,  # the last event the summary accounts for
    }
    assert json.loads((log.run_dir / "meta.json").read_text()) == {"run_id": log.run_id}
    assert sorted(p.name for p in log.run_dir.iterdir()) == [
        "events.jsonl",
        "meta.json",
        "summary.json",
    ]


def test_an_order_event_with_a_deferred_fsync_is_still_written_at_once(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.append(EventType.RISK_DECISION, {"client_order_id": "x", "allowed": True}, durable=False)

    assert [(e["seq"], e["type"]) for e in lines(log.events_path)] == [(1, "risk_decision")]

    log.append(EventType.ORDER_INTENT, {"client_order_id": "x"})  # its fsync covers both lines
    assert [e["type"] for e in lines(log.events_path)] == ["risk_decision", "order_intent"]


def test_a_failed_write_is_retried_on_a_fresh_handle(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.append(EventType.CANDLE, {"n": 1})
    assert log._fd is not None
    os.close(log._fd)  # the handle breaks under the writer (EBADF on the next write)
    log.append(EventType.CANDLE, {"n": 2})
    assert [e["n"] for e in lines(log.events_path)] == [1, 2]


def test_a_write_that_keeps_failing_raises_instead_of_going_quiet(tmp_path: Path) -> None:
    log = writer(tmp_path)
    assert log._fd is not None
    os.close(log._fd)
    shutil.rmtree(log.run_dir)  # nothing to reopen
    with pytest.raises(RunLogWriteError, match=r"events\.jsonl"):
        log.append(EventType.CANDLE, {"n": 1})


def test_append_after_close_is_an_error(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.close()
    with pytest.raises(RunLogWriteError, match="closed"):
        log.append(EventType.CANDLE, {})


def test_the_monitoring_reader_reads_what_the_writer_wrote(tmp_path: Path) -> None:
    log = writer(tmp_path)
    log.write_meta({"run_id": log.run_id, "started_at": "2026-01-01T00:00:00Z"})
    log.append(EventType.SESSION_STARTED, {})
    log.append(EventType.HEARTBEAT, {"step": 1})
    log.write_summary({"run_id": log.run_id, "status": "running"})
    reader = RunLogReader(tmp_path)
    assert reader.run_ids() == [log.run_id]
    assert [e["type"] for e in reader.events(log.run_id)] == ["session_started", "heartbeat"]
    assert reader.summary(log.run_id) == {"run_id": log.run_id, "status": "running", "last_seq": 2}


def test_null_event_log_writes_nothing(tmp_path: Path) -> None:
    log = NullEventLog("dry")
    log.write_meta({"a": 1})
    assert log.append(EventType.CANDLE, {}) == 1
    log.write_summary({})
    log.close()
    assert list(tmp_path.iterdir()) == []


def test_run_ids_have_the_documented_shape_and_differ() -> None:
    rng = random.Random(1)
    ids = {new_run_id(T0, rng) for _ in range(50)}
    assert len(ids) == 50
    assert all(RUN_ID_PATTERN.match(i) and i.startswith("20260101T000000Z-") for i in ids)


def test_client_order_ids_are_deterministic_uuids() -> None:
    first = client_order_id("20260101T000000Z-abcdef", 1)
    assert first == client_order_id("20260101T000000Z-abcdef", 1)
    assert first != client_order_id("20260101T000000Z-abcdef", 2)
    assert len(first) == 36
    assert first.count("-") == 4
