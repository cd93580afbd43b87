"""Reopening a run log: the last whole line, contiguous seq, one writer per run, and the
re-simulated record checked event by event (VerifyingRunLog)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.unit.app.fakes import T0

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.resume import VerifyingRunLog, last_complete_event
from peak_trade.adapters.runlog.writer import RunLogWriter
from peak_trade.ports.events import EventType, ResumeMismatchError, RunLogBusyError

RUN = "20260101T000000Z-abcdef"


def recorded(tmp_path: Path, *events: tuple[EventType, dict[str, Any]]) -> Path:
    log = RunLogWriter(tmp_path, RUN, SimulatedClock(T0))
    for kind, payload in events:
        log.append(kind, payload)
    log.close()
    return log.events_path


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def reopened(tmp_path: Path) -> RunLogWriter:
    return RunLogWriter(tmp_path, RUN, SimulatedClock(T0), existing=True)


def verifying(tmp_path: Path) -> VerifyingRunLog:
    writer = reopened(tmp_path)
    return VerifyingRunLog(writer, writer.events_path, resumed=lambda: {"life": 2})


STEP = (EventType.SIGNAL, {"symbol": "BTC/EUR", "target": "1"})
INTENT = (EventType.ORDER_INTENT, {"client_order_id": "a", "quantity": "0.1"})
RESULT = (EventType.ORDER_RESULT, {"client_order_id": "a", "status": "validated"})
BEAT = (EventType.HEARTBEAT, {"step": 10})
FINAL_BEAT = (EventType.HEARTBEAT, {"step": 13})
ENDED = (EventType.SESSION_ENDED, {"status": "interrupted"})


def test_the_last_whole_line_is_found_behind_half_a_line(tmp_path: Path) -> None:
    path = recorded(tmp_path, STEP, INTENT)
    whole = path.stat().st_size
    with path.open("ab") as handle:
        handle.write(b'{"seq":3,"ts":"2026-01-01T00:00:00Z","type":"order_res')

    assert last_complete_event(path) == (2, whole)


def test_a_reopened_writer_drops_half_a_line_and_goes_on_numbering(tmp_path: Path) -> None:
    path = recorded(tmp_path, STEP, INTENT)
    with path.open("ab") as handle:
        handle.write(b'{"seq":3,"ts":"2026-01-0')

    log = reopened(tmp_path)
    seq = log.append(*RESULT)
    log.close()

    assert seq == 3
    assert [e["seq"] for e in lines(path)] == [1, 2, 3]


def test_a_run_log_held_by_a_writer_cannot_be_reopened(tmp_path: Path) -> None:
    recorded(tmp_path, STEP)
    first = reopened(tmp_path)

    with pytest.raises(RunLogBusyError, match="in use by another process"):
        reopened(tmp_path)
    first.close()
    reopened(tmp_path).close()  # free again once the holder closed it


def test_re_simulated_events_are_checked_then_resumed_is_written(tmp_path: Path) -> None:
    path = recorded(tmp_path, STEP, INTENT)
    log = verifying(tmp_path)

    assert log.append(*STEP) == 1
    assert log.catching_up
    assert log.append(*INTENT) == 2
    assert not log.catching_up
    assert log.append(*RESULT) == 4
    log.close()

    kinds = [(e["seq"], e["type"]) for e in lines(path)]
    assert kinds == [
        (1, "signal"),
        (2, "order_intent"),
        (3, "session_resumed"),
        (4, "order_result"),
    ]
    assert lines(path)[2]["verified_events"] == 2


def test_a_different_event_is_a_mismatch_and_nothing_is_written(tmp_path: Path) -> None:
    path = recorded(tmp_path, STEP, INTENT)
    before = path.read_bytes()
    log = verifying(tmp_path)
    log.append(*STEP)

    with pytest.raises(ResumeMismatchError, match="at seq 2"):
        log.append(EventType.ORDER_INTENT, {"client_order_id": "a", "quantity": "0.2"})
    with pytest.raises(ResumeMismatchError):  # and it stays refused
        log.append(*ENDED)
    log.write_summary({"status": "failed"})
    log.close()

    assert path.read_bytes() == before
    assert not (tmp_path / RUN / "summary.json").exists()


def test_the_previous_lifes_closing_events_are_not_re_simulated(tmp_path: Path) -> None:
    path = recorded(tmp_path, STEP, BEAT, FINAL_BEAT, ENDED)
    log = verifying(tmp_path)
    log.append(*STEP)
    log.append(*BEAT)

    seq = log.append(*INTENT)  # the next step: the record has only the life's end left
    log.close()

    assert seq == 6
    assert [e["type"] for e in lines(path)][4:] == ["session_resumed", "order_intent"]


def test_an_earlier_lifes_ending_inside_the_record_is_passed_over(tmp_path: Path) -> None:
    resumed = (EventType.SESSION_RESUMED, {"life": 2})
    path = recorded(tmp_path, STEP, FINAL_BEAT, ENDED, resumed, INTENT)
    log = verifying(tmp_path)

    assert log.append(*STEP) == 1
    assert log.append(*INTENT) == 5  # life 1's end and life 2's start are skipped
    assert log.append(*RESULT) == 7
    log.close()

    assert [e["life"] for e in lines(path) if e["type"] == "session_resumed"] == [2, 2]
