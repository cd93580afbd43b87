"""What an alert service adds to the shared delivery: the request per alert and how to read answers.

`HttpAlertSink` does the queueing, retrying and counting; an `AlertService` (Slack-style webhook,
Discord, Telegram) only formats the POST and classifies the answer into a `Verdict`.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from peak_trade.ports.alerts import Alert


@attrs.frozen(kw_only=True)
class HttpPost:
    """One JSON POST; the URL may hold a token, so it is never shown."""

    url: str = attrs.field(repr=False)
    body: Mapping[str, Any]


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"  # worth another attempt (connection trouble, timeout, 429, 5xx)
    REJECTED = "rejected"  # the service refused the alert; repeating it would not help


@attrs.frozen(kw_only=True)
class Verdict:
    """How one attempt went; `retry_after` is the wait in seconds the service asked for."""

    outcome: Outcome
    reason: str = ""
    retry_after: float | None = None


DELIVERED = Verdict(outcome=Outcome.DELIVERED)


class AlertService(Protocol):
    """One alert destination's format and answer semantics (no I/O, no state)."""

    @property
    def label(self) -> str:
        """Short service name for logs and thread names, e.g. `telegram`."""
        ...

    @property
    def destination(self) -> str:
        """Where alerts go, scheme and host only."""
        ...

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a log line (token, webhook URL and path)."""
        ...

    def request(self, alert: Alert) -> HttpPost: ...

    def verdict(self, status: int, headers: Mapping[str, str], body: bytes) -> Verdict: ...


def http_verdict(status: int, headers: Mapping[str, str]) -> Verdict:
    """The plain HTTP reading: 2xx delivered; 429 and 5xx retried (honouring Retry-After)."""
    if 200 <= status < 300:
        return DELIVERED
    reason = f"HTTP {status}"
    if status == 429 or 500 <= status < 600:
        return Verdict(
            outcome=Outcome.RETRY, reason=reason, retry_after=retry_after_header(headers)
        )
    return Verdict(outcome=Outcome.REJECTED, reason=reason)  # incl. 3xx: redirects are not followed


def retry_after_header(headers: Mapping[str, str]) -> float | None:
    """Retry-After in seconds; None when absent or an HTTP date (then the backoff applies)."""
    raw = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    return seconds_hint(raw)


def seconds_hint(raw: object) -> float | None:
    """A non-negative finite number of seconds from a header or JSON value, else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        seconds = float(raw) if isinstance(raw, int | float | str) else math.nan
    except ValueError:
        return None
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def longest_hint(*hints: float | None) -> float | None:
    """The longest of the waits asked for (never retry sooner than any hint says), or None."""
    given = [h for h in hints if h is not None]
    return max(given) if given else None


def json_object(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is empty, not JSON or not an object."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
