"""`make bench` includes the dashboard latency section: run through the benchmark runner on
tiny run logs, it measures every request and states its targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.report import render_report
from benchmarks.run import QUICK, SECTIONS, Plan, run_sections

pytestmark = pytest.mark.slow


def test_the_runner_measures_the_dashboard_section(tmp_path: Path) -> None:
    assert "dashboard" in SECTIONS
    plan = Plan(**{**QUICK.__dict__, "rss_sizes": (600, 1200), "repeats": 1})
    [section] = run_sections(["dashboard"], plan, tmp_path, lambda _message: None)
    text = "\n".join(render_report([], [section], []))
    assert section.title == "Dashboard latency on long runs"
    assert "failed" not in text
    assert [t.caption.split(":")[0] for t in section.tables] == ["600 candles", "1,200 candles"]
    for table in section.tables:
        requests = [row[0] for row in table.rows]
        assert requests[0] == "first page after start (indexes the log)"
        assert "/metrics" in requests
    assert len(section.targets) == 2
