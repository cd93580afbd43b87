"""RunLogReader (the RunArchivePort on disk): tolerant of crashed runs, strict about run ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support.runlog_fixtures import T0, FakeRun, seed_run

from peak_trade.adapters.runlog.jsonl import iter_jsonl, tail_jsonl
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.ports.runlog import ReadStats, RunArchivePort, UnknownRunError

RUN = "20260105T120000Z-a1b2c3"


def write_lines(path: Path, text: str) -> None:
    path.write_text(text)


def test_a_truncated_last_line_is_left_unread_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, '{"seq": 1}\n{"seq": 2}\n{"seq": 3, "ts": "2026-')
    stats = ReadStats()
    items = list(iter_jsonl(path, 0, stats))
    assert [i.record["seq"] for i in items] == [1, 2]
    assert stats.partial_tail is True
    assert items[-1].end_offset == len('{"seq": 1}\n{"seq": 2}\n')


def test_reading_on_from_an_offset_picks_up_the_completed_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, '{"seq": 1}\n{"seq": 2, "ty')
    [first] = list(iter_jsonl(path))
    with path.open("a") as handle:
        handle.write('pe": "candle"}\n{"seq": 3}\n')
    rest = list(iter_jsonl(path, first.end_offset))
    assert [r.record for r in rest] == [{"seq": 2, "type": "candle"}, {"seq": 3}]


def test_a_complete_last_line_without_newline_is_read(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, '{"seq": 1}\n{"seq": 2}')
    assert [i.record["seq"] for i in iter_jsonl(path)] == [1, 2]


def test_corrupt_middle_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, '{"seq": 1}\nnot json\n[1, 2]\n\n{"seq": 4}\n')
    stats = ReadStats()
    assert [i.record["seq"] for i in iter_jsonl(path, 0, stats)] == [1, 4]
    assert stats.bad_lines == 2


def test_numbers_with_a_fraction_are_read_as_decimal_not_float(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, '{"x": 0.1}\n')
    [item] = iter_jsonl(path)
    assert str(item.record["x"]) == "0.1"
    assert not isinstance(item.record["x"], float)


def test_tail_returns_the_last_lines_of_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(
        "".join(json.dumps({"seq": i, "pad": "x" * 200}) + "\n" for i in range(1, 2001))
    )
    assert [r["seq"] for r in tail_jsonl(path, 3)] == [1998, 1999, 2000]


def test_tail_skips_a_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    write_lines(path, '{"seq": 1}\n{"seq": 2}\n{"seq": 3, "t')
    assert [r["seq"] for r in tail_jsonl(path, 5)] == [1, 2]


def test_list_runs_is_newest_first_and_ignores_foreign_entries(tmp_path: Path) -> None:
    seed_run(tmp_path, "20260105T120000Z-a1b2c3")
    seed_run(tmp_path, "20260106T090000Z-0000ff").meta(started_at="2026-01-06T09:00:00Z")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "has space").mkdir()
    assert [r.run_id for r in RunLogReader(tmp_path).listings()] == ["20260106T090000Z-0000ff", RUN]


def test_list_runs_of_a_missing_directory_is_empty(tmp_path: Path) -> None:
    assert RunLogReader(tmp_path / "nope").listings() == []


@pytest.mark.parametrize(
    "run_id",
    ["..", ".", "../" + RUN, "/etc/passwd", RUN + "/../x", RUN + "\x00", "a" * 500, "", RUN + "\n"],
)
def test_anything_but_an_existing_run_id_is_not_found(tmp_path: Path, run_id: str) -> None:
    seed_run(tmp_path / "runs", RUN)
    reader = RunLogReader(tmp_path / "runs")
    assert reader.find(run_id) is None
    with pytest.raises(UnknownRunError):
        reader.require(run_id)


def test_a_symlink_to_outside_is_not_a_run(tmp_path: Path) -> None:
    (tmp_path / "runs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "runs" / "20260105T120000Z-abcdef").symlink_to(tmp_path / "elsewhere")
    assert RunLogReader(tmp_path / "runs").run_ids() == []


def test_unknown_run_lists_near_matches(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    seed_run(tmp_path, "20260105T130000Z-ffffff")
    with pytest.raises(UnknownRunError) as caught:
        RunLogReader(tmp_path).require("20260105T120000Z-a1b2c4")
    assert caught.value.suggestions[0] == RUN


def test_events_since_and_limit_page_through_by_seq(tmp_path: Path) -> None:
    run = FakeRun(tmp_path, RUN)
    for _ in range(10):
        run.event("heartbeat", T0)
    reader = RunLogReader(tmp_path)
    assert [e["seq"] for e in reader.events(RUN, since=3, limit=4)] == [4, 5, 6, 7]


def test_alerts_are_paginated_with_a_total(tmp_path: Path) -> None:
    run = FakeRun(tmp_path, RUN)
    for i in range(5):
        run.alert(T0, "warning", f"rule{i}", "m")
    page, total = RunLogReader(tmp_path).alerts(RUN, offset=3, limit=10)
    assert ([a["rule"] for a in page], total) == (["rule3", "rule4"], 5)


def test_a_run_without_meta_or_summary_is_still_listed(tmp_path: Path) -> None:
    FakeRun(tmp_path, RUN).event("session_started", T0)
    [listing] = RunLogReader(tmp_path).listings()
    assert (listing.meta, listing.summary, listing.started_at) == (
        None,
        None,
        "2026-01-05T12:00:00Z",
    )


def test_the_run_log_reader_is_a_run_archive(tmp_path: Path) -> None:
    assert isinstance(RunLogReader(tmp_path), RunArchivePort)
