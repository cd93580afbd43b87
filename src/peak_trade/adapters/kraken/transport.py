"""HTTP transport for Kraken REST: signing, nonce, rate limits, retries, error translation.

Returns Kraken's `result` (plain JSON) to the adapter modules; nothing from httpx leaves here
except as an ExchangeAPIError subclass (`raise ... from exc`). The HTTP stack is loaded and the
pooled client built when the first request is sent, not before (venue_http/lazy_session.py).

An executing AddOrder is sent once: after any failure that does not prove Kraken refused it
before processing (timeouts, dropped connections, 5xx, HTML, EService:Unavailable/Busy, rate
limits) it is not repeated; the order desk reports it UNKNOWN (venue_http/retry.py).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.adapters.kraken.credentials import KrakenCredentials
from peak_trade.adapters.kraken.errors import (
    KrakenCredentialsError,
    KrakenNonceError,
    KrakenRateLimitError,
    KrakenUnavailableError,
)
from peak_trade.adapters.kraken.mapping import parse_envelope
from peak_trade.adapters.kraken.nonce import NonceSource
from peak_trade.adapters.kraken.ratelimit import KrakenRateLimiter, limiter_for
from peak_trade.adapters.kraken.signing import api_sign, form_body
from peak_trade.adapters.kraken.venue import kraken_venue
from peak_trade.adapters.venue_http.json_values import excerpt, protocol_error
from peak_trade.adapters.venue_http.lazy_session import HttpAnswer, LazyHttpSession
from peak_trade.adapters.venue_http.retry import RetryPolicy
from peak_trade.adapters.venue_http.venues import refuse_unless_sandbox
from peak_trade.ports.clock import ClockPort

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

USER_AGENT = "peak_trade/0.35 (kraken-adapter)"
EXECUTING_ENDPOINTS = frozenset({"AddOrder", "AddOrderBatch", "EditOrder", "AmendOrder"})
_PUBLIC_HEADERS = {"User-Agent": USER_AGENT}


@attrs.frozen(kw_only=True)
class Call:
    """One logical request; `safe_to_repeat` decides whether it may ever be sent twice."""

    endpoint: str
    params: Mapping[str, str] = attrs.field(factory=dict)
    private: bool = False
    safe_to_repeat: bool = True
    retries: int | None = None  # None: config.max_retries
    pair: str | None = None  # per-pair order counter (AddOrder, CancelOrder)
    order_age: float | None = None


def api_root(base_url: str) -> str:
    """Base URL without a trailing slash or /0 (paths are always /0/public|private/<Method>)."""
    root = base_url.rstrip("/")
    return root[:-2] if root.endswith("/0") else root


class KrakenTransport:
    """Sends Calls to Kraken with signing, nonces, client-side limits and bounded retries."""

    def __init__(
        self,
        config: KrakenTestnetConfig,
        clock: ClockPort,
        http: httpx.Client | None,
        credentials: KrakenCredentials | None,
        *,
        missing_credentials: KrakenCredentialsError | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._config = config
        self._clock = clock
        self._credentials = credentials
        self._missing = missing_credentials
        self._root = api_root(config.base_url)
        self._venue = kraken_venue(config)
        self._http = LazyHttpSession(self._root, float(config.timeout_seconds), http)
        self._retry = RetryPolicy(clock, rng=rng)
        key_id = credentials.key_id if credentials is not None else "public"
        self.limiter: KrakenRateLimiter = limiter_for(
            key_id, config.tier, config.rate_limit_ms / 1000.0, clock
        )
        self._nonces = (
            NonceSource(config.state_dir, credentials.key_id, clock) if credentials else None
        )

    @property
    def retry_waits(self) -> list[float]:
        """Backoff waits so far, in order (virtual with a fake clock)."""
        return self._retry.waits

    def close(self) -> None:
        """Close the HTTP client this transport made (not an injected one); release nonce state."""
        self._http.close()
        if self._nonces is not None:
            self._nonces.close()

    def call(self, call: Call) -> object:
        """Kraken's `result` for `call`, retrying what is safe to retry."""
        if call.endpoint in EXECUTING_ENDPOINTS and call.params.get("validate") != "true":
            # Second, independent guard (the client's constructor is the first): an order that
            # could execute never leaves for a production host, whatever built this Call.
            refuse_unless_sandbox(self._venue, f"Kraken {call.endpoint}")
        if call.private and self._credentials is None:
            raise self._missing or KrakenCredentialsError("no Kraken credentials configured")
        retries = self._config.max_retries if call.retries is None else call.retries
        return self._retry.run(
            lambda: self._send_once(call),
            what=f"Kraken {call.endpoint}",
            retries=retries,
            repeatable=call.safe_to_repeat,
        )

    def _send_once(self, call: Call) -> object:
        """One attempt; an invalid nonce (refused before processing) gets one fresh nonce."""
        try:
            return self._send(call)
        except KrakenNonceError:
            log.warning("Kraken %s: invalid nonce, retrying once", call.endpoint)
            return self._send(call)

    def _send(self, call: Call) -> object:
        self.limiter.acquire(
            call.endpoint, private=call.private, pair=call.pair, order_age=call.order_age
        )
        if call.private:
            url, headers, body = self._signed(call)
            answer = self._http.send("POST", call.endpoint, url, headers, body)
        else:
            url = f"{self._root}/0/public/{call.endpoint}"
            if call.params:
                url = f"{url}?{form_body(call.params)}"
            answer = self._http.send("GET", call.endpoint, url, _PUBLIC_HEADERS)
        try:
            return self._result(call.endpoint, answer)
        except KrakenRateLimitError:
            self.limiter.penalize(call.endpoint, call.pair)
            raise

    def _signed(self, call: Call) -> tuple[str, dict[str, str], bytes]:
        """URL, headers and body of a private call, with a fresh nonce and its API-Sign."""
        assert self._credentials is not None
        assert self._nonces is not None
        nonce = str(self._nonces.next())
        body = form_body({"nonce": nonce, **call.params})
        path = f"/0/private/{call.endpoint}"
        headers = {
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "API-Key": self._credentials.api_key,
            "API-Sign": api_sign(path, nonce, body, self._credentials.secret),
        }
        return f"{self._root}{path}", headers, body.encode("utf-8")

    def _result(self, endpoint: str, answer: HttpAnswer) -> object:
        status = answer.status
        body = answer.body
        if status == 429:
            raise KrakenRateLimitError(
                f"HTTP 429 from Kraken: {excerpt(body)!r}", endpoint=endpoint, retry_after=None
            )
        if status >= 500:
            raise KrakenUnavailableError(
                f"HTTP {status} from Kraken: {excerpt(body)!r}", endpoint=endpoint
            )
        if status != 200 and "json" not in answer.content_type:
            raise protocol_error(endpoint, f"unexpected HTTP {status}", body)
        return parse_envelope(endpoint, body, self._clock.now())
