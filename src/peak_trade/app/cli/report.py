"""`peak-trade report RUN_ID`: one self-contained, offline HTML file of a run.

The charts (interactive, with the SVG fallback), key figures, per-symbol table, statistics,
every round trip, every alert, the run's lives and its config snapshot: the dashboard's run page
parts fed with every row, the stylesheet and scripts inlined. It fetches nothing when opened.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from peak_trade import __version__
from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.ports.runlog import UnknownRunError

REPORT_FILE = "report.html"
_VENDOR = "vendor/lightweight-charts/"


def add_parser(subparsers: Any) -> None:
    """Register `report` and its flags."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write one self-contained offline HTML report of a run",
        description=(
            "Write a run's charts (price with fills, equity, drawdown, position), round trips, "
            "statistics, alerts and config into one HTML file that opens offline (inline "
            "scripts and styles, no network). Default output: <run_dir>/report.html."
        ),
    )
    parser.add_argument(
        "run_id", metavar="RUN_ID", nargs="?", help="the run to report on (default: the newest)"
    )
    parser.add_argument(
        "--latest", action="store_true", help="report on the newest run (`make demo` uses it)"
    )
    parser.add_argument("--out", metavar="FILE.html", help="where to write the report")
    parser.add_argument("--log-dir", metavar="DIR", help="run log directory (default from config)")
    parser.add_argument("--config", metavar="PATH", help="config file for [run_logging] base_dir")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the report and write it; print where."""
    from peak_trade.app.bootstrap import open_run_monitor
    from peak_trade.app.cli.viewer_settings import viewer_settings

    if args.latest and args.run_id:
        raise UsageError("give RUN_ID or --latest, not both")
    settings = viewer_settings(args.config, args.log_dir, os.environ)
    monitor, _clock = open_run_monitor(settings.base_dir)
    run_id = args.run_id or monitor.latest_run_id()
    try:
        monitor.require(run_id)
    except UnknownRunError as exc:
        raise UsageError(f"{exc} under {monitor.location}") from None
    # the archive found the run among the directories that exist: its directory is this one
    target = Path(args.out) if args.out else Path(monitor.location) / run_id / REPORT_FILE
    html = build_report(monitor, run_id)
    write_atomically(target, html)
    size = len(html.encode()) // 1024
    print(
        f"peak-trade report: wrote {target} ({size} KiB); open it in a browser: "
        f"{target.expanduser().resolve().as_uri()}",
        flush=True,
    )
    return EXIT_OK


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to a temp file beside `target`, then rename it over `target`."""
    target = target.expanduser()
    if target.is_dir():
        raise UsageError(f"--out {target} is a directory; name a file such as report.html")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: {target.parent} is not a directory")
    handle, temp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _static(name: str) -> str:
    path = resources.files("peak_trade.app.cli.dashboard").joinpath("static", name)
    return path.read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    return (
        "<script>" + code.replace("</script", "<\\/script").replace("<!--", "<\\!--") + "</script>"
    )


def build_report(monitor: RunMonitor, run_id: str) -> str:
    """The report of one run as one HTML document."""
    from peak_trade.app.cli.dashboard.pages import attribution
    from peak_trade.app.cli.dashboard.run_page import (
        charts_part,
        figures_part,
        headline_part,
        statistics_part,
        symbols_part,
        title_part,
    )
    from peak_trade.app.cli.dashboard.run_page_data import RunPageData
    from peak_trade.app.cli.dashboard.run_tables import (
        alerts_part,
        lives_part,
        meta_part,
        trips_part,
    )

    view = monitor.view(run_id)
    charts: dict[str, Any] = {}
    for symbol in view.get("symbols") or []:
        try:
            charts[symbol] = monitor.chart(run_id, symbol)
        except KeyError:
            continue
    trips = monitor.all_trips(run_id)
    trips.reverse()  # newest first, as on the dashboard
    alerts: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = monitor.alerts_page(run_id, offset=offset, limit=1000)
        alerts += page["alerts"]
        offset = page["next_offset"]
    alerts.reverse()
    data = RunPageData(
        view=view,
        meta=monitor.meta(run_id),
        charts=charts,
        trips={"round_trips": trips, "total": len(trips), "offset": 0},
        alerts={"alerts": alerts, "total": len(alerts), "offset": 0},
        report=True,
    )
    body = "".join(
        part(data)
        for part in (
            title_part, headline_part, figures_part, symbols_part, charts_part, statistics_part,
            trips_part, lives_part, alerts_part, meta_part,
        )
    )  # fmt: skip
    notice = _static(_VENDOR + "NOTICE")
    licence = _static(_VENDOR + "LICENSE")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>peak_trade report {escape(run_id)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_static('style.css')}</style></head><body>"
        f'<header><strong>peak_trade run report</strong><span class="muted">v{escape(__version__)}'
        f" · generated from the run log · offline · times in UTC</span></header>"
        f"<main>{body}</main>"
        f'<footer class="muted"><p>{attribution()}</p><pre>{escape(notice)}</pre><details>'
        "<summary>Lightweight Charts licence (Apache License 2.0)</summary>"
        f"<pre>{escape(licence)}</pre></details></footer>"
        + _inline_script(_static(_VENDOR + "lightweight-charts.standalone.production.js"))
        + _inline_script(_static("dashboard.js"))
        + "</body></html>\n"
    )
