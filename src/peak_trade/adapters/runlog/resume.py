"""Reopening a run log to resume its run, and replaying its recorded events for verification.

`last_complete_event(path)` says where an events file may be continued: after its last whole
line (a SIGKILL can leave half a line behind), with the seq that line carries.
`VerifyingRunLog` sits in front of a reopened writer while a replay is re-simulated from its
start: each event the session produces must equal the next recorded one (same type and
payload), so the resumed run provably continues the same run; once the record is used up (or
only the previous life's closing events remain) it writes for real.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from peak_trade.adapters.runlog.jsonl import iter_jsonl
from peak_trade.adapters.runlog.writer import RunLogWriter, jsonable
from peak_trade.ports.events import EventType, ResumeMismatchError

_BLOCK = 1 << 16
# What a previous life writes after its last step (it ended, failed or was stopped): these
# need not be reproduced; the resumed life's own events follow them.
CLOSING_TYPES = frozenset({"heartbeat", "alert", "error", "session_ended", "state_changed"})


def last_complete_event(path: Path) -> tuple[int, int]:
    """(seq of the last whole event line, byte size up to and including its newline)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0, 0
    with path.open("rb") as handle:
        position, tail = size, b""
        while position > 0:
            step = min(_BLOCK, position)
            position -= step
            handle.seek(position)
            tail = handle.read(step) + tail
            lines = tail.split(b"\n")
            # lines[-1] is after the last newline (b"" or a partial line); look at whole ones
            for index in range(len(lines) - 2, 0 if position > 0 else -1, -1):
                seq = _seq_of(lines[index])
                if seq is not None:
                    end = position + sum(len(line) + 1 for line in lines[: index + 1])
                    return seq, end
            if position == 0:
                break
    return 0, 0


def _seq_of(line: bytes) -> int | None:
    try:
        record = json.loads(line, parse_float=Decimal)
    except ValueError:
        return None
    seq = record.get("seq") if isinstance(record, dict) else None
    return seq if isinstance(seq, int) else None


class VerifyingRunLog:
    """EventLogPort for a resumed replay: checks re-simulated events against the record, then
    writes what comes after it (EventLogPort contract otherwise).

    Earlier lives' endings in the record (their closing events, then `session_resumed`) are
    not re-simulated and are passed over. When the record is used up (or only the last life's
    closing events are left) it appends `session_resumed` (the payload `resumed()` returns,
    plus `verified_events`) and from then on writes through. A mismatch raises
    ResumeMismatchError and every later write raises too: a run that does not continue its
    record never adds to it.
    """

    def __init__(
        self,
        writer: RunLogWriter,
        recorded: Path,
        *,
        resumed: Callable[[], Mapping[str, Any]],
    ) -> None:
        self._writer = writer
        self._records: Iterator[dict[str, Any]] = (r.record for r in iter_jsonl(recorded))
        self._ahead: deque[dict[str, Any]] = deque()  # records looked at but not used yet
        self._resumed = resumed
        self._mismatch: str | None = None
        self._done = False
        self.verified = 0
        if self._peek(0) is None:
            self._catch_up()

    @property
    def run_id(self) -> str:
        return self._writer.run_id

    @property
    def catching_up(self) -> bool:
        """True while re-simulated events are still checked against the record."""
        return not self._done

    def write_meta(self, meta: Mapping[str, Any]) -> None:
        """meta.json stays as the run's first life wrote it."""

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int:
        if self._mismatch is not None:
            raise ResumeMismatchError(self._mismatch)
        while not self._done:
            recorded = self._peek(0)
            assert recorded is not None
            if _same(recorded, event_type, payload):
                self.verified += 1
                self._ahead.popleft()
                if self._peek(0) is None:
                    self._catch_up()
                return int(recorded["seq"])
            if not self._pass_over_an_ending():
                self._mismatch = (
                    f"the re-simulated replay differs from the recorded run at seq "
                    f"{recorded.get('seq')} (recorded {recorded.get('type')}, re-simulated "
                    f"{event_type.value}): its candle file, config or peak_trade version "
                    "changed since the run started, so it cannot be continued"
                )
                raise ResumeMismatchError(self._mismatch)
        return self._writer.append(event_type, payload, durable=durable)

    def _peek(self, index: int) -> dict[str, Any] | None:
        while len(self._ahead) <= index:
            record = next(self._records, None)
            if record is None:
                return None
            self._ahead.append(record)
        return self._ahead[index]

    def _pass_over_an_ending(self) -> bool:
        """Skip an earlier life's ending (closing events, then its `session_resumed`), or see
        that only the last life's closing events are left (then catch up); False if neither."""
        index = 0
        while True:
            record = self._peek(index)
            if record is None:  # closing events up to the end: the last life's ending
                self._ahead.clear()
                self._catch_up()
                return True
            kind = record.get("type")
            if kind == "session_resumed":
                for _ in range(index + 1):
                    self._ahead.popleft()
                if self._peek(0) is None:
                    self._catch_up()
                return True
            if kind not in CLOSING_TYPES:
                return False
            index += 1

    def _catch_up(self) -> None:
        self._done = True
        payload = {**self._resumed(), "verified_events": self.verified}
        self._writer.append(EventType.SESSION_RESUMED, payload, durable=True)

    def sync(self) -> None:
        if self._done and self._mismatch is None:
            self._writer.sync()

    def write_summary(self, summary: Mapping[str, Any]) -> None:
        if self._done and self._mismatch is None:
            self._writer.write_summary(summary)

    def close(self) -> None:
        self._writer.close()


def _same(recorded: Mapping[str, Any], event_type: EventType, payload: Mapping[str, Any]) -> bool:
    if recorded.get("type") != event_type.value:
        return False
    produced = jsonable(payload)
    stored = {k: v for k, v in recorded.items() if k not in ("seq", "ts", "type")}
    return bool(produced == _plain(stored))


def _plain(value: Any) -> Any:
    """Recorded JSON as the writer would encode it again (parsed numbers back to text)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
