"""`peak-trade monitor`: watch runs through their run logs (running, finished or crashed)."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TextIO

from peak_trade.app.cli.monitor_render import (
    Style,
    render_alerts,
    render_events,
    render_list,
    render_view,
    table,
)
from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.runlog import UnknownRunError


def add_parser(subparsers: Any) -> None:
    """Register `monitor` and its flags."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "monitor",
        help="show runs and follow a running session through its run log",
        description=(
            "Show runs from the run log directory: --list for all runs, or one run (the latest "
            "by default) with its status, position, equity, PnL, drawdown and orders."
        ),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--list", action="store_true", help="list runs, newest first")
    which.add_argument("--latest", action="store_true", help="show the newest run (default)")
    which.add_argument("--run-id", metavar="ID", help="show the run with this id")
    parser.add_argument(
        "--tail",
        type=_positive_int,
        nargs="?",
        const=20,
        metavar="N",
        help="also show the last N events (default 20)",
    )
    parser.add_argument("--alerts", action="store_true", help="also show the run's alerts")
    parser.add_argument(
        "--follow", action="store_true", help="refresh until the run ends (Ctrl+C stops)"
    )
    parser.add_argument(
        "--interval",
        type=_positive_float,
        default=2.0,
        metavar="S",
        help="seconds between refreshes with --follow (default 2)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable JSON output")
    parser.add_argument("--log-dir", metavar="DIR", help="run log directory (default from config)")
    parser.add_argument("--config", metavar="PATH", help="config file for [run_logging] base_dir")
    parser.set_defaults(handler=run)


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def run(args: argparse.Namespace) -> int:
    """Resolve the run log directory and run the monitor."""
    import os
    import sys

    from peak_trade.app.bootstrap import open_run_monitor
    from peak_trade.app.cli.viewer_settings import viewer_settings

    settings = viewer_settings(args.config, args.log_dir, os.environ)
    monitor, clock = open_run_monitor(settings.base_dir)
    command = MonitorCommand(monitor, clock, sys.stdout, tty=sys.stdout.isatty())
    return command.run(args)


_CLEAR = "\x1b[H\x1b[2J"
FOLLOW_TAIL = 10


class UnknownRunIdError(UsageError):
    """--run-id names no existing run; the message lists near matches."""


def dumps(value: Any) -> str:
    """JSON for --json output (Decimals as strings)."""
    return json.dumps(value, default=lambda v: str(v) if isinstance(v, Decimal) else repr(v))


class MonitorCommand:
    """Runs one `monitor` invocation against a RunMonitor, writing to `out`."""

    def __init__(self, monitor: RunMonitor, clock: ClockPort, out: TextIO, *, tty: bool) -> None:
        self._monitor = monitor
        self._clock = clock
        self._out = out
        self._style = Style(tty, shutil.get_terminal_size().columns if tty else None)

    def run(self, args: argparse.Namespace) -> int:
        if args.list:
            self._list(args.json)
            return EXIT_OK
        run_id = self._select(args.run_id)
        if args.follow:
            return self._follow(run_id, args)
        view = self._monitor.view(run_id)
        events = self._monitor.tail(run_id, args.tail) if args.tail else None
        alerts = self._monitor.alerts_page(run_id, limit=1000)["alerts"] if args.alerts else None
        if args.json:
            payload: dict[str, Any] = {"run": view}
            if events is not None:
                payload["events"] = events
            if alerts is not None:
                payload["alerts"] = alerts
            self._print(dumps(payload))
            return EXIT_OK
        self._print(render_view(view, self._style))
        if events is not None:
            self._print("")
            self._print(render_events(events, self._style))
        if alerts is not None:
            self._print("")
            self._print(render_alerts(alerts, self._style))
        return EXIT_OK

    def _list(self, as_json: bool) -> None:
        rows = self._monitor.run_rows()
        if as_json:
            self._print(dumps({"base_dir": self._monitor.location, "runs": rows}))
        else:
            self._print(render_list(rows, self._style))

    def _select(self, run_id: str | None) -> str:
        if run_id is None:
            return self._monitor.latest_run_id()
        try:
            self._monitor.require(run_id)
        except UnknownRunError as exc:
            where = self._monitor.location
            if exc.suggestions:
                hint = "near matches: " + ", ".join(exc.suggestions)
            else:
                newest = [r["run_id"] for r in self._monitor.run_rows()[:5]]
                hint = "runs there: " + (", ".join(newest) if newest else "none")
            shown = run_id if len(run_id) <= 80 else run_id[:80] + "..."
            raise UnknownRunIdError(f"no run {shown!r} under {where}; {hint}") from None
        return run_id

    def _follow(self, run_id: str, args: argparse.Namespace) -> int:
        interval = max(0.05, float(args.interval))
        last_seq = 0
        first = True
        try:
            while True:
                view = self._monitor.view(run_id)
                page = self._monitor.events_page(run_id, since=last_seq, limit=1000)
                new_events = page["events"]
                last_seq = page["next_since"]
                if self._style.tty and not args.json:
                    tail = self._monitor.tail(run_id, FOLLOW_TAIL)
                    self._out.write(_CLEAR)
                    self._print(render_view(view, self._style))
                    self._print("")
                    self._print(render_events(tail, self._style))
                    self._print(f"\nfollowing every {interval:g}s; Ctrl+C to stop")
                else:
                    self._stream(view, new_events, first, args.json)
                first = False
                if page["has_more"]:
                    continue
                if view["ended"] or not view["live"]:
                    self._finish(view, args.json)
                    return EXIT_OK
                self._clock.sleep(interval)
        except KeyboardInterrupt:
            self._print("")
            return EXIT_OK

    def _stream(
        self, view: Mapping[str, Any], events: list[dict[str, Any]], first: bool, as_json: bool
    ) -> None:
        if as_json:
            for event in events:
                self._print(dumps({"event": event}))
            return
        if first:
            self._print(render_view(view, self._style))
            self._print("")
        if events:
            text = table(["SEQ", "TIME", "TYPE", "DETAILS"], [], self._style)
            body = render_events(events, self._style).split("\n")
            header_lines = len(text.split("\n"))
            self._print("\n".join(body if first else body[header_lines:]))

    def _finish(self, view: Mapping[str, Any], as_json: bool) -> None:
        if as_json:
            self._print(dumps({"run": view}))
            return
        why = "the run has ended" if view["ended"] else "the run is not live any more"
        self._print("")
        self._print(render_view(view, self._style))
        self._print(f"stopped following: {why} (status {view['status']})")

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()
