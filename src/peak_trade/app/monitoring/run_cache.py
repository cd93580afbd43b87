"""RunCache: each run's digest, folded incrementally, and its round trips and statistics.

A request brings a run's digest up to date by reading only the bytes appended to events.jsonl
since the previous request (from the offset it stopped at), indexing where each event starts.
Round trips and statistics are recomputed only when the run has new events. The least recently
used runs are dropped beyond `capacity`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from peak_trade.app.monitoring.digest import RunDigest, timeframe_seconds
from peak_trade.app.monitoring.performance import RunPerformance, run_performance
from peak_trade.app.monitoring.run_facts import get, run_symbols
from peak_trade.ports.runlog import ReadStats, RunArchivePort

CACHED_RUNS = 8  # digests kept in memory (least recently used dropped first)


@attrs.define
class RunEntry:
    """One run's digest, read stats and results cached until the run has new events."""

    digest: RunDigest
    stats: ReadStats = attrs.field(factory=ReadStats)
    lock: threading.RLock = attrs.field(factory=threading.RLock)
    performance: tuple[int, RunPerformance] | None = None


class RunCache:
    """Digests of the runs of one archive, each behind its own lock."""

    def __init__(self, archive: RunArchivePort, capacity: int = CACHED_RUNS) -> None:
        self._reader = archive
        self._capacity = capacity
        self._entries: OrderedDict[str, RunEntry] = OrderedDict()
        self._lock = threading.Lock()

    @contextmanager
    def run(self, run_id: str, meta: dict[str, Any] | None) -> Iterator[RunEntry]:
        """The run's cache entry, brought up to date with the events appended since, locked."""
        self._reader.require(run_id)
        with self._lock:
            entry = self._entries.get(run_id)
            if entry is None:
                entry = self._entries[run_id] = RunEntry(digest=self._new_digest(run_id, meta))
            self._entries.move_to_end(run_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        with entry.lock:
            self.refresh(run_id, entry)
            yield entry

    def _new_digest(self, run_id: str, meta: dict[str, Any] | None) -> RunDigest:
        meta = meta if meta is not None else self._reader.meta(run_id)
        symbols = run_symbols(meta, None, None)
        return RunDigest(
            default_symbol=symbols[0] if symbols else None,
            timeframe_seconds=timeframe_seconds(get(meta, "timeframe")),
        )

    def refresh(self, run_id: str, entry: RunEntry) -> None:
        digest = entry.digest
        if self._reader.events_size(run_id) < digest.offset:  # replaced: start over
            entry.digest = digest = self._new_digest(run_id, None)
            entry.stats = ReadStats()
            entry.performance = None
        entry.stats.partial_tail = False
        start = digest.offset
        index, fold = digest.index, digest.fold
        for item in self._reader.read_events(run_id, digest.offset, entry.stats):
            record = item.record
            index.add(record.get("seq"), start)
            fold(record)
            start = item.end_offset
        digest.offset = start

    def performance(self, entry: RunEntry) -> RunPerformance:
        cached = entry.performance
        if cached is not None and cached[0] == entry.digest.events:
            return cached[1]
        perf = run_performance(entry.digest)
        entry.performance = (entry.digest.events, perf)
        return perf
