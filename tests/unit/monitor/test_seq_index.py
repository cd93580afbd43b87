"""Event pages go through the seq index: one seek to where the page starts, never a rescan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.runlog_fixtures import T0, FakeRun

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.monitoring.seq_index import SeqIndex
from peak_trade.ports.runlog import LogRecord, ReadStats

RUN = "indexed-run"
WALL = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)


class CountingArchive(RunLogReader):
    """The real reader, recording where each read started and how many records it yielded."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.reads: list[tuple[int, int]] = []

    def read_events(
        self, run_id: str, offset: int, stats: ReadStats | None = None
    ) -> Iterator[LogRecord]:
        count = 0
        try:
            for item in super().read_events(run_id, offset, stats):
                count += 1
                yield item
        finally:
            self.reads.append((offset, count))


def write_run(base: Path, events: int) -> FakeRun:
    run = FakeRun(base, RUN)
    run.meta()
    for i in range(events):
        run.event("heartbeat", T0 + timedelta(seconds=i), equity="10000", position="0")
    return run


def test_the_index_maps_seq_to_where_its_line_starts() -> None:
    index = SeqIndex()
    for seq, start in ((1, 0), (2, 40), (3, 95), (3, 120), (2, 130)):
        index.add(seq, start)  # a seq that does not grow is not indexed
    assert len(index) == 3
    assert index.start_after(0) == (0, 0)
    assert index.start_after(1) == (1, 40)
    assert index.start_after(3) is None
    assert index.position_before(3) == 2


def test_events_since_reads_from_the_indexed_offset_and_only_the_page(tmp_path: Path) -> None:
    write_run(tmp_path, 2000)
    archive = CountingArchive(tmp_path)
    monitor = RunMonitor(archive, SimulatedClock(WALL))
    monitor.view(RUN)  # the first request folds the whole log once
    archive.reads.clear()
    page = monitor.events_page(RUN, since=1500, limit=10)
    assert [e["seq"] for e in page["events"]] == list(range(1501, 1511))
    page_reads = [r for r in archive.reads if r[0] > 0 and r[1] <= 11]
    assert page_reads, archive.reads
    assert all(count < 100 for _, count in archive.reads)  # no read of the whole file
    text = (tmp_path / RUN / "events.jsonl").read_bytes()
    start_of_1501 = sum(len(line) + 1 for line in text.split(b"\n")[:1500])
    assert page_reads[-1][0] == start_of_1501


def test_a_later_request_reads_only_what_was_appended(tmp_path: Path) -> None:
    run = write_run(tmp_path, 300)
    archive = CountingArchive(tmp_path)
    monitor = RunMonitor(archive, SimulatedClock(WALL))
    monitor.view(RUN)
    size = (tmp_path / RUN / "events.jsonl").stat().st_size
    archive.reads.clear()
    for i in range(3):
        run.event("heartbeat", T0 + timedelta(hours=1, seconds=i), equity="10100")
    view = monitor.view(RUN)
    assert archive.reads == [(size, 3)]
    assert (view["events"], view["equity"]) == (303, "10100")


def test_newest_first_pages_cover_every_event_once(tmp_path: Path) -> None:
    write_run(tmp_path, 250)
    monitor = RunMonitor(RunLogReader(tmp_path), SimulatedClock(WALL))
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = monitor.events_latest(RUN, offset=offset, limit=100)
        seen += [e["seq"] for e in page["events"]]
        offset = page["next_offset"]
    assert seen == list(range(250, 0, -1))
