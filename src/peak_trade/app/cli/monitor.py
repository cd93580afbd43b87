"""`peak-trade monitor`: watch runs through their run logs (running, finished or crashed)."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.text import Text

from peak_trade.app.cli import monitor_render as render
from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.runlog import UnknownRunError

FOLLOW_TAIL = 10
TRIPS_DEFAULT = 20
PIPED_WIDTH = 120


def add_parser(subparsers: Any) -> None:
    """Register `monitor` and its flags."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "monitor",
        help="show runs and follow a running session through its run log",
        description=(
            "Show runs from the run log directory: --list for all runs, or one run (the latest "
            "by default) with its status, positions, equity, PnL, drawdown, orders and "
            "statistics. Tables on a terminal (NO_COLOR drops colours, FORCE_COLOR forces them "
            "when piped); tab-separated text when piped."
        ),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--list", action="store_true", help="list runs, newest first")
    which.add_argument("--latest", action="store_true", help="show the newest run (default)")
    which.add_argument("--run-id", metavar="ID", help="show the run with this id")
    parser.add_argument(
        "--tail", type=_positive_int, nargs="?", const=20, metavar="N",
        help="also show the last N events (default 20)",
    )  # fmt: skip
    parser.add_argument("--alerts", action="store_true", help="also show the run's alerts")
    parser.add_argument(
        "--trips", type=_positive_int, nargs="?", const=TRIPS_DEFAULT, metavar="N",
        help=f"also show the last N round trips (default {TRIPS_DEFAULT}; --json has them all)",
    )  # fmt: skip
    parser.add_argument(
        "--follow", action="store_true",
        help="refresh until the run ends (Ctrl+C stops); piped, print each new event",
    )  # fmt: skip
    parser.add_argument(
        "--from-start", action="store_true",
        help="with --follow when piped or --json: replay the run's events from the first "
        "(default: only events written from now on)",
    )  # fmt: skip
    parser.add_argument(
        "--interval", type=_positive_float, default=2.0, metavar="S",
        help="seconds between refreshes with --follow (default 2)",
    )  # fmt: skip
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
    tty = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if tty else None
    command = MonitorCommand(monitor, clock, sys.stdout, tty=tty, environ=os.environ, width=width)
    return command.run(args)


class UnknownRunIdError(UsageError):
    """--run-id names no existing run; the message lists near matches."""


def dumps(value: Any) -> str:
    """JSON for --json output (Decimals as strings)."""
    return json.dumps(value, default=lambda v: str(v) if isinstance(v, Decimal) else repr(v))


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


class Output:
    """Where and how the monitor writes: rich tables on a terminal or with FORCE_COLOR (in
    colour unless NO_COLOR), plain text otherwise."""

    def __init__(
        self, out: TextIO, *, tty: bool, environ: Mapping[str, str], width: int | None
    ) -> None:
        self.out = out
        self.rich = tty or _flag(environ, "FORCE_COLOR")
        self.colour = self.rich and not environ.get("NO_COLOR")
        self.width = width or int(environ.get("COLUMNS", "0") or 0) or PIPED_WIDTH
        self.console = Console(
            file=out,
            force_terminal=self.rich,
            color_system="standard" if self.colour else None,
            no_color=not self.colour,
            width=self.width,
            highlight=False,
            markup=False,
            emoji=False,
            _environ={},
        )

    def line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, renderable: RenderableType) -> None:
        self.console.print(renderable)
        self.out.flush()


