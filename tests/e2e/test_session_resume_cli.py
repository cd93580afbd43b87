"""`peak-trade session --resume`: a replay killed at any moment ends with the figures of a run
that was never stopped, in the same run log with contiguous seq numbers and one more life."""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.session_cli_support import REPO, crashing, events, peak_trade, summary

DEMO = (
    "session",
    "--config",
    str(REPO / "config" / "demo.toml"),
    "--exchange",
    "in_memory",
    "--replay",
    str(REPO / "data" / "btc_eur_1m_synthetic.csv"),
)
RESUME = ("session", "--config", str(REPO / "config" / "demo.toml"))
FIGURES = (
    "steps",
    "candles_processed",
    "signals",
    "orders_submitted",
    "orders_validated",
    "orders_filled",
    "orders_rejected",
    "orders_risk_blocked",
    "simulated_fills",
    "fees_paid",
    "realized_pnl",
    "unrealized_pnl",
    "start_equity",
    "end_equity",
    "max_drawdown_pct",
    "positions",
    "symbols",
)
# What a life writes after its last step; a resumed run re-lives the steps, not these.
CLOSING = {"heartbeat", "alert", "error", "session_ended", "state_changed"}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def crash(spec: str, log_dir: Path, run_id: str) -> subprocess.CompletedProcess[str]:
    """The demo replay, killed (or interrupted) at `spec` (tests/support/crash_session.py)."""
    return crashing(spec, *DEMO, "--log-dir", str(log_dir), "--run-id", run_id)


