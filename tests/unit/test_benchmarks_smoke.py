"""Smoke test of the benchmark runner: its cheapest path writes a report with a results table."""

from __future__ import annotations

from pathlib import Path

from benchmarks.run import main


def test_quick_floor_replay_writes_a_report_with_a_results_table(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    argv = ["--quick", "--only", "replay", "--contenders", "floor", "--candles", "300"]
    argv += ["--out", str(out), "--work-dir", str(tmp_path / "work")]

    assert main(argv) == 0

    text = out.read_text(encoding="utf-8")
    assert "## Machine" in text
    assert "| contender | median s | min - max s | CPU s (median) |" in text
    floor_rows = [line for line in text.splitlines() if line.startswith("| pure-Python floor")]
    assert floor_rows, text
    assert "| 300 |" in text  # the cross-check table saw all 300 candles
    assert "failed" not in text
