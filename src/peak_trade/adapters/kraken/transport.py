"""HTTP transport for Kraken REST: signing, nonce, rate limits, retries, error translation.

Returns Kraken's `result` (plain JSON) to the adapter modules; nothing from httpx leaves here
except as an ExchangeAPIError subclass (`raise ... from exc`). The HTTP stack (http_session.py,
httpx) is loaded and the pooled client built when the first request is sent, not before.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.adapters.kraken.credentials import KrakenCredentials
from peak_trade.adapters.kraken.errors import (
    ExchangeAPIError,
    KrakenCredentialsError,
    KrakenNonceError,
    KrakenRateLimitError,
    KrakenUnavailableError,
)
from peak_trade.adapters.kraken.mapping import excerpt, parse_envelope, protocol_error
from peak_trade.adapters.kraken.nonce import NonceSource
from peak_trade.adapters.kraken.ratelimit import KrakenRateLimiter, limiter_for
from peak_trade.adapters.kraken.signing import api_sign, form_body
from peak_trade.adapters.kraken.venue import kraken_venue
from peak_trade.domain.environment import require_safe_venue
from peak_trade.ports.clock import ClockPort

if TYPE_CHECKING:
    import httpx

    from peak_trade.adapters.kraken.http_session import HttpAnswer, KrakenHttp

log = logging.getLogger(__name__)

USER_AGENT = "peak_trade/0.35 (kraken-adapter)"
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
MAX_RETRY_WAIT_SECONDS = 60.0  # longer waits (e.g. a 15-minute lockout) are raised, not slept
EXECUTING_ENDPOINTS = frozenset({"AddOrder", "AddOrderBatch", "EditOrder", "AmendOrder"})
_PUBLIC_HEADERS = {"User-Agent": USER_AGENT}


@attrs.frozen(kw_only=True)
class Call:
    """One logical request; `safe_to_repeat` decides whether ambiguous failures are retried."""

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
        self._injected_http = http
        self._http: KrakenHttp | None = None
        self._credentials = credentials
        self._missing = missing_credentials
        self._root = api_root(config.base_url)
        self._venue = kraken_venue(config)
        self._rng = rng if rng is not None else random.Random()
        key_id = credentials.key_id if credentials is not None else "public"
        self.limiter: KrakenRateLimiter = limiter_for(
            key_id, config.tier, config.rate_limit_ms / 1000.0, clock
        )
        self._nonces = (
            NonceSource(config.state_dir, credentials.key_id, clock) if credentials else None
        )
        self.requests: Counter[str] = Counter()  # sent requests per endpoint (API budget)
        self.retry_waits: list[float] = []  # backoff waits, in order (virtual with a fake clock)

    @property
    def has_credentials(self) -> bool:
        return self._credentials is not None

    def close(self) -> None:
        """Close the HTTP client this transport made (not an injected one); release nonce state."""
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._nonces is not None:
            self._nonces.close()

    def _session(self) -> KrakenHttp:
        """The HTTP session, built (and httpx imported) on the first request."""
        if self._http is None:
            from peak_trade.adapters.kraken.http_session import KrakenHttp

            self._http = KrakenHttp(
                self._root, float(self._config.timeout_seconds), self._injected_http
            )
        return self._http

    def call(self, call: Call) -> object:
        """Kraken's `result` for `call`, retrying what is safe to retry."""
        if call.endpoint in EXECUTING_ENDPOINTS and call.params.get("validate") != "true":
            # Second, independent guard (the client's constructor is the first): an order that
            # could execute never leaves for a production host, whatever built this Call.
            require_safe_venue(attrs.evolve(self._venue, validate_only=False))
        if call.private and self._credentials is None:
            raise self._missing or KrakenCredentialsError("no Kraken credentials configured")
        retries = self._config.max_retries if call.retries is None else call.retries
        attempt = 0
        nonce_retried = False
        while True:
            try:
                return self._send(call)
            except KrakenNonceError:
                if nonce_retried:
                    raise
                nonce_retried = True  # Kraken rejected it before processing: fresh nonce, once
                log.warning("Kraken %s: invalid nonce, retrying once", call.endpoint)
                continue
            except ExchangeAPIError as exc:
                if isinstance(exc, KrakenRateLimitError):
                    self.limiter.penalize(call.endpoint, call.pair)
                failure = exc
            if not failure.retryable or attempt >= retries:
                raise failure
            if failure.ambiguous and not call.safe_to_repeat:
                raise failure
            retry_after = failure.retry_after if isinstance(failure, KrakenRateLimitError) else None
            wait = self._backoff(attempt, retry_after)
            if wait > MAX_RETRY_WAIT_SECONDS:
                raise failure
            attempt += 1
            log.warning(
                "Kraken %s failed (%s); retry %d/%d in %.2f s",
                call.endpoint,
                failure,
                attempt,
                retries,
                wait,
            )
            self.retry_waits.append(wait)
            self._clock.sleep(wait)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        base = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * float(2**attempt))
        wait = base + self._rng.uniform(0, base / 2)
        return max(wait, retry_after) if retry_after is not None else wait

    def _send(self, call: Call) -> object:
        self.limiter.acquire(
            call.endpoint, private=call.private, pair=call.pair, order_age=call.order_age
        )
        self.requests[call.endpoint] += 1
        if call.private:
            url, headers, body = self._signed(call)
            answer = self._session().send(call.endpoint, url, headers, body)
        else:
            url = f"{self._root}/0/public/{call.endpoint}"
            if call.params:
                url = f"{url}?{form_body(call.params)}"
            answer = self._session().send(call.endpoint, url, _PUBLIC_HEADERS, None)
        return self._result(call.endpoint, answer)

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
                f"HTTP {status} from Kraken: {excerpt(body)!r}", endpoint=endpoint, ambiguous=True
            )
        if status != 200 and "json" not in answer.content_type:
            raise protocol_error(endpoint, f"unexpected HTTP {status}", body)
        return parse_envelope(endpoint, body, self._clock.now())
