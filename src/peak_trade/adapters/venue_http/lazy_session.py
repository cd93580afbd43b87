"""The pooled HTTP session of a venue adapter, built (and httpx imported) on the first request.

Building an adapter (e.g. for `peak-trade session --dry-run`) therefore loads no HTTP stack; an
injected httpx.Client (tests, a shared pool) is used as given and stays the caller's to close.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import httpx

    from peak_trade.adapters.venue_http.httpx_session import HttpxSession


@attrs.frozen
class HttpAnswer:
    """Status, content type, headers (lower-case names) and raw body of one HTTP response."""

    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = attrs.field(factory=dict)


class LazyHttpSession:
    """Sends requests through one keep-alive httpx.Client made on first use."""

    def __init__(self, root: str, timeout_seconds: float, http: httpx.Client | None) -> None:
        self._root = root
        self._timeout_seconds = timeout_seconds
        self._injected = http
        self._session: HttpxSession | None = None

    @property
    def started(self) -> bool:
        """True once the first request built the session."""
        return self._session is not None

    def send(
        self,
        method: str,
        endpoint: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None = None,
    ) -> HttpAnswer:
        """One request; transport failures arrive as VenueUnavailableError (see httpx_session)."""
        if self._session is None:
            from peak_trade.adapters.venue_http.httpx_session import HttpxSession

            self._session = HttpxSession(self._root, self._timeout_seconds, self._injected)
        return self._session.send(method, endpoint, url, headers, body)

    def close(self) -> None:
        """Close the connection pool if this session made it (an injected client stays open)."""
        if self._session is not None:
            self._session.close()
            self._session = None
