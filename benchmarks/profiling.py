"""cProfile helpers shared by the benchmark workers and the report: top rows and their table."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report import Table


def profile_top(work: Callable[[], object], top: int) -> dict[str, Any]:
    """Run `work` under cProfile; the `top` functions by own time plus the total own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (path, line, func), (_cc, calls, own, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(path).name}:{line}({func})" if line else func
        if "site-packages" not in path and "/src/peak_trade/" in path:
            where = path.split("/src/", 1)[1] + f":{line}({func})"
        rows.append((own, cum, calls, where))
    rows.sort(reverse=True)
    return {
        "total_own": sum(r[0] for r in rows),
        "top": [{"own": o, "cum": c, "calls": n, "where": w} for o, c, n, w in rows[:top]],
    }


def profile_table(profile: dict[str, Any], caption: str) -> Table:
    """The profile as a report table (function, calls, own s, own %, cumulative s)."""
    total = profile["total_own"]
    return Table(
        headers=("function", "calls", "own s", "own %", "cumulative s"),
        rows=[
            (
                f"`{row['where']}`",
                f"{row['calls']:,}",
                f"{row['own']:.3f}",
                f"{row['own'] / total * 100:.1f}",
                f"{row['cum']:.3f}",
            )
            for row in profile["top"]
        ],
        caption=caption,
    )
