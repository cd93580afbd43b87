"""EventLogPort: where a session writes its run log (design.md section 6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

EVENT_TYPES = frozenset(
    {
        "session_started",
        "candle",
        "signal",
        "order_intent",
        "risk_decision",
        "order_result",
        "fill",
        "simulated_fill",
        "error",
        "alert",
        "state_changed",
        "heartbeat",
        "session_ended",
    }
)

DURABLE_EVENT_TYPES = frozenset(
    {"order_intent", "order_result", "fill", "simulated_fill", "risk_decision"}
)


@runtime_checkable
class EventLogPort(Protocol):
    """Appends events and keeps the summary current. Payloads are JSON-ready (Decimals as str).

    - `append` writes one event line and flushes it, and returns the event's sequence number.
      `durable=None` takes the type's default: order events (DURABLE_EVENT_TYPES) are fsynced,
      which also makes every earlier line durable. `durable=False` defers the fsync to the next
      durable event (group commit): use it only when a durable event about the same order
      follows at once, e.g. `risk_decision` before `order_intent`. `durable=True` fsyncs any
      event.
    - `write_summary` replaces summary.json atomically.
    - `close` flushes and releases files; appending after close is an error.
    """

    @property
    def run_id(self) -> str: ...

    def append(
        self, event_type: str, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int: ...

    def write_summary(self, summary: Mapping[str, Any]) -> None: ...

    def close(self) -> None: ...
