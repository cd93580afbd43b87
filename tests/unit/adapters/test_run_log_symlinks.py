"""The run-log reader (monitor, dashboard, report, resume) never follows a symlink out of a run
directory: a linked meta.json, summary.json or events.jsonl reads as missing."""

from __future__ import annotations

import json
from pathlib import Path

from peak_trade.adapters.runlog.reader import RunLogReader

RUN = "20260105T120000Z-abcdef"


def test_linked_files_inside_a_run_directory_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = {"seq": 1, "ts": "2026-01-05T12:00:00Z", "type": "session_started", "token": "x"}
    (outside / "private.json").write_text(json.dumps(secret))
    (outside / "private.jsonl").write_text(json.dumps(secret) + "\n")
    run = tmp_path / "runs" / RUN
    run.mkdir(parents=True)
    (run / "meta.json").symlink_to(outside / "private.json")
    (run / "summary.json").symlink_to(outside / "private.json")
    (run / "events.jsonl").symlink_to(outside / "private.jsonl")
    reader = RunLogReader(tmp_path / "runs")

    assert reader.meta(RUN) is None
    assert reader.summary(RUN) is None
    assert reader.events(RUN) == []
    assert reader.tail(RUN, 5) == []


def test_plain_files_are_read(tmp_path: Path) -> None:
    run = tmp_path / "runs" / RUN
    run.mkdir(parents=True)
    (run / "meta.json").write_text(json.dumps({"run_id": RUN}))
    (run / "events.jsonl").write_text('{"seq": 1, "ts": "2026-01-05T12:00:00Z", "type": "x"}\n')
    reader = RunLogReader(tmp_path / "runs")

    assert reader.meta(RUN) == {"run_id": RUN}
    assert [e["seq"] for e in reader.events(RUN)] == [1]
