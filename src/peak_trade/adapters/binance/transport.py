"""HTTP transport for Binance Spot REST: signing, server time, weight budget, retries, errors.

Returns Binance's decoded JSON to the adapter modules; nothing from httpx leaves here except
as an ExchangeAPIError subclass. The HTTP stack is loaded when the first request is sent.

Order safety lives here twice over:
- a request that could execute (any non-GET but the test-order endpoints) never leaves for a
  production host, whatever built it (the client's constructor is the first guard);
- a non-repeatable request (an executing order) is sent once; only a failure that proves it
  never left (connection refused) or that Binance refused it before processing (-1021, which
  is retried once with a fresh timestamp) lets it go out again.
"""

from __future__ import annotations

import json
import logging
import random
from typing import TYPE_CHECKING

import attrs

from peak_trade.adapters.binance.config import BinanceTestnetConfig
from peak_trade.adapters.binance.credentials import BinanceCredentials
from peak_trade.adapters.binance.errors import (
    BinanceClockSkewError,
    BinanceCredentialsError,
    BinanceRateLimitError,
    BinanceUnavailableError,
    error_from_binance,
)
from peak_trade.adapters.binance.server_time import ServerClock
from peak_trade.adapters.binance.signing import encode_params
from peak_trade.adapters.binance.venue import binance_venue, could_execute
from peak_trade.adapters.binance.weights import WeightLimiter
from peak_trade.adapters.venue_http.errors import ExchangeAPIError
from peak_trade.adapters.venue_http.json_values import as_dict, excerpt, integer, protocol_error
from peak_trade.adapters.venue_http.lazy_session import HttpAnswer, LazyHttpSession
from peak_trade.adapters.venue_http.retry import RetryPolicy
from peak_trade.adapters.venue_http.venues import refuse_unless_sandbox
from peak_trade.ports.clock import ClockPort

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

USER_AGENT = "peak_trade/0.35 (binance-adapter)"
TIME_PATH = "/api/v3/time"
_FORM = "application/x-www-form-urlencoded"


@attrs.frozen(kw_only=True)
class Request:
    """One logical request. `repeatable=False` (an executing order) means: sent at most once."""

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    signed: bool = False
    weight: int = 1
    repeatable: bool = True
    retries: int | None = None  # None: config.max_retries

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"


def api_root(base_url: str) -> str:
    """Base URL without a trailing slash (paths are always /api/v3/...)."""
    return base_url.rstrip("/")


