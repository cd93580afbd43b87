"""RunMonitor: the read side shared by `peak-trade monitor` and the dashboard.

Everything comes from the run log (meta.json, events.jsonl, alerts.jsonl, summary.json) through
the RunArchivePort, never from a session object, so running, finished and crashed runs look
alike.
Per-run digests are folded incrementally: each call reads only the events appended since.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from peak_trade.app.errors import UsageError
from peak_trade.app.monitoring.digest import RunDigest
from peak_trade.app.monitoring.status import RunStatus, derive_status, live_window_seconds
from peak_trade.app.monitoring.view import build_list_row, build_view
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.runlog import ReadStats, RunArchivePort, RunListing

MAX_PAGE = 1000


class NoRunsError(UsageError):
    """There is no run under the base directory."""


class RunMonitor:
    """Reads the runs of an archive; `clock` tells whether a silent run still counts as live."""

    def __init__(self, archive: RunArchivePort, clock: ClockPort) -> None:
        self._reader = archive
        self._clock = clock
        self._digests: dict[str, tuple[RunDigest, ReadStats]] = {}
        self._lock = threading.Lock()

    @property
    def archive(self) -> RunArchivePort:
        return self._reader

    @property
    def location(self) -> str:
        return self._reader.location

    def exists(self, run_id: object) -> bool:
        return self._reader.exists(run_id)

    def require(self, run_id: str) -> None:
        """UnknownRunError (with near matches) unless the run exists."""
        self._reader.require(run_id)

    def run_count(self) -> int:
        return len(self._reader.run_ids())

    def meta(self, run_id: str) -> dict[str, Any] | None:
        return self._reader.meta(run_id)

    def run_rows(self) -> list[dict[str, Any]]:
        """One row per run, newest first: id, status, symbol, strategy, start, equity, orders."""
        now = self._clock.now()
        rows = []
        for listing in self._reader.listings():
            status = self._status(listing, None, now)
            rows.append(build_list_row(listing, status))
        return rows

    def latest_run_id(self) -> str:
        """The newest run's id; NoRunsError when there is none."""
        runs = self._reader.listings()
        if not runs:
            raise NoRunsError(f"no runs under {self._reader.location}")
        return runs[0].run_id

    def view(self, run_id: str) -> dict[str, Any]:
        """The summary view of one run (JSON-ready)."""
        listing = self._reader.listing(run_id)
        with self._lock:
            digest, stats = self._digest(run_id)
            status = self._status(listing, digest, self._clock.now())
            return build_view(listing, digest, stats, status, self._clock.now())

    def series(self, run_id: str) -> dict[str, Any]:
        """Equity and position series and the order rows, for charts and tables."""
        with self._lock:
            digest, _ = self._digest(run_id)
            return {
                "equity": digest.equity.snapshot(),
                "position": digest.position.snapshot(),
                "orders": [dict(row) for row in digest.orders.values()],
            }

    def events_page(self, run_id: str, *, since: int = 0, limit: int = 100) -> dict[str, Any]:
        """Events with seq > since, at most `limit` (capped at MAX_PAGE), and where to go on."""
        limit = max(1, min(limit, MAX_PAGE))
        events = self._reader.events(run_id, since=since, limit=limit + 1)
        more = len(events) > limit
        events = events[:limit]
        last = events[-1].get("seq") if events else since
        return {
            "run_id": run_id,
            "since": since,
            "limit": limit,
            "events": events,
            "next_since": last if isinstance(last, int) else since,
            "has_more": more,
        }

    def alerts_page(self, run_id: str, *, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Alerts from alerts.jsonl, oldest first, paginated by offset."""
        limit = max(1, min(limit, MAX_PAGE))
        offset = max(0, offset)
        alerts, total = self._reader.alerts(run_id, offset=offset, limit=limit)
        following = offset + len(alerts)
        return {
            "run_id": run_id,
            "offset": offset,
            "limit": limit,
            "total": total,
            "alerts": alerts,
            "next_offset": following if following < total else None,
        }

    def tail(self, run_id: str, count: int) -> list[dict[str, Any]]:
        """The last `count` events."""
        return self._reader.tail(run_id, count)

    def _digest(self, run_id: str) -> tuple[RunDigest, ReadStats]:
        self._reader.require(run_id)
        digest, stats = self._digests.get(run_id, (RunDigest(), ReadStats()))
        if self._reader.events_size(run_id) < digest.offset:  # replaced: start over
            digest, stats = RunDigest(), ReadStats()
        stats.partial_tail = False
        for item in self._reader.read_events(run_id, digest.offset, stats):
            digest.feed((item.record,))
            digest.offset = item.end_offset
        self._digests[run_id] = (digest, stats)
        return digest, stats

    def _status(self, listing: RunListing, digest: RunDigest | None, now: datetime) -> RunStatus:
        ended_event: Mapping[str, Any] | None = digest.ended if digest is not None else None
        return derive_status(
            summary=listing.summary,
            ended_event=ended_event,
            last_write=listing.last_modified,
            now=now.astimezone(UTC),
            live_window=live_window_seconds(listing.meta),
        )
