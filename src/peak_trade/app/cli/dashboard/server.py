"""DashboardServer: a read-only stdlib ThreadingHTTPServer in front of DashboardRoutes."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from peak_trade.app.cli.dashboard.routes import SECURITY_HEADERS, DashboardRoutes, Response

_log = logging.getLogger(__name__)
LISTEN_BACKLOG = 128  # pending connections the kernel keeps (the stdlib default 5 drops bursts)
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)  # the client went away
_METHOD_NOT_ALLOWED = Response(
    status=405, content_type="application/json", body=b'{"error": "read-only: only GET is allowed"}'
)


class _Handler(BaseHTTPRequestHandler):
    server_version = "peak_trade-dashboard"
    sys_version = ""
    routes: DashboardRoutes  # set on the subclass made per server

    def do_GET(self) -> None:
        try:
            response = self.routes.get(self.path)
        except Exception:  # one failing request must not take the server down
            _log.exception("dashboard request failed")
            response = Response(
                status=500, content_type="application/json", body=b'{"error": "internal error"}'
            )
        self._send(response)

    def _refuse(self) -> None:
        self._send(_METHOD_NOT_ALLOWED, allow=True)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _refuse

    def _send(self, response: Response, *, allow: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", response.cache)
        if allow:
            self.send_header("Allow", "GET")
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(response.body)
            except _GONE:  # nobody is reading any more: nothing to report
                self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-answer is not an error worth a traceback."""
        _log.debug("dashboard connection from %s ended early", client_address, exc_info=True)


class DashboardServer:
    """Serves the dashboard on (host, port); port 0 picks a free port (see `port`)."""

    def __init__(self, routes: DashboardRoutes, host: str, port: int) -> None:
        handler = type("DashboardHandler", (_Handler,), {"routes": routes})
        self._httpd = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve in the calling thread until `shutdown` (or Ctrl+C in the caller)."""
        self._httpd.serve_forever(poll_interval=0.2)

    def start(self) -> None:
        """Serve from a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        """Stop serving and release the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
        self._httpd.server_close()

    def __enter__(self) -> DashboardServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