class BinanceTransport:
    """Sends Requests to Binance with signing, timestamps, the weight budget and retries."""

    def __init__(
        self,
        config: BinanceTestnetConfig,
        clock: ClockPort,
        http: httpx.Client | None,
        credentials: BinanceCredentials | None,
        *,
        missing_credentials: BinanceCredentialsError | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._config = config
        self._clock = clock
        self._credentials = credentials
        self._missing = missing_credentials
        self._root = api_root(config.base_url)
        self._venue = binance_venue(config)
        self._http = LazyHttpSession(self._root, float(config.timeout_seconds), http)
        self._retry = RetryPolicy(clock, rng=rng)
        self.server_clock = ServerClock(clock)
        self.weights = WeightLimiter(clock, self.server_clock.now_ms)

    @property
    def retry_waits(self) -> list[float]:
        """Backoff waits so far, in order (virtual with a fake clock)."""
        return self._retry.waits

    def close(self) -> None:
        """Close the HTTP client this transport made (an injected one stays open)."""
        self._http.close()

    def call(self, request: Request) -> object:
        """Binance's decoded JSON answer to `request`, retrying only what is safe to retry."""
        if could_execute(request.method, request.path):
            refuse_unless_sandbox(self._venue, f"Binance {request.endpoint}")
        if request.signed:
            if self._credentials is None:
                raise self._missing or BinanceCredentialsError("no Binance credentials configured")
            if self.server_clock.needs_sync:
                self._sync_before(request)
        retries = self._config.max_retries if request.retries is None else request.retries
        return self._retry.run(
            lambda: self._attempt(request),
            what=f"Binance {request.endpoint}",
            retries=retries,
            repeatable=request.repeatable,
        )

    def sync_clock(self) -> int:
        """Learn the server-time offset from GET /api/v3/time (a retried read); returns it (ms)."""
        sent = self._clock.now()
        result = self._retry.run(
            lambda: self._send(Request(method="GET", path=TIME_PATH)),
            what=f"Binance GET {TIME_PATH}",
            retries=self._config.max_retries,
            repeatable=True,
        )
        received = self._clock.now()
        server_ms = integer(
            as_dict(result, TIME_PATH, "answer").get("serverTime"), TIME_PATH, "serverTime"
        )
        offset = self.server_clock.learn(server_ms, sent, received)
        log.debug("Binance server time offset %+d ms", offset)
        return offset

    def _sync_before(self, request: Request) -> None:
        """Sync the clock; a failure here happens before `request` was sent (unsent)."""
        try:
            self.sync_clock()
        except ExchangeAPIError as exc:
            raise BinanceUnavailableError(
                f"server time unavailable, request not sent ({exc})",
                endpoint=request.endpoint,
                unsent=True,
            ) from exc

    def _attempt(self, request: Request) -> object:
        """One send; -1021 (refused before processing) re-syncs and resends once."""
        try:
            return self._send(request)
        except BinanceClockSkewError as exc:
            log.warning(
                "Binance %s: %s; re-syncing the clock, retrying once", request.endpoint, exc
            )
            self._sync_before(request)
            return self._send(request)

    def _send(self, request: Request) -> object:
        self.weights.acquire(request.weight)
        params = list(request.params)
        headers = {"User-Agent": USER_AGENT}
        if request.signed:
            assert self._credentials is not None
            params.append(("recvWindow", str(self._config.recv_window_ms)))
            params.append(("timestamp", str(self.server_clock.now_ms())))
            encoded = encode_params(params)
            signature = self._credentials.signer.sign(encoded)  # query + body: one of them
            encoded = f"{encoded}&{encode_params([('signature', signature)])}"
            headers["X-MBX-APIKEY"] = self._credentials.api_key
        else:
            encoded = encode_params(params)
        body: bytes | None = None
        url = f"{self._root}{request.path}"
        if request.method == "POST":
            body = encoded.encode("ascii")
            headers["Content-Type"] = _FORM
        elif encoded:
            url = f"{url}?{encoded}"
        answer = self._http.send(request.method, request.endpoint, url, headers, body)
        self.weights.observe(answer.headers.get("x-mbx-used-weight-1m"))
        return self._result(request.endpoint, answer)

    def _result(self, endpoint: str, answer: HttpAnswer) -> object:
        status, body = answer.status, answer.body
        payload = _json_or_none(body)
        if status == 200:
            if payload is None:
                raise protocol_error(endpoint, "response is not valid JSON", body)
            return payload
        retry_after = _seconds(answer.headers.get("retry-after"))
        if isinstance(payload, dict) and isinstance(payload.get("code"), int):
            code = payload["code"]
            message = str(payload.get("msg", ""))
            raise error_from_binance(
                endpoint,
                code,
                message,
                status=status,
                retry_after=retry_after,
                auth_hint=self._auth_hint(),
            )
        if status in (418, 429):
            raise BinanceRateLimitError(
                f"HTTP {status} from Binance: {excerpt(body)!r}",
                endpoint=endpoint,
                retry_after=retry_after,
            )
        if status >= 500:
            raise BinanceUnavailableError(
                f"HTTP {status} from Binance: {excerpt(body)!r}", endpoint=endpoint
            )
        raise protocol_error(endpoint, f"unexpected HTTP {status}", body)

    def _auth_hint(self) -> str:
        return (
            f"check the key in {self._config.api_key_env_var}: testnet and production keys are "
            "separate systems, orders need the TRADE permission, and IP restrictions apply"
        )


def _json_or_none(body: bytes) -> object | None:
    try:
        decoded: object = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded


def _seconds(header: str | None) -> float | None:
    """Retry-After in seconds (Binance sends an integer), or None."""
    if header is None:
        return None
    try:
        return max(0.0, float(header.strip()))
    except ValueError:
        return None
