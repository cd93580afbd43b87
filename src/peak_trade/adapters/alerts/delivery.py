"""HttpAlertSink: the one delivery mechanism behind every HTTP alert service.

A bounded queue and one background worker thread per sink: `send()` only enqueues (a full queue
drops and counts), the worker POSTs with bounded retries, and `close()` drains with a deadline.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import random
import threading
import time
from collections.abc import Callable

import attrs
import httpx

from peak_trade.adapters.alerts.attempt import post_once
from peak_trade.adapters.alerts.redaction import scrub
from peak_trade.adapters.alerts.retry import RetryPolicy
from peak_trade.adapters.alerts.service import AlertService, Outcome
from peak_trade.ports.alerts import Alert

_log = logging.getLogger(__name__)
_STOP = object()
# After the deadline, the worker is told to stop; a worker waiting for a retry wakes at once.
_STOP_GRACE_SECONDS = 1.0

Wait = Callable[[float, threading.Event], bool]
"""Waits up to `seconds` or until the event is set; True when the event (closing) ended it."""


def event_wait(seconds: float, stop: threading.Event) -> bool:
    """The real wait: sleeps on the stop event, so `close()` interrupts it."""
    return stop.wait(seconds)


@attrs.frozen(kw_only=True)
class DeliveryStats:
    """One sink's counters: delivered, failed (given up), dropped (queue full, closed), retries."""

    delivered: int = 0
    failed: int = 0
    dropped: int = 0
    retries: int = 0


@attrs.frozen(kw_only=True)
class DeliverySettings:
    """A sink's delivery settings, as it applies them."""

    timeout_seconds: float
    retry: RetryPolicy
    queue_size: int
    close_timeout_seconds: float


