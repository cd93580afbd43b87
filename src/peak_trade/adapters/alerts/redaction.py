"""Keeping alert-service secrets out of text: URL reduction and masking of known secret values."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

REDACTED = "<redacted>"


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


def url_secrets(url: str) -> tuple[str, ...]:
    """The parts of `url` beyond scheme and host that may carry a token: the URL, path, query."""
    try:
        parts = urlsplit(url)
        password = parts.password or ""
    except ValueError:
        return (url,)
    found = [url, parts.query, password]
    if parts.path.strip("/"):
        found.append(parts.path)
    return tuple(part for part in found if len(part) >= 4)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of a secret replaced by a marker (longest secrets first)."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
