"""HTTP request handling of the loopback Kraken server (paths, bodies, faults, envelopes)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.kraken_book import KrakenFailure
from tests.support.kraken_faults import Fault
from tests.support.kraken_routes import PRIVATE_ROUTES, PUBLIC_ROUTES

if TYPE_CHECKING:
    from tests.support.kraken_server import KrakenLoopbackServer


LOOKUPS = frozenset({"OpenOrders", "ClosedOrders", "QueryOrders"})


class KrakenRequestHandler(BaseHTTPRequestHandler):
    """Parses Kraken paths and bodies, applies faults, answers with Kraken envelopes."""

    protocol_version = "HTTP/1.1"
    server_version = "KrakenLoopback/1.0"
    # One segment per response: headers and body are buffered and flushed together, and
    # TCP_NODELAY is set. Unbuffered, the headers and the body left as two small writes, and
    # Nagle's algorithm plus the client's delayed ACK stalled every response by ~40 ms.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length) if length else b"")

    def _handle(self, raw: bytes) -> None:
        kraken: KrakenLoopbackServer = self.server.kraken  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "0" or parts[1] not in ("public", "private"):
            self._send(404, {"error": ["EGeneral:Unknown method"]})
            return
        kind, method = parts[1], parts[2]
        routes = PUBLIC_ROUTES if kind == "public" else PRIVATE_ROUTES
        if method not in routes:
            self._send(404, {"error": ["EGeneral:Unknown method"]})
            return
        body = raw.decode("utf-8", errors="replace")
        try:
            params = self._params(url.query, body)
        except ValueError:
            self._send(200, {"error": ["EGeneral:Invalid arguments"]})
            return
        with kraken.lock:
            kraken.request_counts[method] += 1
            kraken.requests.append((method, {k: v for k, v in params.items() if k != "nonce"}))
        fault = kraken.take_fault(method)
        if fault is not None and fault.apply_after_lookups:
            self._defer(kraken, params, url.path, body, fault)
            return
        if fault is not None and not fault.process:
            self._misbehave(fault, None)
            return
        payload = self._answer(kraken, kind, method, params, url.path, body)
        if method in LOOKUPS:
            kraken.lookup_answered()
        if fault is not None:
            self._misbehave(fault, payload)
            return
        self._send(200, payload)

    def _defer(
        self,
        kraken: KrakenLoopbackServer,
        params: dict[str, str],
        path: str,
        body: str,
        fault: Fault,
    ) -> None:
        """Authenticate the order, keep it for later (see Fault.applied_late), misbehave now."""
        headers = {k: v for k, v in self.headers.items()}
        try:
            with kraken.lock:
                account = kraken.authenticate(headers, path, body, params.get("nonce", ""))
        except KrakenFailure as failure:
            self._send(200, {"error": [failure.error]})
            return
        kraken.defer_order(account, params, fault.apply_after_lookups)
        self._misbehave(fault, None)

    def _answer(
        self,
        kraken: KrakenLoopbackServer,
        kind: str,
        method: str,
        params: dict[str, str],
        path: str,
        body: str,
    ) -> dict[str, Any]:
        try:
            with kraken.lock:
                account = None
                if kind == "private":
                    headers = {k: v for k, v in self.headers.items()}
                    account = kraken.authenticate(headers, path, body, params.get("nonce", ""))
                return {"error": [], "result": kraken.dispatch(kind, method, params, account)}
        except KrakenFailure as failure:
            return {"error": [failure.error]}

    def _params(self, query: str, body: str) -> dict[str, str]:
        params = dict(parse_qsl(query, keep_blank_values=True))
        if not body:
            return params
        if "json" in (self.headers.get("Content-Type") or ""):
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("JSON body must be an object")
            params.update({k: _text(v) for k, v in data.items()})
        else:
            params.update(parse_qsl(body, keep_blank_values=True))
        return params

    def _misbehave(self, fault: Fault, payload: dict[str, Any] | None) -> None:
        kraken: KrakenLoopbackServer = self.server.kraken  # type: ignore[attr-defined]
        normal = json.dumps(payload if payload is not None else {"error": [], "result": {}})
        if fault.kind == "close":
            self.close_connection = True  # answer nothing; the socket is closed
            return
        if fault.kind == "delay":
            kraken.stopping.wait(fault.seconds)
            self._send_raw(200, normal.encode(), "application/json")
            return
        if fault.kind == "status":
            self._send_raw(fault.status, fault.body.encode(), "text/plain")
            return
        if fault.kind == "html":
            self._send_raw(fault.status or 200, fault.body.encode(), "text/html")
            return
        if fault.kind == "truncated_json":
            data = normal.encode()
            self._send_raw(200, data[: max(1, len(data) // 2)], "application/json")
            return
        if fault.kind == "raw":
            self._send_raw(200, fault.body.encode(), "application/json")
            return
        if fault.kind == "kraken_error":
            self._send(200, {"error": [fault.error]})
            return
        raise AssertionError(f"unknown fault kind {fault.kind}")

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        self._send_raw(status, json.dumps(payload).encode(), "application/json")

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)
