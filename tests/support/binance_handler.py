"""HTTP request handling of the loopback Binance server (paths, params, auth, faults)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.binance_faults import Fault
from tests.support.binance_order_rules import BinanceFailure
from tests.support.binance_routes import ROUTES, Route

if TYPE_CHECKING:
    from tests.support.binance_server import BinanceLoopbackServer

Answer = tuple[int, Any, dict[str, str]]


class BinanceRequestHandler(BaseHTTPRequestHandler):
    """Parses Binance paths and parameters, applies faults, answers with Binance's JSON."""

    protocol_version = "HTTP/1.1"
    server_version = "BinanceLoopback/1.0"
    # One segment per response (headers and body buffered and flushed together, TCP_NODELAY):
    # see kraken_handler.py for the 40 ms Nagle + delayed-ACK stall this avoids.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    @property
    def binance(self) -> BinanceLoopbackServer:
        server: BinanceLoopbackServer = self.server.binance  # type: ignore[attr-defined]
        return server

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
        url = urlsplit(self.path)
        route = ROUTES.get((method, url.path))
        if route is None:
            self._send(404, {"code": -1020, "msg": "This operation is not supported."}, {})
            return
        params = dict(parse_qsl(raw_body, keep_blank_values=True))
        params.update(parse_qsl(url.query, keep_blank_values=True))  # the query string wins
        key = f"{method} {url.path}"
        self.binance.record(key, params)
        fault = self.binance.take_fault(key)
        if fault is not None and fault.apply_after_lookups:
            self._defer(route, params, url.query, raw_body, fault)
            return
        if fault is not None and not fault.process:
            self._misbehave(fault, None)
            return
        answer = self._answer(route, params, url.query, raw_body)
        if route.lookup:
            self.binance.lookup_answered()
        if fault is not None:
            self._misbehave(fault, answer)
            return
        self._send(*answer)

    def _answer(self, route: Route, params: dict[str, str], query: str, body: str) -> Answer:
        server = self.binance
        headers: dict[str, str] = {}
        try:
            with server.lock:
                headers = server.charge_weight(route.weight)
                account = None
                if route.signed:
                    account = server.authenticate(dict(self.headers.items()), query, body, params)
                now = server.market_ms()
                if account is not None:
                    server.match_resting(account, now)
                return 200, route.handler(server, account, params, now), headers
        except BinanceFailure as failure:
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return failure.status, {"code": failure.code, "msg": failure.msg}, headers

    def _defer(
        self, route: Route, params: dict[str, str], query: str, body: str, fault: Fault
    ) -> None:
        """Check the order like Binance would, keep it for later, misbehave now."""
        server = self.binance
        try:
            with server.lock:
                account = server.authenticate(dict(self.headers.items()), query, body, params)
                server.book.validate(params)
        except BinanceFailure as failure:
            self._send(failure.status, {"code": failure.code, "msg": failure.msg}, {})
            return
        server.defer_order(account, params, fault.apply_after_lookups)
        self._misbehave(fault, None)

    def _misbehave(self, fault: Fault, answer: Answer | None) -> None:
        status, payload, headers = answer if answer is not None else (200, {}, {})
        if fault.kind == "close":
            self.close_connection = True  # answer nothing; the socket is closed
            return
        if fault.kind == "delay":
            self.binance.stopping.wait(fault.seconds)
            self._send(status, payload, headers)
            return
        if fault.kind == "raw":
            self._send_raw(fault.status, fault.body.encode(), "text/html", {})
            return
        if fault.kind == "json":
            self._send_raw(fault.status, fault.body.encode(), "application/json", {})
            return
        if fault.kind == "truncated":
            data = json.dumps(payload).encode()
            self._send_raw(status, data[: max(1, len(data) // 2)], "application/json", headers)
            return
        if fault.kind == "error":
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            self._send(fault.status, {"code": fault.code, "msg": fault.msg}, extra)
            return
        raise AssertionError(f"unknown fault kind {fault.kind}")

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send_raw(status, data, "application/json;charset=UTF-8", headers)

    def _send_raw(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str]
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
