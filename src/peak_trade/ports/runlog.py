"""RunArchivePort: read-only access to the run logs of running, ended and crashed runs.

The monitor and the dashboard read runs only through this port, so they never depend on how
or where run logs are stored. A run id is only ever used after the archive found it among the
runs that exist; it is never joined into a path on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from peak_trade.domain.ids import MAX_RUN_ID_LENGTH


class UnknownRunError(LookupError):
    """No run with this id exists in the archive; `suggestions` are near matches."""

    def __init__(self, run_id: str, suggestions: tuple[str, ...]) -> None:
        shown = run_id if len(run_id) <= MAX_RUN_ID_LENGTH else run_id[:MAX_RUN_ID_LENGTH] + "..."
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no run {shown!r}{hint}")
        self.run_id = run_id
        self.suggestions = suggestions


@attrs.frozen(kw_only=True)
class LogRecord:
    """One event line and the position just after it (where an incremental read goes on)."""

    record: dict[str, Any]
    end_offset: int


@attrs.define
class ReadStats:
    """What a read skipped: corrupt complete lines and an unfinished (truncated) last line."""

    bad_lines: int = 0
    partial_tail: bool = False


@attrs.frozen(kw_only=True)
class RunListing:
    """One run: its id, meta and summary (None when missing) and its last write."""

    run_id: str
    meta: dict[str, Any] | None
    summary: dict[str, Any] | None
    last_modified: datetime | None
    started_at: str

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.started_at, self.run_id)


@runtime_checkable
class RunArchivePort(Protocol):
    """The runs in one place (a run log directory), read-only."""

    @property
    def location(self) -> str: ...

    def run_ids(self) -> list[str]: ...

    def exists(self, run_id: object) -> bool: ...

    def require(self, run_id: str) -> None:
        """Raise UnknownRunError (with near matches) unless the run exists."""

    def listing(self, run_id: str) -> RunListing: ...

    def listings(self) -> list[RunListing]:
        """Every run, newest first (by start time, then id)."""

    def meta(self, run_id: str) -> dict[str, Any] | None: ...

    def summary(self, run_id: str) -> dict[str, Any] | None: ...

    def events(
        self, run_id: str, *, since: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Events with seq > since, oldest first, at most `limit` of them."""

    def read_events(
        self, run_id: str, offset: int, stats: ReadStats | None = None
    ) -> Iterator[LogRecord]:
        """Stream events from a position returned by an earlier read (0: the start)."""

    def events_size(self, run_id: str) -> int:
        """Where the event log ends now (smaller than an earlier offset: it was replaced)."""

    def tail(self, run_id: str, count: int) -> list[dict[str, Any]]: ...

    def alerts(
        self, run_id: str, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Alerts `offset`..`offset+limit` (oldest first) and the total number of alerts."""

    def last_modified(self, run_id: str) -> datetime | None: ...
