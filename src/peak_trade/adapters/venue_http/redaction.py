"""Keeps API keys, signatures and registered secrets out of httpx/httpcore debug logs.

Masked whatever the log level: the values of the Kraken `API-Key` / `API-Sign` headers, the
Binance `X-MBX-APIKEY` header, a `signature=` query or form parameter (Binance puts the request
signature in the URL, which httpx logs), and every value registered with `install_redaction`.
"""

from __future__ import annotations

import logging
import re
import threading

# httpx logs on "httpx"; httpcore on these children (filters do not propagate to children).
HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
_HEADER = re.compile(
    r"(?i)((?:api-(?:key|sign)|x-mbx-apikey)['\"]?\s*[,:=]\s*b?['\"]?)([^'\"\s,)\]]+)"
)
_SIGNATURE_PARAM = re.compile(r"(?i)((?:^|[?&\s'\"])signature=)([^&\s'\"]+)")
REDACTED = "<redacted>"


class SecretRedactingFilter(logging.Filter):
    """Rewrites log records: credential headers, signature parameters and secrets are masked."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def register(self, *values: str) -> None:
        """Add values that must never appear in a log line."""
        with self._lock:
            self._secrets.update(v for v in values if v)

    def redact(self, text: str) -> str:
        """`text` with every known credential shape and registered secret masked."""
        cleaned = _HEADER.sub(lambda m: m.group(1) + REDACTED, text)
        cleaned = _SIGNATURE_PARAM.sub(lambda m: m.group(1) + REDACTED, cleaned)
        with self._lock:
            secrets = tuple(self._secrets)
        for secret in secrets:
            cleaned = cleaned.replace(secret, REDACTED)
        return cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix; let logging report it
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_FILTER: SecretRedactingFilter | None = None
_INSTALL_LOCK = threading.Lock()


def install_redaction(*secrets: str) -> SecretRedactingFilter:
    """Attach the (single, lazily created) filter to the HTTP loggers and register `secrets`."""
    global _FILTER
    with _INSTALL_LOCK:
        if _FILTER is None:
            _FILTER = SecretRedactingFilter()
            for name in HTTP_LOGGERS:
                logging.getLogger(name).addFilter(_FILTER)
        _FILTER.register(*secrets)
        return _FILTER
