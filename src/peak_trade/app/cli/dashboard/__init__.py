"""`peak-trade dashboard`: the local, read-only web dashboard over the run logs.

The command (flags, `run`) is this module; the web app lives beside it: routes, pages, charts,
the HTTP server and the launcher that guards the bind address.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register `dashboard` and its flags."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "dashboard",
        help="serve a read-only web dashboard of the runs (default http://127.0.0.1:8000)",
        description=(
            "Serve the runs under the run log directory as web pages (equity and drawdown "
            "charts, orders, alerts) and a JSON API. Read-only; loopback only unless "
            "--allow-remote is given."
        ),
    )
    parser.add_argument("--host", help="address to bind (default [dashboard] host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default [dashboard] port, 8000; 0 = any)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow binding a non-loopback address (the dashboard has no authentication)",
    )
    parser.add_argument("--log-dir", metavar="DIR", help="run log directory (default from config)")
    parser.add_argument("--config", metavar="PATH", help="config file ([run_logging], [dashboard])")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C."""
    from peak_trade.app.cli.dashboard.launch import serve_dashboard

    return serve_dashboard(args)
