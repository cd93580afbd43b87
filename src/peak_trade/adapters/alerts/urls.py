"""Checks on the URLs alert services are given, with messages that never quote the URL."""

from __future__ import annotations

from urllib.parse import urlsplit


def require_http_url(url: str, what: str) -> str:
    """`url` if it is an absolute http(s) URL with a host; ValueError naming only `what`."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"{what} must be an absolute http(s) URL with a host")
    return url.strip()
