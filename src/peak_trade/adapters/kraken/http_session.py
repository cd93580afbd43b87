"""The HTTP side of the Kraken transport: one pooled keep-alive httpx.Client, errors translated.

The only adapter module that imports httpx. The transport imports it when it sends its first
request, so building the adapter (e.g. for `peak-trade session --dry-run`) loads no HTTP stack.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import httpx

from peak_trade.adapters.kraken.errors import KrakenUnavailableError


@attrs.frozen
class HttpAnswer:
    """Status, content type and raw body of one HTTP response."""

    status: int
    content_type: str
    body: bytes


class KrakenHttp:
    """Sends GET/POST with one reused httpx.Client (made here unless one was injected)."""

    def __init__(self, root: str, timeout_seconds: float, http: httpx.Client | None) -> None:
        self._root = root
        self._timeout_seconds = timeout_seconds
        self._timeout = httpx.Timeout(timeout_seconds)
        self._owns_client = http is None
        self._client = http if http is not None else httpx.Client(follow_redirects=False)

    def close(self) -> None:
        """Close the connection pool if this object made it."""
        if self._owns_client:
            self._client.close()

    def send(
        self, endpoint: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> HttpAnswer:
        """GET `url` (body None) or POST `body`; transport failures as KrakenUnavailableError."""
        try:
            if body is None:
                response = self._client.get(url, headers=headers, timeout=self._timeout)
            else:
                response = self._client.post(
                    url, content=body, headers=headers, timeout=self._timeout
                )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise KrakenUnavailableError(
                f"could not connect to {self._root}: {type(exc).__name__}", endpoint=endpoint
            ) from exc
        except httpx.TimeoutException as exc:
            raise KrakenUnavailableError(
                f"no answer within {self._timeout_seconds} s ({type(exc).__name__})",
                endpoint=endpoint,
                ambiguous=True,
            ) from exc
        except httpx.HTTPError as exc:
            raise KrakenUnavailableError(
                f"connection failed after the request was sent ({type(exc).__name__})",
                endpoint=endpoint,
                ambiguous=True,
            ) from exc
        return HttpAnswer(
            status=response.status_code,
            content_type=response.headers.get("content-type", ""),
            body=response.content,
        )
