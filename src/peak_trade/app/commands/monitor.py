"""`peak-trade monitor`: watch runs through their run logs (running, finished or crashed)."""

from __future__ import annotations

import argparse
from typing import Any


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

    from peak_trade.adapters.clocks import SystemClock
    from peak_trade.app.monitor import RunMonitor
    from peak_trade.app.monitor_cli import MonitorCommand
    from peak_trade.app.viewer_settings import viewer_settings

    settings = viewer_settings(args.config, args.log_dir, os.environ)
    clock = SystemClock()
    monitor = RunMonitor(settings.base_dir, clock)
    command = MonitorCommand(monitor, clock, sys.stdout, tty=sys.stdout.isatty())
    return command.run(args)