def resume(log_dir: Path, run_id: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return peak_trade(*RESUME, "--resume", run_id, "--log-dir", str(log_dir), *extra, cwd=REPO)


def figures(run_dir: Path) -> dict[str, Any]:
    recorded = summary(run_dir)
    return {key: recorded[key] for key in FIGURES}


def trading_events(run_dir: Path) -> list[str]:
    """The run's events without seq, time, run-derived ids and lifecycle records."""
    kept = []
    for event in events(run_dir):
        if event["type"] in ("session_resumed", "session_ended"):
            continue
        body = {k: v for k, v in event.items() if k not in ("seq", "ts")}
        kept.append(_UUID.sub("ID", json.dumps(body, sort_keys=True)))
    return kept


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo replay run once without interruption."""
    log_dir = tmp_path_factory.mktemp("baseline")
    done = peak_trade(*DEMO, "--log-dir", str(log_dir), "--run-id", "whole", cwd=REPO)
    assert done.returncode == 0, done.stderr
    return log_dir / "whole"


@pytest.mark.parametrize(
    "spec",
    [
        "session_started:1",  # before the first step
        "order_intent:1",  # between the first order's intent and its result
        "order_intent:37",  # ... and one in the middle of the run
        "simulated_fill:20",  # after a fill, before its step's heartbeat
        "signal:50",  # after a signal, before its order
        "heartbeat:150:half",  # half a line on disk
        "session_ended:1:half",  # every step done, the end half-written
    ],
)
def test_a_replay_killed_anywhere_resumes_to_the_uninterrupted_figures(
    tmp_path: Path, baseline: Path, spec: str
) -> None:
    killed = crash(spec, tmp_path, "run")
    assert killed.returncode == -9, killed.stderr
    run_dir = tmp_path / "run"
    before = (run_dir / "events.jsonl").read_bytes()
    assert b'"session_ended"' not in before.splitlines()[-1] or spec.endswith("half")

    done = resume(tmp_path, "run")

    assert done.returncode == 0, done.stderr
    assert "resuming as life 2 after a crash" in done.stdout
    assert figures(run_dir) == figures(baseline)
    assert summary(run_dir)["status"] == "completed"
    assert trading_events(run_dir) == trading_events(baseline)
    recorded = events(run_dir)
    assert [e["seq"] for e in recorded] == list(range(1, len(recorded) + 1))
    resumed = [e for e in recorded if e["type"] == "session_resumed"]
    assert len(resumed) == 1
    assert resumed[0]["life"] == 2
    assert resumed[0]["cause"] == "crash"
    assert resumed[0]["previous_status"] is None
    lives = summary(run_dir)["lives"]
    assert [(life["life"], life["cause"]) for life in lives] == [(1, "start"), (2, "crash")]


def test_an_interrupted_replay_resumes_as_a_life_caused_by_the_signal(
    tmp_path: Path, baseline: Path
) -> None:
    stopped = crash("order_intent:30:sigint", tmp_path, "run")
    run_dir = tmp_path / "run"
    assert stopped.returncode == 0, stopped.stderr
    assert summary(run_dir)["status"] == "interrupted"

    done = resume(tmp_path, "run")

    assert done.returncode == 0, done.stderr
    assert figures(run_dir) == figures(baseline)
    kinds = [e["type"] for e in events(run_dir)]
    assert kinds.count("session_ended") == 2  # the interrupted life's end, and this one's
    resumed = next(e for e in events(run_dir) if e["type"] == "session_resumed")
    assert (resumed["cause"], resumed["previous_status"]) == ("signal", "interrupted")
    # every trading event of the uninterrupted run, in order (the interrupted life's closing
    # heartbeat sits between them)
    body = [e for e in trading_events(run_dir) if json.loads(e)["type"] not in CLOSING]
    assert body == [e for e in trading_events(baseline) if json.loads(e)["type"] not in CLOSING]


def test_a_run_killed_twice_has_three_lives_and_the_same_figures(
    tmp_path: Path, baseline: Path
) -> None:
    assert crash("order_intent:10", tmp_path, "run").returncode == -9
    second = crashing("order_intent:15", *RESUME, "--resume", "run", "--log-dir", str(tmp_path))
    assert second.returncode == -9, second.stderr

    done = resume(tmp_path, "run")

    assert done.returncode == 0, done.stderr
    assert "resuming as life 3" in done.stdout
    run_dir = tmp_path / "run"
    assert figures(run_dir) == figures(baseline)
    assert [life["life"] for life in summary(run_dir)["lives"]] == [1, 2, 3]
    recorded = events(run_dir)
    assert [e["seq"] for e in recorded] == list(range(1, len(recorded) + 1))


def test_a_completed_run_is_not_resumed(baseline: Path) -> None:
    done = resume(baseline.parent, baseline.name)

    assert done.returncode == 2
    assert "the run completed; there is nothing to resume" in done.stderr


def test_an_unknown_run_id_names_the_directory(tmp_path: Path) -> None:
    done = resume(tmp_path, "no-such-run")

    assert done.returncode == 2
    assert "no-such-run: no such run in" in done.stderr


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (("--symbol", "ETH/EUR"), "--symbol ETH/EUR differs from the recorded BTC/EUR"),
        (("--max-steps", "5"), "--max-steps 5 differs from the recorded None"),
        (("--strategy", "rsi_reversion"), "--strategy rsi_reversion differs"),
        (("--no-logging",), "--no-logging cannot be used"),
    ],
)
def test_a_flag_that_changes_the_recorded_plan_is_refused(
    tmp_path: Path, flags: tuple[str, ...], named: str
) -> None:
    assert crash("order_intent:3", tmp_path, "run").returncode == -9
    before = (tmp_path / "run" / "events.jsonl").read_bytes()

    done = resume(tmp_path, "run", *flags)

    assert done.returncode == 2
    assert named in done.stderr
    assert (tmp_path / "run" / "events.jsonl").read_bytes() == before


def test_a_changed_config_is_refused(tmp_path: Path) -> None:
    assert crash("order_intent:3", tmp_path, "run").returncode == -9
    changed = tmp_path / "demo.toml"
    changed.write_text((REPO / "config" / "demo.toml").read_text() + "\n# edited\n")

    done = peak_trade(
        "session",
        "--config",
        str(changed),
        "--resume",
        "run",
        "--log-dir",
        str(tmp_path),
        cwd=REPO,
    )

    assert done.returncode == 2
    assert "the config differs from the one the run started with" in done.stderr


def test_a_changed_candle_file_is_found_and_the_run_log_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "candles.csv"
    lines = (REPO / "data" / "btc_eur_1m_synthetic.csv").read_text().splitlines(keepends=True)
    data.write_text("".join(lines))
    args = [*DEMO[:-1], str(data), "--log-dir", str(tmp_path), "--run-id", "run"]
    killed = crashing("order_intent:20", *args)
    assert killed.returncode == -9, killed.stderr
    # the same file name, other prices from the 400th candle on
    edited = [_nudge(line) if 400 < n < 900 else line for n, line in enumerate(lines)]
    data.write_text("".join(edited))
    before = (tmp_path / "run" / "events.jsonl").read_bytes()

    done = resume(tmp_path, "run")

    assert done.returncode == 2
    assert "differs from the recorded run at seq" in done.stderr
    assert (tmp_path / "run" / "events.jsonl").read_bytes() == before


def test_a_run_still_going_on_elsewhere_is_not_resumed(tmp_path: Path) -> None:
    assert crash("order_intent:3", tmp_path, "run").returncode == -9
    path = tmp_path / "run" / "events.jsonl"
    with path.open("ab") as held:  # what the running session's writer holds
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        done = resume(tmp_path, "run")

    assert done.returncode == 2
    assert "in use by another process" in done.stderr


def _nudge(line: str) -> str:
    """The same candle 3 % higher (open, high, low, close)."""
    cells = line.rstrip("\n").split(",")
    for index in (1, 2, 3, 4):
        cells[index] = format(round(float(cells[index]) * 1.03, 2), "f")
    return ",".join(cells) + "\n"
