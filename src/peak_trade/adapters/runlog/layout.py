"""The run-log layout: which files a run directory holds and where a run's directory is.

The one module that knows the file names; the run-id rule itself is the domain's
(`peak_trade.domain.ids`). Writer, reader and the alert sink all take their paths from here.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from peak_trade.domain.ids import require_valid_run_id

META_FILE = "meta.json"
EVENTS_FILE = "events.jsonl"
SUMMARY_FILE = "summary.json"
ALERTS_FILE = "alerts.jsonl"
RUN_FILES = (EVENTS_FILE, SUMMARY_FILE, META_FILE, ALERTS_FILE)


@attrs.frozen
class RunPaths:
    """`<base_dir>/<run_id>/` and its files, for a run id that passed the run-id rule."""

    base_dir: Path
    run_id: str = attrs.field(validator=lambda _i, _a, v: require_valid_run_id(v))

    @property
    def run_dir(self) -> Path:
        return self.base_dir / self.run_id

    @property
    def meta(self) -> Path:
        return self.run_dir / META_FILE

    @property
    def events(self) -> Path:
        return self.run_dir / EVENTS_FILE

    @property
    def summary(self) -> Path:
        return self.run_dir / SUMMARY_FILE

    @property
    def alerts(self) -> Path:
        return self.run_dir / ALERTS_FILE
