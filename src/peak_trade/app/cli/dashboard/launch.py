"""Start the dashboard from CLI arguments: resolve settings, guard the bind address, serve."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from typing import TextIO

from peak_trade.app.bootstrap import open_run_monitor
from peak_trade.app.cli.dashboard.routes import DashboardRoutes
from peak_trade.app.cli.dashboard.server import DashboardServer
from peak_trade.app.cli.viewer_settings import viewer_settings
from peak_trade.app.errors import EXIT_OK, UsageError
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.monitoring.run_cache import CACHED_RUNS
from peak_trade.domain.environment import is_loopback_host

_log = logging.getLogger(__name__)


class RemoteBindRefusedError(UsageError):
    """A non-loopback bind address without --allow-remote."""


def check_bind_host(host: str, allow_remote: bool, err: TextIO) -> None:
    """Refuse a non-loopback host unless allowed; warn loudly when it is."""
    if is_loopback_host(host):
        return
    if not allow_remote:
        raise RemoteBindRefusedError(
            f"refusing to serve the dashboard on {host!r}: it has no authentication and would be "
            "reachable from other machines. Use 127.0.0.1, or pass --allow-remote if you mean it."
        )
    print(
        f"WARNING: the dashboard listens on {host}, reachable from other machines, without "
        "authentication. Run logs (positions, orders, equity) are visible to anyone who can "
        "reach this address.",
        file=err,
        flush=True,
    )


def warm_up(monitor: RunMonitor, runs: int = CACHED_RUNS) -> threading.Thread:
    """Index the newest runs in the background, so their first page answers at once."""

    def index() -> None:
        try:
            for row in monitor.run_rows()[:runs]:
                monitor.view(str(row["run_id"]))
        except Exception:  # a broken run log must not stop the server
            _log.debug("warming the run index failed", exc_info=True)

    thread = threading.Thread(target=index, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread


def serve_dashboard(args: argparse.Namespace) -> int:
    """Run the dashboard in the foreground until Ctrl+C (exit 0)."""
    settings = viewer_settings(args.config, args.log_dir, os.environ, needs_dashboard=True)
    assert settings.dashboard is not None  # asked for with needs_dashboard
    host = args.host or settings.dashboard.host
    port = settings.dashboard.port if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {port}")
    check_bind_host(host, args.allow_remote, sys.stderr)
    monitor, _clock = open_run_monitor(settings.base_dir)
    routes = DashboardRoutes(monitor, refresh_seconds=settings.dashboard.refresh_seconds)
    try:
        server = DashboardServer(routes, host, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    print(
        f"peak-trade dashboard: serving {settings.base_dir} on {server.url}/ (Ctrl+C stops)",
        flush=True,
    )
    warm_up(monitor)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\npeak-trade dashboard: stopped", flush=True)
    finally:
        server.shutdown()
    return EXIT_OK
