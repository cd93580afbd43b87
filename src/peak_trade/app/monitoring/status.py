"""Run status as the monitor reports it, derived honestly from summary, events and file times.

A run that was killed (SIGKILL, power loss) never writes a final summary: its summary says
`running` (or there is none) while nothing is written any more. Such runs are shown as `stale`
or `unknown (no summary)` together with the time of the last write, never as running.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.domain.symbols import Timeframe

ENDED_STATUSES = frozenset({"completed", "interrupted", "halted", "failed"})
DEFAULT_LIVE_WINDOW_SECONDS = 300
MIN_LIVE_WINDOW_SECONDS = 120
_HEARTBEAT_STEPS = 10  # [run_logging] heartbeat_every_steps default; meta does not record it


@attrs.frozen(kw_only=True)
class RunStatus:
    """The status shown to the user, whether the run still seems alive, and why."""

    status: str
    live: bool
    ended: bool
    note: str = ""


def live_window_seconds(meta: Mapping[str, Any] | None) -> int:
    """How long a run may stay silent and still count as live.

    A replay on a simulated clock writes continuously: MIN_LIVE_WINDOW_SECONDS. A session on the
    system clock writes at least a candle per timeframe and a heartbeat every few polls; three
    of the shorter of those intervals (never under the minimum) is the window.
    """
    if not meta:
        return DEFAULT_LIVE_WINDOW_SECONDS
    if meta.get("clock") == "simulated":
        return MIN_LIVE_WINDOW_SECONDS
    session = meta.get("session")
    if not isinstance(session, Mapping):
        return DEFAULT_LIVE_WINDOW_SECONDS
    try:
        poll = Decimal(str(session.get("poll_interval_seconds")))
        beats = int(str(session.get("heartbeat_every_steps", _HEARTBEAT_STEPS)))
    except (ArithmeticError, ValueError):
        return DEFAULT_LIVE_WINDOW_SECONDS
    if not poll.is_finite() or poll <= 0:
        return DEFAULT_LIVE_WINDOW_SECONDS
    timeframe = _timeframe_seconds(meta.get("timeframe"))
    quiet = poll * max(beats, 1)
    if timeframe is not None:
        quiet = min(quiet, max(poll, Decimal(timeframe)))
    return max(MIN_LIVE_WINDOW_SECONDS, int(quiet * 3))


def _timeframe_seconds(label: object) -> int | None:
    try:
        return Timeframe.parse(str(label)).seconds
    except ValueError:
        return None


def summary_is_final(summary: Mapping[str, Any] | None) -> bool:
    """True when summary.json says the run ended (a final status or an end time)."""
    if not summary:
        return False
    return str(summary.get("status") or "") in ENDED_STATUSES or bool(summary.get("ended_at"))


def derive_status(
    *,
    summary: Mapping[str, Any] | None,
    ended_event: Mapping[str, Any] | None,
    last_write: datetime | None,
    now: datetime,
    live_window: int,
    summary_current: bool = True,
) -> RunStatus:
    """Combine summary.json, a session_ended event and the last write time into a status.

    `summary_current` is False when events.jsonl went on after the summary was written (a run
    killed before its final rewrite, or a resumed run): then the events decide.
    """
    summary_status = str(summary.get("status") or "") if summary else ""
    if summary_is_final(summary) and summary_current:
        return RunStatus(status=summary_status or "ended", live=False, ended=True)
    if ended_event is not None:
        status = str(ended_event.get("status") or "ended")
        note = (
            "summary.json has no final status; status taken from the session_ended event"
            if not summary_is_final(summary)
            else "summary.json is older than events.jsonl; status taken from the events"
        )
        return RunStatus(status=status, live=False, ended=True, note=note)
    age = (now - last_write).total_seconds() if last_write else None
    fresh = age is not None and age <= live_window
    when = f"{int(age)}s ago" if age is not None else "never"
    if summary is not None:
        shown = "running" if summary_is_final(summary) else summary_status or "running"
        if fresh:
            return RunStatus(status=shown, live=True, ended=False)
        return RunStatus(
            status="stale",
            live=False,
            ended=False,
            note=(
                f"summary says {shown!r} but the run log was last written {when}; "
                "the session probably crashed or was killed"
            ),
        )
    if fresh:
        return RunStatus(status="running", live=True, ended=False, note="no summary yet")
    return RunStatus(
        status="unknown (no summary)",
        live=False,
        ended=False,
        note=f"no summary.json and the run log was last written {when}; it may have crashed",
    )
