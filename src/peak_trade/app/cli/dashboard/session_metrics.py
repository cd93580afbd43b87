"""`peak-trade session --metrics-port`: Prometheus /metrics of the running session.

The figures come from the session's own run log, read by the same RunMonitor the dashboard
uses (folded incrementally, so a scrape reads only what was appended since the previous one),
and go through the same families as the dashboard's `/metrics`: a dashboard and a session
exporter never disagree on names or values. Loopback only; port 0 picks a free port.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import TracebackType

from prometheus_client import start_http_server

from peak_trade.app.bootstrap import open_run_monitor
from peak_trade.app.cli.dashboard.metrics import registry_for
from peak_trade.app.errors import UsageError
from peak_trade.app.monitoring.metrics import ENDED, Family, run_families, view_as_summary
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.plan import SessionPlan

HOST = "127.0.0.1"


def metrics_port(text: str) -> int:
    """The --metrics-port value (argparse type): 0 (a free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {port}")
    return port


def session_families(monitor: RunMonitor, run_id: str) -> list[Family]:
    """The metric families of one run that this process is running (so it is up until its
    run log says it ended)."""
    if not monitor.exists(run_id):  # the session has not written its run log yet
        return run_families([])
    figures = view_as_summary(monitor.view(run_id))
    if str(figures.get("status") or "") not in ENDED:
        figures |= {"status": "running", "session_up": True}
    return run_families([(run_id, figures)])


class SessionMetricsServer:
    """Serves /metrics of run `run_id` under `log_dir` on 127.0.0.1 from a daemon thread.

    Bound and serving from construction (a busy port is refused before the session writes
    anything); `close()` (or leaving the `with` block) stops it and frees the port.
    """

    def __init__(self, log_dir: Path, run_id: str, port: int) -> None:
        monitor, _clock = open_run_monitor(log_dir)
        registry = registry_for(lambda: session_families(monitor, run_id))
        try:
            self._server, self._thread = start_http_server(port, addr=HOST, registry=registry)
        except OSError as exc:
            raise UsageError(
                f"--metrics-port: cannot listen on {HOST}:{port}: {exc.strerror or exc}"
            ) from None
        self._closed = False

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/metrics"

    def close(self) -> None:
        """Stop serving and release the port (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> SessionMetricsServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_session_metrics(port: int | None, plan: SessionPlan) -> SessionMetricsServer | None:
    """The exporter for `session --metrics-port` (None without the flag); refuses a run that
    writes no run log, since the figures are read from it."""
    if port is None:
        return None
    if not plan.logging_enabled:
        raise UsageError(
            "--metrics-port serves the figures of the run's own run log; "
            "it cannot be used with --no-logging"
        )
    return SessionMetricsServer(plan.log_dir, plan.run_id, port)
