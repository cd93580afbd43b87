"""EventLogPort: where a session writes its run log (design.md section 6), and its event types."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


class EventType(enum.Enum):
    """The `type` of every line in events.jsonl (docs/run-log.md describes each)."""

    SESSION_STARTED = "session_started"
    SESSION_RESUMED = "session_resumed"
    CANDLE = "candle"
    SIGNAL = "signal"
    ORDER_INTENT = "order_intent"
    RISK_DECISION = "risk_decision"
    ORDER_RESULT = "order_result"
    FILL = "fill"
    SIMULATED_FILL = "simulated_fill"
    ERROR = "error"
    ALERT = "alert"
    STATE_CHANGED = "state_changed"
    HEARTBEAT = "heartbeat"
    SESSION_ENDED = "session_ended"

    def __str__(self) -> str:
        return self.value


class EventLogError(Exception):
    """The run log can no longer be written (its file was deleted or replaced, the disk is full,
    an I/O error): the session must stop trading rather than go on unlogged."""


class ResumeMismatchError(EventLogError):
    """Resuming a run found its record inconsistent with the run being continued: a replay
    re-simulated differently (its file, config or code changed) or a live run's recorded
    ledger does not add up. Nothing is appended to the run log."""


class RunLogBusyError(EventLogError):
    """Another process holds the run log (the run is still going on there)."""


DURABLE_EVENT_TYPES = frozenset(
    {
        EventType.ORDER_INTENT,
        EventType.ORDER_RESULT,
        EventType.FILL,
        EventType.SIMULATED_FILL,
        EventType.RISK_DECISION,
    }
)


@runtime_checkable
class EventLogPort(Protocol):
    """Appends events, keeps the summary current and holds meta.json. Payloads are JSON-ready
    (Decimals as str or Decimal, datetimes UTC).

    - `write_meta` writes meta.json once, at the start of a run.
    - `append` writes one event line and flushes it, and returns the event's sequence number.
      `durable=None` takes the type's default: order events (DURABLE_EVENT_TYPES) are fsynced,
      which also makes every earlier line durable. `durable=False` defers the fsync to the next
      durable event (group commit): use it only when a durable event about the same order
      follows at once, e.g. `risk_decision` before `order_intent`. `durable=True` fsyncs any
      event.
    - `sync` makes every line written so far durable (fsync): the session calls it at every
      heartbeat, so a run whose order events are not fsynced one by one (the in-memory
      replay venue, see RunLogWriter's policy) is durable at least that often.
    - `write_summary` replaces summary.json atomically.
    - `close` flushes and releases files; appending after close is an error. Closing twice is
      allowed.
    - A write that cannot be made raises EventLogError (never silently dropped). An
      `order_intent` is written only while the log still exists where it was opened: a log
      whose file was deleted or replaced refuses it, so no order goes out unrecorded.
    """

    @property
    def run_id(self) -> str: ...

    def write_meta(self, meta: Mapping[str, Any]) -> None: ...

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int: ...

    def sync(self) -> None: ...

    def write_summary(self, summary: Mapping[str, Any]) -> None: ...

    def close(self) -> None: ...
