"""A scriptable alert endpoint on 127.0.0.1 for webhook, Discord and Telegram sink tests.

Records every request (path, headers, body) and answers from a script, one reply per request,
then a default reply:

    with AlertReceiver(Reply.http(500), Reply.retry_after(7)) as receiver:
        sink = webhook_sink(receiver.url("/hook/SECRET"), wait=waits.wait)
        ...
        assert receiver.wait_for(3)

Replies: any status/body, 429 with Retry-After, Discord's and Telegram's rate-limit JSON,
Telegram `ok:false`, `hang` (hold the request until `release` is set, past a client timeout)
and `close_connection` (read the request, then close without answering).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections import deque
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import attrs

from peak_trade.ports.alerts import Alert, AlertLevel

TELEGRAM_SENT = {"ok": True, "result": {"message_id": 1, "chat": {"id": 1}, "text": "x"}}


@attrs.frozen(kw_only=True)
class Reply:
    """One scripted answer; build it with the class methods."""

    kind: str = "answer"  # "answer" | "hang" | "close"
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def ok(cls, status: int = 200) -> Reply:
        return cls(status=status)

    @classmethod
    def http(cls, status: int, text: str = "") -> Reply:
        """A bare HTTP status with an optional text body (Slack answers errors as text)."""
        return cls(status=status, body=text.encode(), headers=(("Content-Type", "text/plain"),))

    @classmethod
    def json(cls, status: int, payload: Mapping[str, Any], **headers: str) -> Reply:
        pairs = (("Content-Type", "application/json"), *headers.items())
        return cls(status=status, body=json.dumps(payload).encode(), headers=pairs)

    @classmethod
    def retry_after(cls, seconds: str | float, status: int = 429) -> Reply:
        """429 (or a 5xx) with a Retry-After header, as a generic or Slack endpoint sends it."""
        return cls(status=status, headers=(("Retry-After", str(seconds)),))

    @classmethod
    def discord_rate_limited(cls, retry_after: float, *, header: str | None = None) -> Reply:
        """Discord's 429: JSON `retry_after` in seconds, optionally the Retry-After header too."""
        payload = {"message": "You are being rate limited.", "retry_after": retry_after}
        extra = {"Retry-After": header} if header is not None else {}
        return cls.json(429, {**payload, "global": False}, **extra)

    @classmethod
    def telegram_sent(cls) -> Reply:
        return cls.json(200, TELEGRAM_SENT)

    @classmethod
    def telegram_error(
        cls,
        code: int,
        description: str,
        *,
        status: int | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Reply:
        """`{"ok": false, "error_code": ...}`, by default with the matching HTTP status."""
        payload: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            payload["parameters"] = dict(parameters)
        return cls.json(code if status is None else status, payload)

    @classmethod
    def telegram_rate_limited(cls, retry_after: int) -> Reply:
        return cls.telegram_error(
            429,
            f"Too Many Requests: retry after {retry_after}",
            parameters={"retry_after": retry_after},
        )

    @classmethod
    def hang(cls) -> Reply:
        """Hold the request open until the receiver's `release` is set, then answer 200."""
        return cls(kind="hang")

    @classmethod
    def close_connection(cls) -> Reply:
        """Read the request, then close the connection without an answer."""
        return cls(kind="close")


@attrs.frozen(kw_only=True)
class Received:
    """One request as it arrived."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class AlertReceiver:
    """HTTP endpoint on a random loopback port; a context manager."""

    def __init__(self, *script: Reply, otherwise: Reply | None = None) -> None:
        self.release = threading.Event()
        self._script: deque[Reply] = deque(script)
        self._otherwise = otherwise if otherwise is not None else Reply.ok()
        self._received: list[Received] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="alert-receiver", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def requests(self) -> list[Received]:
        with self._changed:
            return list(self._received)

    def bodies(self) -> list[Any]:
        return [r.json() for r in self.requests]

    def add(self, *replies: Reply) -> None:
        """Append replies to the script."""
        with self._changed:
            self._script.extend(replies)

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """True once `count` requests have arrived; False when `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._received) >= count, timeout)

    def __enter__(self) -> AlertReceiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def arrived(self, request: Received) -> Reply:
        """Record `request` and pick its reply (called by the handler thread)."""
        with self._changed:
            self._received.append(request)
            reply = self._script.popleft() if self._script else self._otherwise
            self._changed.notify_all()
        return reply


def _handler_for(receiver: AlertReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            reply = receiver.arrived(
                Received(
                    method="POST",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
            )
            if reply.kind == "close":
                self.close_connection = True
                return
            if reply.kind == "hang":
                receiver.release.wait(30)
                reply = Reply.ok()
            with contextlib.suppress(OSError):  # the client may have given up meanwhile
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


class RecordedWaits:
    """A sink's injected wait: records each requested wait and returns at once (never sleeps).

    With `block=True` it really waits on the sink's stop event (so `close()` can interrupt it)
    and sets `entered` first, so a test can act while the sink is waiting.
    """

    def __init__(self, *, block: bool = False) -> None:
        self.seconds: list[float] = []
        self.entered = threading.Event()
        self._block = block

    def __call__(self, seconds: float, stop: threading.Event) -> bool:
        self.seconds.append(seconds)
        self.entered.set()
        if self._block:
            return stop.wait(seconds)
        return stop.is_set()


def sample_alert(
    rule: str = "halted",
    *,
    level: AlertLevel = AlertLevel.CRITICAL,
    message: str = "trading halted: max_daily_loss_abs",
    context: Mapping[str, Any] | None = None,
) -> Alert:
    """A critical `halted` alert with a symbol and a Decimal in its context."""
    return Alert(
        ts=datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
        level=level,
        rule=rule,
        message=message,
        context=(
            context
            if context is not None
            else {"symbol": "BTC/EUR", "reason": "max_daily_loss_abs", "equity": Decimal("9400.5")}
        ),
    )
