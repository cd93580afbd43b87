"""MonitorCommand in-process: rich tables on a terminal, plain text when piped, NO_COLOR and
FORCE_COLOR, --json with statistics and round trips, --follow from the current end."""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.support.runlog_fixtures import T0, seed_failed_run, seed_replay_run, seed_run

from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.cli import monitor as monitor_command
from peak_trade.app.cli.monitor import MonitorCommand, UnknownRunIdError
from peak_trade.app.cli.monitor_render import clean, rich_events
from peak_trade.app.monitoring.monitor import RunMonitor

RUN = "20260105T120000Z-a1b2c3"
COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[[0-9;]*;3[0-7]")


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


def run(
    base: Path,
    *argv: str,
    tty: bool = False,
    clock: ScriptedClock | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    clock = clock or ScriptedClock([])
    out = io.StringIO()
    command = MonitorCommand(
        RunMonitor(RunLogReader(base), clock), clock, out, tty=tty, environ=environ, width=140
    )
    assert command.run(parse(*argv)) == 0
    return out.getvalue()


def test_a_terminal_gets_coloured_tables_and_a_pipe_plain_text(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    assert COLOUR.search(run(tmp_path, "--list", tty=True))
    plain = run(tmp_path, "--list")
    assert "\x1b[" not in plain
    assert plain.splitlines()[1].startswith(f"{RUN}\tcompleted\t")


def test_no_color_keeps_the_tables_and_drops_every_escape(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    text = run(tmp_path, "--latest", tty=True, environ={"NO_COLOR": "1"})
    assert "\x1b[" not in text
    assert "Realized" in text  # the rich symbols table, not the piped key: value lines


def test_force_color_gives_a_pipe_coloured_tables(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    text = run(tmp_path, "--latest", environ={"FORCE_COLOR": "1"})
    assert COLOUR.search(text)
    both = run(tmp_path, "--latest", environ={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both


def test_json_output_carries_view_statistics_trips_events_and_alerts(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "replay")
    payload = json.loads(run(tmp_path, "--latest", "--json", "--tail", "2", "--alerts"))
    assert payload["run"]["run_id"] == "replay"
    stats = payload["run"]["statistics"]
    assert stats["round_trips"] == len(payload["round_trips"]) > 0
    assert [e["type"] for e in payload["events"]][-1] == "session_ended"
    assert [a["rule"] for a in payload["alerts"]] == ["risk_blocked"]


def test_text_and_json_show_the_same_figures(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "replay")
    view = json.loads(run(tmp_path, "--latest", "--json"))["run"]
    text = run(tmp_path, "--latest", "--trips", "3")
    win_rate = f"{float(view['statistics']['win_rate_pct']):.2f}%"
    assert f"win rate: {win_rate}" in text
    assert f"equity: {float(view['equity']):.2f} EUR" in text
    trips = text.split("EXIT REASON\n")[1].splitlines()
    assert len(trips) == 3
    assert trips[-1].split("\t")[-1] == "end_of_run"


def test_a_failed_run_leads_with_its_cause(tmp_path: Path) -> None:
    seed_failed_run(tmp_path)
    lines = run(tmp_path, "--latest").splitlines()
    assert lines[0] == "run failed-run  [failed]"
    assert lines[1].startswith("CRITICAL: Session failed: ExchangeAuthError")
    assert "trading: stopped (failed); last state active" in lines


def test_tail_defaults_to_twenty_events() -> None:
    assert parse("--tail").tail == 20


def test_unknown_run_id_names_near_matches(tmp_path: Path) -> None:
    seed_run(tmp_path, RUN)
    with pytest.raises(UnknownRunIdError, match=f"near matches: {RUN}"):
        run(tmp_path, "--run-id", RUN[:-1] + "4")


def test_log_text_cannot_inject_terminal_escapes() -> None:
    event = {"seq": 1, "ts": "t", "type": "error", "message": "boom\x1b[2J\x1b]0;pwned\x07\nnext"}
    out = io.StringIO()
    from rich.console import Console

    Console(file=out, force_terminal=True, width=200).print(rich_events([event], 200))
    assert "\x1b[2J" not in out.getvalue()
    assert "\x07" not in out.getvalue()
    assert clean("a\nb\x1b[31mc") == "a b?[31mc"


def test_piped_follow_prints_only_events_written_after_it_started(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)
    first_new = run_log.seq + 1

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
    streamed = [line.split("\t") for line in lines if line[:1].isdigit() and "\t" in line]
    assert [(int(s[0]), s[2]) for s in streamed] == [
        (first_new, "heartbeat"),
        (first_new + 1, "session_ended"),
    ]
    assert out.count("SEQ\tTIME\tTYPE") == 1
    assert lines[-1] == "stopped following: the run has ended (status completed)"


def test_follow_from_start_replays_every_event_then_the_final_view(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)

    def end() -> None:
        run_log.event("session_ended", T0 + timedelta(minutes=31), status="interrupted")

    clock = ScriptedClock([end])
    out = run(tmp_path, "--run-id", RUN, "--follow", "--json", "--from-start", clock=clock)
    records = [json.loads(line) for line in out.splitlines()]
    assert records[-2]["event"]["type"] == "session_ended"
    assert records[-1]["run"]["status"] == "interrupted"
    assert len(records) == run_log.seq + 1


def test_follow_json_without_from_start_skips_the_past(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)

    def end() -> None:
        run_log.event("session_ended", T0 + timedelta(minutes=31), status="interrupted")

    out = run(tmp_path, "--run-id", RUN, "--follow", "--json", clock=ScriptedClock([end]))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["event"]["seq"] for r in records[:-1]] == [run_log.seq]


def test_follow_on_a_terminal_redraws_one_view_until_the_run_ends(tmp_path: Path) -> None:
    run_log = seed_run(tmp_path, RUN, finished=False)

    def end() -> None:
        run_log.event("session_ended", T0 + timedelta(minutes=31), status="completed")

    clock = ScriptedClock([end])
    out = run(tmp_path, "--run-id", RUN, "--follow", tty=True, clock=clock)
    assert clock.sleeps == 1
    assert "stopped following: the run has ended (status completed)" in out
    assert "following every 2s" in out


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
    assert cells["STARTED"] == "2026-01-05 12:00:00"
    listed = json.loads(run(tmp_path, "--list", "--json"))["runs"][0]
    assert listed["end_equity"] == "9743.2636230074031044"
    assert listed["started_at"] == "2026-01-05T12:00:00.899747Z"
