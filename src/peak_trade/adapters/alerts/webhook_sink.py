"""WebhookAlertSink: JSON POST per alert from a background thread, so a slow hook never blocks."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from peak_trade.adapters.alerts.payload import alert_record, alert_text
from peak_trade.ports.alerts import Alert

if TYPE_CHECKING:
    import httpx

_log = logging.getLogger(__name__)
_STOP = object()


def redact_url(url: str) -> str:
    """Scheme, host and port only: paths, queries and user info of webhook URLs carry tokens."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<invalid url>"
    if not parts.scheme or not host:
        return "<invalid url>"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}"


def webhook_payload(alert: Alert, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Slack-compatible `text` plus the structured alert fields and any extra fields."""
    return {"text": alert_text(alert), **alert_record(alert), **dict(extra)}


class WebhookAlertSink:
    """Queues alerts (bounded; drops and counts when full) and POSTs them from a worker thread.

    `sent`, `failed` and `dropped` count deliveries. Failures are logged with the URL reduced to
    scheme and host. `send` never blocks and never raises.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float = 5.0,
        queue_size: int = 100,
        extra_fields: Mapping[str, Any] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = url
        self._where = redact_url(url)
        self._timeout = timeout_seconds
        self._extra = dict(extra_fields or {})
        self._transport = transport
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, queue_size))
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._worker: threading.Thread | None = None
        self._closed = False
        self.sent = 0
        self.failed = 0
        self.dropped = 0

    def __repr__(self) -> str:
        return f"WebhookAlertSink({self._where})"

    @property
    def destination(self) -> str:
        """Where alerts go, without the secret parts of the URL."""
        return self._where

    def send(self, alert: Alert) -> None:
        with self._lock:
            if self._closed:
                self.dropped += 1
                return
            self._start_worker()
            try:
                self._queue.put_nowait(alert)
            except queue.Full:
                self.dropped += 1
                _log.warning(
                    "webhook %s: queue full, alert %s dropped (%d dropped so far)",
                    self._where,
                    alert.rule,
                    self.dropped,
                )
                return
            self._pending += 1

    def drain(self, timeout: float) -> bool:
        """Wait until every queued alert was handled; False when `timeout` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self, timeout: float = 2.0) -> None:
        """Deliver what is queued (up to `timeout`), then stop the worker."""
        self.drain(timeout)
        with self._lock:
            self._closed = True
            worker = self._worker
        if worker is not None:
            try:
                self._queue.put_nowait(_STOP)
            except queue.Full:
                return  # the daemon worker ends with the process
            worker.join(timeout)

    def _start_worker(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(
                target=self._run, name="peak-trade-webhook", daemon=True
            )
            self._worker.start()

    def _run(self) -> None:
        import httpx  # loaded by the worker thread on the first alert, not at start-up

        with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    return
                assert isinstance(item, Alert)
                ok = self._post(client, item)
                with self._idle:
                    if ok:
                        self.sent += 1
                    else:
                        self.failed += 1
                    self._pending -= 1
                    self._idle.notify_all()

    def _post(self, client: httpx.Client, alert: Alert) -> bool:
        try:
            response = client.post(self._url, json=webhook_payload(alert, self._extra))
        except Exception as exc:  # any failure is counted, never propagated
            _log.warning(
                "webhook %s: alert %s not delivered (%s)",
                self._where,
                alert.rule,
                type(exc).__name__,
            )
            return False
        if response.status_code >= 400:
            _log.warning(
                "webhook %s: alert %s not delivered (HTTP %d)",
                self._where,
                alert.rule,
                response.status_code,
            )
            return False
        return True
