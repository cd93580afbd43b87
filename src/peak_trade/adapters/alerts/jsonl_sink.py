"""JsonlAlertSink: appends every alert to <run_dir>/alerts.jsonl, one JSON object per line."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import IO

from peak_trade.adapters.alerts.payload import alert_record
from peak_trade.ports.alerts import Alert

_log = logging.getLogger(__name__)


class JsonlAlertSink:
    """One line per alert ({ts, level, rule, message, context}), flushed and fsynced.

    Write failures are counted in `failures` and logged; they never raise. A failure to write
    an alert of `debug_rules` is logged at DEBUG only (a failed session: its run directory is
    often what failed, and the caller reports that failure itself).
    """

    def __init__(self, path: Path, *, debug_rules: frozenset[str] = frozenset()) -> None:
        self._path = Path(path)
        self._debug_rules = debug_rules
        self._lock = threading.Lock()
        self._handle: IO[str] | None = None
        self.written = 0
        self.failures = 0

    @property
    def path(self) -> Path:
        return self._path

    def send(self, alert: Alert) -> None:
        line = json.dumps(alert_record(alert), ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            try:
                if self._handle is None:
                    self._handle = self._path.open("a", encoding="utf-8")
                self._handle.write(line + "\n")
                self._handle.flush()
                os.fsync(self._handle.fileno())
                self.written += 1
            except OSError as exc:
                self.failures += 1
                level = logging.DEBUG if alert.rule in self._debug_rules else logging.WARNING
                _log.log(level, "could not write alert to %s: %s", self._path, exc.strerror or exc)

    def close(self) -> None:
        """Release the file; a later alert reopens it."""
        with self._lock:
            if self._handle is not None:
                with contextlib.suppress(OSError):  # closing a failed handle may fail too
                    self._handle.close()
                self._handle = None
