"""RunLogReader: read-only access to the run logs of running, ended or crashed runs (design 6).

A run id is only ever used after it has been found among the directories that exist under the
base directory; it is never joined into a path on its own.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from peak_trade.adapters.runlog.jsonl import (
    JsonlRecord,
    JsonlStats,
    iter_jsonl,
    read_json_object,
    tail_jsonl,
)

AUTO_RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
CUSTOM_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_RUN_ID_LENGTH = 64

META_FILE = "meta.json"
EVENTS_FILE = "events.jsonl"
ALERTS_FILE = "alerts.jsonl"
SUMMARY_FILE = "summary.json"


class UnknownRunError(LookupError):
    """No run with this id exists under the base directory; `suggestions` are near matches."""

    def __init__(self, run_id: str, suggestions: tuple[str, ...]) -> None:
        shown = run_id if len(run_id) <= MAX_RUN_ID_LENGTH else run_id[:MAX_RUN_ID_LENGTH] + "..."
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no run {shown!r}{hint}")
        self.run_id = run_id
        self.suggestions = suggestions


def is_valid_run_id(run_id: object) -> bool:
    """True when `run_id` has the shape of a run id (generated or custom)."""
    return isinstance(run_id, str) and CUSTOM_RUN_ID.fullmatch(run_id) is not None


def run_id_time(run_id: str) -> datetime | None:
    """The UTC start time encoded in a generated run id, else None."""
    if not AUTO_RUN_ID.fullmatch(run_id):
        return None
    try:
        return datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


@attrs.frozen(kw_only=True)
class RunListing:
    """One run directory: its id, meta and summary (None when missing) and last file change."""

    run_id: str
    path: Path
    meta: dict[str, Any] | None
    summary: dict[str, Any] | None
    last_modified: datetime | None
    started_at: str

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.started_at, self.run_id)


class RunLogReader:
    """Reads the runs under one base directory; never writes."""

    def __init__(self, base_dir: Path) -> None:
        self._base_dir = Path(base_dir)

    @property
    def base_dir(self) -> Path:
        return self._base_dir

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

    def require(self, run_id: str) -> Path:
        """Like `find`, but an unknown id raises UnknownRunError with near matches."""
        path = self.find(run_id)
        if path is None:
            candidates = self.run_ids()
            probe = run_id[: MAX_RUN_ID_LENGTH * 2]
            near = difflib.get_close_matches(probe, candidates, n=5, cutoff=0.5)
            raise UnknownRunError(run_id, tuple(near))
        return path

    def meta(self, run_id: str) -> dict[str, Any] | None:
        return read_json_object(self.require(run_id) / META_FILE)

    def summary(self, run_id: str) -> dict[str, Any] | None:
        return read_json_object(self.require(run_id) / SUMMARY_FILE)

    def events(
        self, run_id: str, *, since: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Events with seq > since, oldest first, at most `limit` of them."""
        found: list[dict[str, Any]] = []
        for item in iter_jsonl(self.require(run_id) / EVENTS_FILE):
            seq = item.record.get("seq")
            if isinstance(seq, int) and seq <= since:
                continue
            found.append(item.record)
            if limit is not None and len(found) >= limit:
                break
        return found

    def iter_events_from(
        self, run_id: str, offset: int, stats: JsonlStats | None = None
    ) -> Iterator[JsonlRecord]:
        """Stream events from a byte offset (for incremental readers)."""
        return iter_jsonl(self.require(run_id) / EVENTS_FILE, offset, stats)

    def tail(self, run_id: str, count: int) -> list[dict[str, Any]]:
        """The last `count` events."""
        return tail_jsonl(self.require(run_id) / EVENTS_FILE, count)

    def alerts(
        self, run_id: str, *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Alerts `offset`..`offset+limit` (oldest first) and the total number of alerts."""
        page: list[dict[str, Any]] = []
        total = 0
        for item in iter_jsonl(self.require(run_id) / ALERTS_FILE):
            if total >= offset and (limit is None or len(page) < limit):
                page.append(item.record)
            total += 1
        return page, total

    def last_modified(self, run_id: str) -> datetime | None:
        """Latest modification time of the run's files (UTC), None when it has none."""
        return _last_modified(self.require(run_id))

    def listing(self, run_id: str) -> RunListing:
        """Meta, summary and activity of one run."""
        path = self.require(run_id)
        meta = read_json_object(path / META_FILE)
        started = meta.get("started_at") if meta else None
        if not isinstance(started, str):
            when = run_id_time(run_id)
            started = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else ""
        return RunListing(
            run_id=run_id,
            path=path,
            meta=meta,
            summary=read_json_object(path / SUMMARY_FILE),
            last_modified=_last_modified(path),
            started_at=started,
        )


def list_runs(base_dir: Path) -> list[RunListing]:
    """Every run under `base_dir`, newest first (by start time, then id)."""
    reader = RunLogReader(base_dir)
    runs = [reader.listing(run_id) for run_id in reader.run_ids()]
    return sorted(runs, key=lambda r: r.sort_key, reverse=True)


def _last_modified(path: Path) -> datetime | None:
    stamps = []
    for name in (EVENTS_FILE, SUMMARY_FILE, META_FILE, ALERTS_FILE):
        try:
            stamps.append((path / name).stat().st_mtime)
        except OSError:
            continue
    if not stamps:
        return None
    return datetime.fromtimestamp(max(stamps), tz=UTC)
