"""When the run log itself fails, the session still ends `failed` where it can and the
`session_failed` alert still reaches the sinks; a resume refusal writes nothing at all."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from typing import Any

import pytest
from tests.unit.app.fakes import MemoryRunLog
from tests.unit.app.session_harness import build, synthetic

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.ports.alerts import Alert
from peak_trade.ports.events import EventType, ResumeMismatchError


class RecordingSink:
    def __init__(self) -> None:
        self.alerts: list[Alert] = []
        self.closed = False

    def send(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def close(self) -> None:
        self.closed = True


def disk_full() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FullDiskLog(MemoryRunLog):
    """Appends fail with ENOSPC from the `fail_from`-th event on (summaries too, if asked)."""

    def __init__(self, fail_from: int, *, summaries_fail: bool = False) -> None:
        super().__init__("20260101T000000Z-000001")
        self.fail_from = fail_from
        self.summaries_fail = summaries_fail
        self.attempts = 0

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int:
        self.attempts += 1
        if self.attempts >= self.fail_from:
            raise disk_full()
        return super().append(event_type, payload, durable=durable)

    def write_summary(self, summary: Mapping[str, Any]) -> None:
        if self.summaries_fail and self.attempts >= self.fail_from:
            raise disk_full()
        super().write_summary(summary)


def run_failing(log: MemoryRunLog) -> tuple[RecordingSink, pytest.ExceptionInfo[OSError]]:
    sink = RecordingSink()

    def event_log(_clock: SimulatedClock) -> MemoryRunLog:
        return log

    h = build(
        synthetic(300),
        replay=True,
        warmup=20,
        event_log=event_log,
        alerts=AlertEngine(AlertsConfig(), [sink]),
    )
    with pytest.raises(OSError) as raised:
        h.session.run()
    return sink, raised


def test_a_run_log_that_fills_up_mid_run_still_sends_the_failure_alert() -> None:
    log = FullDiskLog(fail_from=60, summaries_fail=True)
    sink, raised = run_failing(log)
    assert raised.value.errno == errno.ENOSPC
    failed = [a for a in sink.alerts if a.rule == "session_failed"]
    assert len(failed) == 1
    assert "No space left on device" in failed[0].message
    assert "error" not in log.types()  # the run log could not take the error any more
    assert sink.closed


def test_a_failure_writing_session_started_ends_the_run_failed_with_an_alert() -> None:
    log = FullDiskLog(fail_from=1)  # the very first event: session_started
    sink, _raised = run_failing(log)
    assert log.meta is not None
    assert log.summaries[-1]["status"] == "failed"
    assert "No space left on device" in log.summaries[-1]["error"]
    assert [a.rule for a in sink.alerts] == ["session_failed"]
    assert log.closed


class FailingFirstSummaryLog(MemoryRunLog):
    def write_summary(self, summary: Mapping[str, Any]) -> None:
        if not self.summaries and summary["status"] == "running":
            self.summaries.append({"status": "<attempted>"})
            raise disk_full()
        super().write_summary(summary)


def test_a_failure_writing_the_first_summary_leaves_a_failed_summary() -> None:
    log = FailingFirstSummaryLog("20260101T000000Z-000001")
    sink, _raised = run_failing(log)
    assert log.summaries[-1]["status"] == "failed"
    assert log.types()[0] == "session_started"
    assert log.of_type("session_ended")[0]["status"] == "failed"
    assert [a.rule for a in sink.alerts] == ["session_failed"]


class RefusedResumeLog(MemoryRunLog):
    def write_meta(self, meta: Mapping[str, Any]) -> None:
        raise ResumeMismatchError("the run log records cash_after 1, the ledger has 2")


def test_a_refused_resume_leaves_the_run_log_and_the_alert_services_alone() -> None:
    log = RefusedResumeLog("20260101T000000Z-000001")
    sink = RecordingSink()
    h = build(
        synthetic(100),
        replay=True,
        warmup=20,
        event_log=lambda _clock: log,
        alerts=AlertEngine(AlertsConfig(), [sink]),
    )
    with pytest.raises(ResumeMismatchError):
        h.session.run()
    assert (log.events, log.summaries) == ([], [])
    assert sink.alerts == []
    assert sink.closed
    assert log.closed
