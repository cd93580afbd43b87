"""The only module of the shared mechanics that imports httpx: send, and translate failures.

Which failures may have reached the venue matters for orders: a refused or timed-out *connect*
means nothing was sent (`unsent=True`, safe to repeat even for an order); a timeout or a broken
connection after the request went out leaves the outcome unknown.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from peak_trade.adapters.venue_http.errors import VenueUnavailableError
from peak_trade.adapters.venue_http.lazy_session import HttpAnswer


class HttpxSession:
    """One reused httpx.Client (made here unless one was injected); no redirects followed."""

    def __init__(self, root: str, timeout_seconds: float, http: httpx.Client | None) -> None:
        self._root = root
        self._timeout_seconds = timeout_seconds
        self._timeout = httpx.Timeout(timeout_seconds)
        self._owns_client = http is None
        self._client = http if http is not None else httpx.Client(follow_redirects=False)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def send(
        self,
        method: str,
        endpoint: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
    ) -> HttpAnswer:
        try:
            response = self._client.request(
                method, url, content=body, headers=headers, timeout=self._timeout
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise VenueUnavailableError(
                f"could not connect to {self._root}: {type(exc).__name__}",
                endpoint=endpoint,
                unsent=True,
            ) from exc
        except httpx.TimeoutException as exc:
            raise VenueUnavailableError(
                f"no answer within {self._timeout_seconds} s ({type(exc).__name__})",
                endpoint=endpoint,
            ) from exc
        except httpx.HTTPError as exc:
            raise VenueUnavailableError(
                f"connection failed after the request was sent ({type(exc).__name__})",
                endpoint=endpoint,
            ) from exc
        return HttpAnswer(
            status=response.status_code,
            content_type=response.headers.get("content-type", ""),
            body=response.content,
            headers={name.lower(): value for name, value in response.headers.items()},
        )
