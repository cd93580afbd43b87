"""RunLogWriter: appends events.jsonl (flushed per event, order events fsynced), meta, summary.

Layout of `<base_dir>/<run_id>/`: meta.json (at start), events.jsonl (one JSON object per line,
`{"seq", "ts", "type", ...}`), summary.json (rewritten atomically), alerts.jsonl (written by the
alert sink, not here). A write failure is retried once on a fresh file handle, after cutting the
file back to its last complete line; if it fails again RunLogWriteError is raised, so logging
never stops silently. An `order_intent` is refused (RunLogGoneError) once events.jsonl was
deleted or replaced under the run: appending to an unlinked file would let orders go out with
nothing on disk. A failed summary or meta rewrite leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from peak_trade.adapters.runlog.encoding import encode_text, jsonable, payload_json
from peak_trade.adapters.runlog.files import (
    FileIdentity,
    FsyncFn,
    WriteFn,
    fsync_dir,
    json_bytes,
    write_all,
    write_bytes_atomic,
)
from peak_trade.adapters.runlog.layout import RunPaths
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.events import (
    DURABLE_EVENT_TYPES,
    EventLogError,
    EventType,
    RunLogBusyError,
)

_RESERVED_KEYS = frozenset({"seq", "ts", "type"})
_TYPE_JSON = {kind: encode_text(kind.value) for kind in EventType}
__all__ = [  # `jsonable` (encoding.py) stays importable from here, as before
    "NullEventLog",
    "RunDirectoryExistsError",
    "RunLogGoneError",
    "RunLogWriteError",
    "RunLogWriter",
    "jsonable",
    "write_json_atomic",
]


class RunLogWriteError(EventLogError):
    """Writing the run log failed twice in a row; the session must not go on unlogged."""


class RunLogGoneError(RunLogWriteError):
    """events.jsonl was deleted or replaced while the run was going on (e.g. its run directory
    was removed): nothing written now would reach the run log anyone reads."""


class RunDirectoryExistsError(FileExistsError):
    """The run directory exists already: run ids are never reused."""


def write_json_atomic(
    path: Path, obj: Mapping[str, Any], *, write: WriteFn = os.write, fsync: FsyncFn = os.fsync
) -> None:
    """Write `obj` as JSON to `path` via a temp file, fsync and os.replace (never half-written;
    on a failure the temp file is removed)."""
    write_bytes_atomic(path, json_bytes(jsonable(obj)), write=write, fsync=fsync)


class RunLogWriter:
    """EventLogPort on disk for one run; refuses a run directory that exists already.

    Durability policy: with `fsync_orders` (venues whose orders live outside this process:
    Kraken, Binance) every order event is fsynced as EventLogPort describes; without it (the
    in-memory replay venue, whose orders die with the process) events are written one by one
    (a SIGKILL loses nothing written) and made durable by `sync` at heartbeats and at close.
    `fsync` and `write` are injectable so tests can see (and break) exactly when data reaches
    the disk, and fill it.
    """

    def __init__(
        self,
        base_dir: Path,
        run_id: str,
        clock: ClockPort,
        *,
        fsync_orders: bool = True,
        fsync: FsyncFn = os.fsync,
        write: WriteFn = os.write,
        existing: bool = False,
    ) -> None:
        self._paths = RunPaths(base_dir, run_id)
        self._run_id = run_id
        self._clock = clock
        base_dir.mkdir(parents=True, exist_ok=True)
        self._dir = self._paths.run_dir
        if existing:  # resuming: go on after the last whole event line, seq continuing
            if not self._dir.is_dir():
                raise FileNotFoundError(f"no run directory {self._dir} to resume")
        else:
            try:
                self._dir.mkdir()
            except FileExistsError:
                raise RunDirectoryExistsError(
                    f"run directory {self._dir} exists already; run ids are never reused"
                ) from None
        self._events_path = self._paths.events
        self._fsync_orders = fsync_orders
        self._fsync = fsync
        self._write = write
        self._identity: FileIdentity | None = None  # the events file as first opened
        self._present_since_sync = False  # checked since the last sync (replay venue only)
        self._unsynced = False
        self._seq = 0
        self._ts_at: datetime | None = None  # the last event time and its JSON text
        self._ts_text = ""
        self._good_size = 0
        if existing:
            from peak_trade.adapters.runlog.resume import last_complete_event

            self._seq, self._good_size = last_complete_event(self._paths.events)
        self._closed = False
        self._fd: int | None = self._open_events()
        fsync_dir(self._dir)
        fsync_dir(base_dir)

    @property
    def run_id(self) -> str:
        return self._run_id

    @property
    def run_dir(self) -> Path:
        return self._dir

    @property
    def events_path(self) -> Path:
        return self._events_path

    def write_meta(self, meta: Mapping[str, Any]) -> None:
        """Write meta.json atomically (once, at the start of the run)."""
        self._guarded(lambda: self._atomic(self._paths.meta, meta), self._paths.meta)

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int:
        """Append one event line and flush it; order events are fsynced too. Returns its seq.

        `durable` overrides the type's default (EventLogPort): False leaves the fsync to the
        next durable event, which makes this line durable with it (group commit).
        """
        if self._closed:
            raise RunLogWriteError(f"run log {self._dir} is closed; cannot append {event_type}")
        if not isinstance(event_type, EventType):
            raise ValueError(f"unknown event type {event_type!r}; use an EventType")
        if "seq" in payload or "ts" in payload or "type" in payload:
            clash = sorted(_RESERVED_KEYS.intersection(payload))
            raise ValueError(f"event payload must not set {clash}")
        now = self._clock.now()
        if now is not self._ts_at:  # the events of one session step share their time stamp
            self._ts_at, self._ts_text = now, encode_text(isoformat_utc(now))
        if durable is None:
            durable = self._fsync_orders and event_type in DURABLE_EVENT_TYPES
        if event_type is EventType.ORDER_INTENT and not self._present_since_sync:
            self._require_present()  # an order goes out only with its intent in the live log
        # {"seq", "ts", "type", **payload} as one JSON object, the payload encoded on its own
        body = payload_json(payload)
        seq = self._seq + 1
        head = f'{{"seq":{seq},"ts":{self._ts_text},"type":{_TYPE_JSON[event_type]}'
        line = head + ("}\n" if body == "{}" else "," + body[1:] + "\n")
        self._write_line(line.encode("utf-8"), durable=durable)
        self._seq = seq
        return seq

    def sync(self) -> None:
        """Make every event written so far durable (one fsync; none when all are already)."""
        if self._unsynced and self._fd is not None and not self._closed:
            self._fsync(self._fd)
            self._unsynced = False
        self._present_since_sync = False

    def write_summary(self, summary: Mapping[str, Any]) -> None:
        """Replace summary.json atomically (tmp file + fsync + os.replace), stamped with
        `last_seq`: the last event it accounts for (readers know whether events are newer)."""
        stamped = {**summary, "last_seq": self._seq}
        self._guarded(lambda: self._atomic(self._paths.summary, stamped), self._paths.summary)

    def close(self) -> None:
        """Fsync and close events.jsonl; further appends raise."""
        if self._closed:
            return
        self._closed = True
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                self._fsync(fd)
            except OSError as exc:
                raise RunLogWriteError(f"cannot sync {self._events_path}: {exc}") from exc
            finally:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _atomic(self, path: Path, obj: Mapping[str, Any]) -> None:
        write_json_atomic(path, obj, write=self._write, fsync=self._fsync)

    def _gone(self) -> RunLogGoneError:
        return RunLogGoneError(
            f"run log {self._events_path} was deleted or replaced while the run was going on; "
            "no order is sent without its intent in the run log"
        )

    def _require_present(self) -> None:
        """Raise RunLogGoneError unless events.jsonl is still the file this writer opened.

        Without `fsync_orders` (the in-memory replay venue, whose orders never leave the
        process) one check per durable point is enough: once it passed, the intents up to
        the next `sync` are not checked again (docs/run-log.md, Durability)."""
        if self._identity is None:
            return
        try:
            present = self._identity.still_at(self._events_path, self._fd)
        except OSError as exc:
            raise RunLogWriteError(f"cannot check {self._events_path}: {exc}") from exc
        if not present:
            raise self._gone()
        self._present_since_sync = not self._fsync_orders

    def _open_events(self) -> int:
        """Open events.jsonl: created on the first open; a reopen after a failed write takes
        only the same file (a deleted or replaced one is refused, never silently recreated)."""
        flags = os.O_WRONLY | os.O_APPEND
        if self._identity is None:
            flags |= os.O_CREAT
        try:
            fd = os.open(self._events_path, flags, 0o644)
        except FileNotFoundError:
            if self._identity is not None:
                raise self._gone() from None
            raise
        try:  # one process per run log: a resume of a run still going on elsewhere fails here
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunLogBusyError(
                f"run log {self._events_path} is in use by another process (the run is still "
                "going on there); stop it first"
            ) from None
        identity = FileIdentity.of_handle(fd)
        if self._identity is None:
            self._identity = identity
        elif identity != self._identity:
            os.close(fd)
            raise self._gone()
        size = os.fstat(fd).st_size
        if size > self._good_size:
            os.ftruncate(fd, self._good_size)  # drop a half-written line from a failed attempt
        return fd

    def _write_line(self, data: bytes, *, durable: bool) -> None:
        fd = self._fd
        if fd is not None:  # the usual case: the open handle takes the whole line at once
            try:
                written = self._write(fd, data)  # type: ignore[arg-type]
                if written != len(data):
                    write_all(fd, data[written:], self._write)
                if durable:
                    self._fsync(fd)
                self._unsynced = not durable
                self._good_size += len(data)
                return
            except OSError as exc:
                error: OSError | None = exc
                self._drop_handle()
                attempts = 1
        else:
            error, attempts = None, 2
        for _attempt in range(attempts):
            try:
                if self._fd is None:
                    self._fd = self._open_events()
                write_all(self._fd, data, self._write)
                if durable:
                    self._fsync(self._fd)
                self._unsynced = not durable
                self._good_size += len(data)
                return
            except OSError as exc:
                error = exc
                self._drop_handle()
        self._cut_back()
        raise RunLogWriteError(f"cannot write {self._events_path}: {error}") from error

    def _cut_back(self) -> None:
        """After a write that failed for good, drop its partial line (best effort): the log
        keeps whole lines only, and the next attempt starts at a line boundary."""
        with contextlib.suppress(OSError):
            fd = os.open(self._events_path, os.O_WRONLY)
            try:
                same = self._identity is None or FileIdentity.of_handle(fd) == self._identity
                if same and os.fstat(fd).st_size > self._good_size:
                    os.ftruncate(fd, self._good_size)
            finally:
                os.close(fd)

    def _drop_handle(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):  # the handle is replaced because it failed
                os.close(fd)

    def _guarded(self, action: Callable[[], None], path: Path) -> None:
        error: OSError | None = None
        for _attempt in range(2):
            try:
                action()
                return
            except OSError as exc:
                error = exc
        raise RunLogWriteError(f"cannot write {path}: {error}") from error


class NullEventLog:
    """EventLogPort that writes nothing (for --no-logging and --dry-run); still counts seqs."""

    def __init__(self, run_id: str) -> None:
        self._run_id = run_id
        self._seq = 0

    @property
    def run_id(self) -> str:
        return self._run_id

    def write_meta(self, meta: Mapping[str, Any]) -> None:
        """Nothing to write."""

    def append(
        self, event_type: EventType, payload: Mapping[str, Any], *, durable: bool | None = None
    ) -> int:
        self._seq += 1
        return self._seq

    def sync(self) -> None:
        """Nothing to make durable."""

    def write_summary(self, summary: Mapping[str, Any]) -> None:
        """Nothing to write."""

    def close(self) -> None:
        """Nothing to close."""
