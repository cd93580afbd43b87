"""MonitorCommand in-process: terminal vs piped output, --json, --follow until the run ends."""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.support.runlog_fixtures import T0, seed_run

from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.cli import monitor as monitor_command
from peak_trade.app.cli.monitor import MonitorCommand, UnknownRunIdError
from peak_trade.app.cli.monitor_render import Style, render_events
from peak_trade.app.monitoring.monitor import RunMonitor

RUN = "20260105T120000Z-a1b2c3"


class ScriptedClock:
    """A clock whose sleep runs the next scripted action (the session writing meanwhile)."""

    def __init__(self, actions: list[Callable[[], None]]) -> None:
        self._now = datetime.now(UTC)
        self._actions = actions
        self.sleeps = 0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return 0.0

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        if self._actions:
            self._actions.pop(0)()


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    monitor_command.add_parser(parser.add_subparsers())
    return parser.parse_args(["monitor", *argv])


def run(base: Path, *argv: str, tty: bool = False, clock: ScriptedClock | None = None) -> str:
    clock = clock or ScriptedClock([])
    out = io.StringIO()
    code = MonitorCommand(RunMonitor(RunLogReader(base), clock), clock, out, tty=tty).run(
        parse(*argv)
    )
    assert code == 0
    return out.getvalue()


def test_terminal_output_is_coloured_and_piped_output_is_plain(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    assert "\x1b[" in run(tmp_path, "--list", tty=True)
    plain = run(tmp_path, "--list")
    assert "\x1b[" not in plain
    assert plain.splitlines()[1].startswith(f"{RUN}\tcompleted\t")


def test_json_output_carries_view_events_and_alerts(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    payload = json.loads(run(tmp_path, "--latest", "--json", "--tail", "2", "--alerts"))
    assert payload["run"]["run_id"] == RUN
    assert [e["type"] for e in payload["events"]] == ["alert", "session_ended"]
    assert [a["rule"] for a in payload["alerts"]] == ["risk_blocked", "drawdown"]


def test_tail_defaults_to_twenty_events(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    assert parse("--tail").tail == 20


def test_unknown_run_id_names_near_matches(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    with pytest.raises(UnknownRunIdError, match=f"near matches: {RUN}"):
        run(tmp_path, "--run-id", RUN[:-1] + "4")


def test_log_text_cannot_inject_terminal_escapes(tmp_path: Path) -> None:
    event = {"seq": 1, "ts": "t", "type": "error", "message": "boom\x1b[2J\x1b]0;pwned\x07\nnext"}
    text = render_events([event], Style(tty=True))
    assert "\x1b[2J" not in text
    assert "\x07" not in text
    assert "\n" not in text.splitlines()[-1]


def test_events_on_a_terminal_fit_its_width(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    events = RunMonitor(RunLogReader(tmp_path), ScriptedClock([])).tail(RUN, 10)
    text = render_events(events, Style(tty=True, width=100))
    lines = [ln for ln in (re.sub(r"\x1b\[[0-9;]*m", "", ln) for ln in text.splitlines())]
    assert len(lines) == 12  # header, rule, 10 events: none wrapped onto a second line
    assert max(len(ln) for ln in lines) <= 99
    wide = render_events(events, Style(tty=True, width=400))
    assert max(len(ln) for ln in wide.splitlines()) > 100  # a wide terminal shows more


def test_follow_streams_new_events_until_the_run_ends(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)

    def more() -> None:
        run_log.event("heartbeat", T0 + timedelta(minutes=30), equity="10070", position="0")

    def end() -> None:
        run_log.event("session_ended", T0 + timedelta(minutes=31), status="completed")
        run_log.summary(status="completed", ended_at="2026-01-05T12:31:00Z", end_equity="10070")

    clock = ScriptedClock([more, end])
    out = run(tmp_path, "--run-id", RUN, "--follow", "--interval", "0.1", clock=clock)
    assert clock.sleeps == 2
    lines = out.splitlines()
    assert lines[0] == f"run {RUN}  [running]"
    streamed = [line.split("\t")[2] for line in lines if line[:1].isdigit() and "\t" in line]
    assert streamed[-2:] == ["heartbeat", "session_ended"]
    assert out.count("SEQ\tTIME\tTYPE") == 1
    assert lines[-1] == "stopped following: the run has ended (status completed)"


def test_follow_json_emits_one_event_per_line_then_the_final_view(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)

    def end() -> None:
        run_log.event("session_ended", T0 + timedelta(minutes=31), status="interrupted")

    out = run(tmp_path, "--run-id", RUN, "--follow", "--json", clock=ScriptedClock([end]))
    records = [json.loads(line) for line in out.splitlines()]
    assert records[-2]["event"]["type"] == "session_ended"
    assert records[-1]["run"]["status"] == "interrupted"
    assert len(records) == run_log.seq + 1


def test_follow_on_a_dead_run_stops_at_once(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)
    run_log.touch(datetime.now(UTC) - timedelta(hours=2))
    clock = ScriptedClock([])
    out = run(tmp_path, "--run-id", RUN, "--follow", clock=clock)
    assert clock.sleeps == 0
    assert "stopped following: the run is not live any more (status unknown (no summary))" in out


def test_list_rounds_equity_and_start_time_for_people_but_json_keeps_full_precision(
    tmp_path: Path,
) -> None:
    seed_run(tmp_path, RUN).meta(started_at="2026-01-05T12:00:00.899747Z")
    summary = json.loads((tmp_path / RUN / "summary.json").read_text())
    summary["end_equity"] = "9743.2636230074031044"
    (tmp_path / RUN / "summary.json").write_text(json.dumps(summary))
    header, row = run(tmp_path, "--list").strip().splitlines()
    cells = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert cells["END EQUITY"] == "9743.26"
    assert cells["STARTED"] == "2026-01-05T12:00:00Z"
    listed = json.loads(run(tmp_path, "--list", "--json"))["runs"][0]
    assert listed["end_equity"] == "9743.2636230074031044"
    assert listed["started_at"] == "2026-01-05T12:00:00.899747Z"