class MonitorCommand:
    """Runs one `monitor` invocation against a RunMonitor, writing to `out`."""

    def __init__(
        self,
        monitor: RunMonitor,
        clock: ClockPort,
        out: TextIO,
        *,
        tty: bool,
        environ: Mapping[str, str] | None = None,
        width: int | None = None,
    ) -> None:
        self._monitor = monitor
        self._clock = clock
        self._output = Output(out, tty=tty, environ=environ or {}, width=width)

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
            payload: dict[str, Any] = {"run": view, "round_trips": self._monitor.all_trips(run_id)}
            if events is not None:
                payload["events"] = events
            if alerts is not None:
                payload["alerts"] = self._all_alerts(run_id)
            self._output.line(dumps(payload))
            return EXIT_OK
        trips = self._last_trips(run_id, args.trips)
        out = self._output
        if out.rich:
            parts: list[RenderableType] = [render.rich_view(view, trips=trips)]
            if events is not None:
                parts += [Text(""), render.rich_events(events, out.width)]
            if alerts is not None:
                parts += [Text(""), render.rich_alerts(alerts)]
            out.show(Group(*parts))
            return EXIT_OK
        out.line(render.plain_view(view))
        for block in (
            render.plain_trips(trips, view) if args.trips else None,
            render.plain_events(events) if events is not None else None,
            render.plain_alerts(alerts) if alerts is not None else None,
        ):
            if block is not None:
                out.line("")
                out.line(block)
        return EXIT_OK

    def _all_alerts(self, run_id: str) -> list[dict[str, Any]]:
        alerts: list[dict[str, Any]] = []
        offset: int | None = 0
        while offset is not None:
            page = self._monitor.alerts_page(run_id, offset=offset, limit=1000)
            alerts += page["alerts"]
            offset = page["next_offset"]
        return alerts

    def _last_trips(self, run_id: str, count: int | None) -> list[dict[str, Any]]:
        if not count:
            return []
        rows = self._monitor.trips_page(run_id, offset=0, limit=count)["round_trips"]
        return list(reversed(rows))

    def _list(self, as_json: bool) -> None:
        rows = self._monitor.run_rows()
        if as_json:
            self._output.line(dumps({"base_dir": self._monitor.location, "runs": rows}))
        elif self._output.rich:
            self._output.show(render.rich_list(rows))
        else:
            self._output.line(render.plain_list(rows))

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
        try:
            if self._output.rich and not args.json:
                return self._follow_live(run_id, interval)
            return self._follow_stream(run_id, interval, args.json, args.from_start)
        except KeyboardInterrupt:
            self._output.line("")
            return EXIT_OK

    def _follow_live(self, run_id: str, interval: float) -> int:
        """A terminal: one view redrawn in place (rich Live) until the run ends."""
        out = self._output
        with Live(console=out.console, auto_refresh=False, transient=False) as live:
            while True:
                view = self._monitor.view(run_id)
                tail = self._monitor.tail(run_id, FOLLOW_TAIL)
                footer = Text(f"following every {interval:g}s; Ctrl+C to stop", style="dim")
                live.update(
                    Group(
                        render.rich_view(view),
                        Text(""),
                        render.rich_events(tail, out.width),
                        footer,
                    ),
                    refresh=True,
                )
                if view["ended"] or not view["live"]:
                    break
                self._clock.sleep(interval)
        out.line(_stopped(view))
        return EXIT_OK

    def _follow_stream(self, run_id: str, interval: float, as_json: bool, from_start: bool) -> int:
        """Piped or --json: the view once, then each event written after it, one per line."""
        out = self._output
        view = self._monitor.view(run_id)
        last_seq = 0 if from_start else int(view.get("last_seq") or 0)
        if not as_json:
            out.line(render.plain_view(view))
            out.line("")
            out.line("\t".join(render.EVENT_HEADERS))
        while True:
            page = self._monitor.events_page(run_id, since=last_seq, limit=1000)
            for event in page["events"]:
                if as_json:
                    out.line(dumps({"event": event}))
                else:
                    out.line(render.plain_events([event]).split("\n", 1)[1])
            last_seq = page["next_since"]
            if page["has_more"]:
                continue
            view = self._monitor.view(run_id)
            if view["last_seq"] > last_seq:
                continue
            if view["ended"] or not view["live"]:
                if as_json:
                    out.line(dumps({"run": view}))
                else:
                    out.line("")
                    out.line(render.plain_view(view))
                    out.line(_stopped(view))
                return EXIT_OK
            self._clock.sleep(interval)


def _stopped(view: Mapping[str, Any]) -> str:
    why = "the run has ended" if view["ended"] else "the run is not live any more"
    return f"stopped following: {why} (status {view['status']})"
