"""RunLogReader: the RunArchivePort over a run log directory (design.md section 6).

A run id is only ever used after it has been found among the directories that exist under the
base directory; it is never joined into a path on its own.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from peak_trade.adapters.runlog.jsonl import iter_jsonl, read_json_object, tail_jsonl
from peak_trade.adapters.runlog.layout import (
    ALERTS_FILE,
    EVENTS_FILE,
    META_FILE,
    RUN_FILES,
    SUMMARY_FILE,
)
from peak_trade.domain.ids import MAX_RUN_ID_LENGTH, RUN_ID_PATTERN, is_valid_run_id
from peak_trade.ports.runlog import LogRecord, ReadStats, RunListing, UnknownRunError


def run_id_time(run_id: str) -> datetime | None:
    """The UTC start time encoded in a generated run id, else None."""
    if not RUN_ID_PATTERN.fullmatch(run_id):
        return None
    try:
        return datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


class RunLogReader:
    """Reads the runs under one base directory; never writes (a RunArchivePort)."""

    def __init__(self, base_dir: Path) -> None:
        self._base_dir = Path(base_dir)

    @property
    def base_dir(self) -> Path:
        return self._base_dir

    @property
    def location(self) -> str:
        return str(self._base_dir)

    def exists(self, run_id: object) -> bool:
        return self.find(run_id) is not None

    def listings(self) -> list[RunListing]:
        """Every run, newest first (by start time, then id)."""
        runs = [self.listing(run_id) for run_id in self.run_ids()]
        return sorted(runs, key=lambda r: r.sort_key, reverse=True)

    def events_size(self, run_id: str) -> int:
        try:
            return (self._dir(run_id) / EVENTS_FILE).stat().st_size
        except OSError:
            return 0

    def run_ids(self) -> list[str]:
        """Ids of the run directories that exist (names that look like run ids), sorted."""
        try:
            entries = list(os.scandir(self._base_dir))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(
            e.name for e in entries if is_valid_run_id(e.name) and e.is_dir(follow_symlinks=False)
        )

    def find(self, run_id: object) -> Path | None:
        """The directory of an existing run, or None; anything that is not one is None."""
        if not is_valid_run_id(run_id):
            return None
        for existing in self.run_ids():
            if existing == run_id:
                return self._base_dir / existing
        return None

    def require(self, run_id: str) -> None:
        """Raise UnknownRunError with near matches unless the run exists."""
        self._dir(run_id)

    def _dir(self, run_id: str) -> Path:
        """The run's directory; an unknown id raises UnknownRunError with near matches."""
        path = self.find(run_id)
        if path is None:
            candidates = self.run_ids()
            probe = run_id[: MAX_RUN_ID_LENGTH * 2]
            near = difflib.get_close_matches(probe, candidates, n=5, cutoff=0.5)
            raise UnknownRunError(run_id, tuple(near))
        return path

    def meta(self, run_id: str) -> dict[str, Any] | None:
        return read_json_object(self._dir(run_id) / META_FILE)

    def summary(self, run_id: str) -> dict[str, Any] | None:
        return read_json_object(self._dir(run_id) / SUMMARY_FILE)

    def events(
        self, run_id: str, *, since: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Events with seq > since, oldest first, at most `limit` of them."""
        found: list[dict[str, Any]] = []
        for item in iter_jsonl(self._dir(run_id) / EVENTS_FILE):
            seq = item.record.get("seq")
            if isinstance(seq, int) and seq <= since:
                continue
            found.append(item.record)
            if limit is not None and len(found) >= limit:
                break
        return found

    def read_events(
        self, run_id: str, offset: int, stats: ReadStats | None = None
    ) -> Iterator[LogRecord]:
        """Stream events from a byte offset (for incremental readers)."""
        return iter_jsonl(self._dir(run_id) / EVENTS_FILE, offset, stats)

    def tail(self, run_id: str, count: int) -> list[dict[str, Any]]:
        """The last `count` events."""
        return tail_jsonl(self._dir(run_id) / EVENTS_FILE, count)

    def alerts(
        self, run_id: str, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Alerts `offset`..`offset+limit` (oldest first) and the total number of alerts."""
        page: list[dict[str, Any]] = []
        total = 0
        for item in iter_jsonl(self._dir(run_id) / ALERTS_FILE):
            if total >= offset and (limit is None or len(page) < limit):
                page.append(item.record)
            total += 1
        return page, total

    def last_modified(self, run_id: str) -> datetime | None:
        """Latest modification time of the run's files (UTC), None when it has none."""
        return _last_modified(self._dir(run_id))

    def listing(self, run_id: str) -> RunListing:
        """Meta, summary and activity of one run."""
        path = self._dir(run_id)
        meta = read_json_object(path / META_FILE)
        started = meta.get("started_at") if meta else None
        if not isinstance(started, str):
            when = run_id_time(run_id)
            started = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else ""
        return RunListing(
            run_id=run_id,
            meta=meta,
            summary=read_json_object(path / SUMMARY_FILE),
            last_modified=_last_modified(path),
            started_at=started,
        )


def _last_modified(path: Path) -> datetime | None:
    stamps = []
    for name in RUN_FILES:
        try:
            stamps.append((path / name).stat().st_mtime)
        except OSError:
            continue
    if not stamps:
        return None
    return datetime.fromtimestamp(max(stamps), tz=UTC)