class HttpAlertSink:
    """Delivers alerts to one `AlertService` from a worker thread; never blocks, never raises.

    Per alert: up to `retry.attempts` POSTs; connection errors, timeouts, 429 and 5xx are retried
    after the service's own wait hint or an exponential backoff with jitter; other answers are
    final. Log lines show the service and its scheme and host, never a token or URL path.
    """

    def __init__(
        self,
        service: AlertService,
        *,
        timeout_seconds: float = 5.0,
        queue_size: int = 100,
        retry: RetryPolicy | None = None,
        close_timeout_seconds: float = 2.0,
        transport: httpx.BaseTransport | None = None,
        wait: Wait | None = None,
        jitter: Callable[[], float] | None = None,
    ) -> None:
        if timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        self._service = service
        self._timeout = float(timeout_seconds)
        self._retry = retry if retry is not None else RetryPolicy()
        self._close_timeout = float(close_timeout_seconds)
        self._transport = transport
        self._wait = wait if wait is not None else event_wait
        self._jitter = jitter if jitter is not None else random.random
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, queue_size))
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._closed = False
        self._pending = 0
        self._stats = DeliveryStats()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._service.label} {self._service.destination})"

    @property
    def destination(self) -> str:
        """Where alerts go, without the secret parts of the URL."""
        return self._service.destination

    @property
    def settings(self) -> DeliverySettings:
        """How this sink delivers: timeout, retry policy, queue size and close deadline."""
        return DeliverySettings(
            timeout_seconds=self._timeout,
            retry=self._retry,
            queue_size=self._queue.maxsize,
            close_timeout_seconds=self._close_timeout,
        )

    @property
    def running(self) -> bool:
        """True while the worker thread is alive."""
        worker = self._worker
        return worker is not None and worker.is_alive()

    def stats(self) -> DeliveryStats:
        """A consistent snapshot of the counters."""
        with self._lock:
            return self._stats

    def send(self, alert: Alert) -> None:
        """Queue `alert` for delivery; drops (and counts) it when the queue is full or closed."""
        try:
            with self._lock:
                if self._closed:
                    self._count(dropped=1)
                    return
                self._start_worker()
                self._queue.put_nowait(alert)
                self._pending += 1
        except queue.Full:
            self._count_locked(dropped=1)
            self._warn("alert %s dropped: queue full (%d dropped so far)", alert, self._dropped())
        except Exception as exc:  # e.g. no thread could be started; the session goes on
            self._count_locked(dropped=1)
            self._warn("alert %s dropped (%s)", alert, type(exc).__name__)

    def drain(self, timeout: float) -> bool:
        """Wait until every queued alert was handled; False when `timeout` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self, timeout: float | None = None) -> None:
        """Stop taking alerts, deliver what is queued until the deadline, then stop the worker.

        Returns within `timeout` (default `close_timeout_seconds`) plus at most one second for
        the worker to end. A retry wait still running at the deadline is cut short and its alert
        counted as failed, as are alerts still queued; a request in flight is left to its own
        timeout (the worker is a daemon thread and ends after it).
        """
        limit = self._close_timeout if timeout is None else max(0.0, timeout)
        deadline = time.monotonic() + limit
        with self._lock:
            self._closed = True
            worker = self._worker
        if worker is None:
            return
        self.drain(max(0.0, deadline - time.monotonic()))
        self._stopping.set()
        # Wakes a worker waiting for work; a full queue means it is busy and sees `_stopping`.
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_STOP)
        worker.join(max(deadline - time.monotonic(), _STOP_GRACE_SECONDS))
        if worker.is_alive():
            _log.warning(
                "%s %s: still sending at close; the worker ends after its request times out",
                self._service.label,
                self._service.destination,
            )

    # --- worker -------------------------------------------------------------------------------

    def _start_worker(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(
                target=self._run, name=f"peak-trade-alerts-{self._service.label}", daemon=True
            )
            self._worker.start()

    def _run(self) -> None:
        transport = self._transport if self._transport is not None else httpx.HTTPTransport()
        try:
            while True:
                try:  # once stopping, take what is left without waiting, then end
                    item = self._queue.get(block=not self._stopping.is_set())
                except queue.Empty:
                    return
                if item is _STOP:
                    return
                assert isinstance(item, Alert)
                if self._stopping.is_set():
                    self._warn("alert %s not delivered: the sink was closed", item)
                    self._finish(delivered=False)
                else:
                    self._finish(delivered=self._deliver_guarded(transport, item))
        finally:
            if self._transport is None:
                transport.close()

    def _deliver_guarded(self, transport: httpx.BaseTransport, alert: Alert) -> bool:
        try:
            return self._deliver(transport, alert)
        except Exception as exc:  # a formatter or parser bug must not end the worker
            self._warn("alert %s not delivered (%s)", alert, type(exc).__name__)
            return False

    def _deliver(self, transport: httpx.BaseTransport, alert: Alert) -> bool:
        post = self._service.request(alert)
        policy = self._retry
        for attempt in range(policy.attempts):
            verdict = post_once(transport, post, self._service, timeout_seconds=self._timeout)
            if verdict.outcome is Outcome.DELIVERED:
                return True
            if verdict.outcome is Outcome.REJECTED:
                self._warn("alert %s not delivered (%s)", alert, verdict.reason)
                return False
            if attempt + 1 == policy.attempts:
                self._warn(
                    "alert %s not delivered (%s) after %d attempt(s)",
                    alert,
                    verdict.reason,
                    policy.attempts,
                )
                return False
            delay = verdict.retry_after
            if delay is None:
                delay = policy.backoff(attempt, self._jitter())
            elif delay > policy.max_wait_seconds:
                self._warn(
                    "alert %s given up (%s): asked to wait %.1fs, longer than %.1fs",
                    alert,
                    verdict.reason,
                    delay,
                    policy.max_wait_seconds,
                )
                return False
            _log.info(
                "%s %s: alert %s attempt %d failed (%s); retrying in %.1fs",
                self._service.label,
                self._service.destination,
                alert.rule,
                attempt + 1,
                scrub(verdict.reason, self._service.secrets),
                delay,
            )
            if self._wait(delay, self._stopping):
                self._warn(
                    "alert %s not delivered (%s): closed while waiting to retry",
                    alert,
                    verdict.reason,
                )
                return False
            self._count_locked(retries=1)
        return False

    # --- counters -----------------------------------------------------------------------------

    def _finish(self, *, delivered: bool) -> None:
        with self._idle:
            self._count(delivered=int(delivered), failed=int(not delivered))
            self._pending -= 1
            self._idle.notify_all()

    def _count(
        self, *, delivered: int = 0, failed: int = 0, dropped: int = 0, retries: int = 0
    ) -> None:
        """Add to the counters; the caller holds the lock."""
        now = self._stats
        self._stats = DeliveryStats(
            delivered=now.delivered + delivered,
            failed=now.failed + failed,
            dropped=now.dropped + dropped,
            retries=now.retries + retries,
        )

    def _count_locked(self, *, dropped: int = 0, retries: int = 0) -> None:
        with self._lock:
            self._count(dropped=dropped, retries=retries)

    def _dropped(self) -> int:
        with self._lock:
            return self._stats.dropped

    def _warn(self, template: str, alert: Alert, *args: object) -> None:
        """One warning `<service> <scheme://host>: ...`, with any secret masked."""
        message = template % (alert.rule, *args)
        _log.warning(
            "%s %s: %s",
            self._service.label,
            self._service.destination,
            scrub(message, self._service.secrets),
        )
