"""`peak-trade session --resume RUN_ID`: a recorded run's plan, and which life the resumed one is.

The plan comes from the run's meta.json: exchange, strategy, symbols, timeframe, replay files,
--max-steps and --duration as the run started with them. A flag given again must say the same
(else UsageError naming it); the config file must be the one the run started with (its sha256
is in meta.json), since risk limits, sizing and strategy parameters come from it. A run that
completed has nothing left to resume; one that crashed, was interrupted, halted or failed
goes on as its next life.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from peak_trade.app.config import AppConfig
from peak_trade.app.errors import UsageError
from peak_trade.app.monitoring.lives import Lives
from peak_trade.app.plan import SessionRequest
from peak_trade.app.session.resume import CAUSES, ResumeInfo
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.runlog import RunArchivePort, UnknownRunError

FORMAT_VERSION = 2


def recorded_request(
    archive: RunArchivePort, run_id: str, typed: SessionRequest, config: AppConfig
) -> tuple[SessionRequest, ResumeInfo]:
    """The request that resumes `run_id` (its recorded plan) and the resume facts; raises
    UsageError for an unknown or completed run, a changed config or a conflicting flag."""
    flag = f"--resume {run_id}"
    try:
        archive.require(run_id)
    except UnknownRunError as exc:
        near = f"; close matches: {', '.join(exc.suggestions)}" if exc.suggestions else ""
        raise UsageError(f"{flag}: no such run in {archive.location}{near}") from None
    meta = archive.meta(run_id)
    if meta is None:
        raise UsageError(f"{flag}: the run has no meta.json; it cannot be resumed")
    if meta.get("format_version") != FORMAT_VERSION:
        raise UsageError(
            f"{flag}: run log format {meta.get('format_version')!r}; only format "
            f"{FORMAT_VERSION} runs can be resumed"
        )
    if typed.no_logging:
        raise UsageError(f"{flag}: --no-logging cannot be used; the run log is what goes on")
    recorded_sha = meta.get("config_sha256")
    if recorded_sha != config.sha256:
        raise UsageError(
            f"{flag}: the config differs from the one the run started with "
            f"({meta.get('config_path')}, sha256 {str(recorded_sha)[:12]}...; now {config.path}, "
            f"sha256 {config.sha256[:12]}...); resume with the same config file"
        )
    info = resume_info(meta, _records(archive, run_id), run_id)
    return _request(meta, typed, flag), info


def resume_info(
    meta: Mapping[str, Any], events: Iterable[Mapping[str, Any]], run_id: str = ""
) -> ResumeInfo:
    """Which life comes next and why, from the recorded lifecycle events."""
    lives = Lives()
    last_seq = 0
    for event in events:
        kind = event.get("type")
        if kind == "session_started":
            lives.started(event)
        elif kind == "session_resumed":
            lives.resumed(event)
        elif kind == "session_ended":
            lives.ended(event)
        seq = event.get("seq")
        if isinstance(seq, int):
            last_seq = seq
    current = lives.current
    if current is None:
        raise UsageError(f"--resume {run_id}: the run recorded no start; start a new run instead")
    status = current.status if lives.last_ended else None
    if status == "completed":
        raise UsageError(f"--resume {run_id}: the run completed; there is nothing to resume")
    return ResumeInfo(
        life=len(lives) + 1,
        cause=CAUSES.get(status, "crash"),
        previous_status=status,
        last_seq=last_seq,
        first_started_at=_time(meta.get("started_at")),
        previous_lives=tuple(
            _life_row(life.as_dict(), meta.get("started_at")) for life in lives.items
        ),
        replay=meta.get("replay") is not None,
    )


def _records(archive: RunArchivePort, run_id: str) -> Iterable[Mapping[str, Any]]:
    return (line.record for line in archive.read_events(run_id, 0))


def _life_row(life: Mapping[str, Any], run_started_at: object) -> dict[str, Any]:
    """A life as summary.json lists it (`life`, `started_at` on the wall clock, `cause`, how
    it ended): the first life started when the run did, later ones when they resumed."""
    first = life["life"] == 1 and isinstance(run_started_at, str)
    return {
        "life": life["life"],
        "started_at": run_started_at if first else life.get("resumed_at"),
        "cause": life.get("cause") or "start",
        "status": life.get("status") or "crash",
    }


def _request(meta: Mapping[str, Any], typed: SessionRequest, flag: str) -> SessionRequest:
    replay = meta.get("replay")
    recorded = SessionRequest(
        exchange=str(meta["exchange"]),
        strategy=str(meta["strategy"]["name"]),
        symbols=tuple(str(s) for s in meta["symbols"]),
        timeframe=str(meta["timeframe"]),
        duration=None if meta.get("duration_minutes") is None else str(meta["duration_minutes"]),
        max_steps=meta.get("max_steps"),
        replays=tuple(f"{s}={p}" for s, p in replay.items()) if replay else (),
        dry_run=typed.dry_run,
        run_id=str(meta["run_id"]),
        log_dir=typed.log_dir,
        no_logging=False,
    )
    conflicts = [
        _conflict("--exchange", typed.exchange, recorded.exchange),
        _conflict("--strategy", typed.strategy, recorded.strategy),
        _conflict("--timeframe", typed.timeframe, recorded.timeframe, _timeframe_key),
        _conflict("--duration", typed.duration, recorded.duration, _decimal_key),
        _conflict("--max-steps", typed.max_steps, recorded.max_steps),
        _conflict("--run-id", typed.run_id, recorded.run_id),
        _conflict_many("--symbol", typed.symbols, recorded.symbols, _symbol_key),
        _conflict_many("--replay", typed.replays, recorded.replays, _replay_key),
    ]
    problems = [c for c in conflicts if c]
    if problems:
        raise UsageError(
            f"{flag}: a resumed run keeps the plan it started with (meta.json); "
            + "; ".join(problems)
        )
    return recorded


def _conflict(name: str, given: Any, recorded: Any, key: Any = None) -> str:
    if given is None:
        return ""
    same = (
        key(given) == key(recorded)
        if key is not None and recorded is not None
        else (given == recorded)
    )
    return "" if same else f"{name} {given} differs from the recorded {recorded}"


def _conflict_many(name: str, given: Sequence[str], recorded: Sequence[str], key: Any) -> str:
    if not given:
        return ""
    if sorted(map(key, given)) == sorted(map(key, recorded)):
        return ""
    return f"{name} {' '.join(given)} differs from the recorded {' '.join(recorded)}"


def _symbol_key(text: str) -> str:
    try:
        return str(Symbol.parse(text))
    except ValueError:
        return text


def _replay_key(text: str) -> str:
    """The file a --replay names (a bare PATH is compared by its file alone)."""
    _symbol, _, path = text.rpartition("=")
    return str(Path(path).resolve())


def _timeframe_key(text: str) -> str:
    try:
        return Timeframe.parse(text).label
    except ValueError:
        return text


def _decimal_key(text: Any) -> Any:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return text


def _time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
