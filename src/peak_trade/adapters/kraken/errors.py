"""Kraken error strings mapped onto the port's error taxonomy (one table, exact matches)."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from datetime import datetime

import attrs

from peak_trade.domain.orders import RejectReason
from peak_trade.ports.errors import (
    ExchangeAuthError,
    ExchangeError,
    ExchangeProtocolError,
    ExchangeUnavailableError,
    OrderNotFoundError,
    RateLimitedError,
    UnknownSymbolError,
)


class ExchangeAPIError(ExchangeError):
    """Base of every Kraken adapter failure; `ambiguous` = the request may have been processed."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        endpoint: str = "",
        kraken_errors: tuple[str, ...] = (),
        ambiguous: bool = False,
    ) -> None:
        super().__init__(f"{endpoint}: {message}" if endpoint else message)
        self.endpoint = endpoint
        self.kraken_errors = kraken_errors
        self.ambiguous = ambiguous


class KrakenUnavailableError(ExchangeAPIError, ExchangeUnavailableError):
    """Kraken unreachable, timed out, 5xx or EService:Unavailable/Busy. Retryable."""

    retryable = True


class KrakenRateLimitError(ExchangeAPIError, RateLimitedError):
    """A Kraken rate limit (REST counter, per-pair order counter, throttling, lockout)."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        endpoint: str = "",
        kraken_errors: tuple[str, ...] = (),
        ambiguous: bool = False,
    ) -> None:
        ExchangeAPIError.__init__(
            self, message, endpoint=endpoint, kraken_errors=kraken_errors, ambiguous=ambiguous
        )
        self.retry_after = retry_after


class KrakenAuthError(ExchangeAPIError, ExchangeAuthError):
    """Invalid key or signature, missing permission, locked account. Fatal."""


class KrakenCredentialsError(KrakenAuthError):
    """Credentials missing or malformed in the environment; names the variable, never its value."""


class KrakenNonceError(KrakenAuthError):
    """EAPI:Invalid nonce (retried once with a fresh nonce before this escapes)."""


class KrakenUnknownSymbolError(ExchangeAPIError, UnknownSymbolError):
    """EQuery:* or a symbol missing from AssetPairs."""

    def __init__(
        self,
        message: str,
        *,
        suggestions: tuple[str, ...] = (),
        endpoint: str = "",
        kraken_errors: tuple[str, ...] = (),
    ) -> None:
        ExchangeAPIError.__init__(self, message, endpoint=endpoint, kraken_errors=kraken_errors)
        self.suggestions = suggestions


class KrakenProtocolError(ExchangeAPIError, ExchangeProtocolError):
    """HTML, non-JSON, truncated JSON, missing `result` or wrong types."""


class KrakenOrderNotFoundError(ExchangeAPIError, OrderNotFoundError):
    """Kraken does not know the order id."""


class KrakenOrderRejectedError(ExchangeAPIError):
    """A business rejection of an order; submit_order turns it into OrderAck(REJECTED)."""

    def __init__(
        self,
        message: str,
        *,
        reason: RejectReason,
        endpoint: str = "",
        kraken_errors: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, endpoint=endpoint, kraken_errors=kraken_errors)
        self.reason = reason


class ErrorKind(enum.Enum):
    UNAVAILABLE = "unavailable"
    RATE_LIMITED = "rate_limited"
    AUTH = "auth"
    NONCE = "nonce"
    UNKNOWN_SYMBOL = "unknown_symbol"
    ORDER_REJECTED = "order_rejected"
    ORDER_NOT_FOUND = "order_not_found"
    OTHER = "other"


@attrs.frozen
class ErrorRule:
    """How one Kraken error string is classified."""

    kind: ErrorKind
    reason: RejectReason | None = None
    retry_after: float | None = None


LOCKOUT_SECONDS = 900.0  # Kraken support: lockouts "typically last approximately 15 minutes"
RATE_LIMIT_SECONDS = 5.0  # Kraken CLI suggestion: wait 5-15 s after a rate-limit error

_R = RejectReason
_EXACT: dict[str, ErrorRule] = {
    "EService:Unavailable": ErrorRule(ErrorKind.UNAVAILABLE),
    "EService:Busy": ErrorRule(ErrorKind.UNAVAILABLE),
    "EService:Deadline elapsed": ErrorRule(ErrorKind.UNAVAILABLE),
    "EGeneral:Internal error": ErrorRule(ErrorKind.UNAVAILABLE),
    "EDatabase:Internal error": ErrorRule(ErrorKind.UNAVAILABLE),
    "EAPI:Rate limit exceeded": ErrorRule(ErrorKind.RATE_LIMITED, retry_after=RATE_LIMIT_SECONDS),
    "EOrder:Rate limit exceeded": ErrorRule(ErrorKind.RATE_LIMITED, retry_after=RATE_LIMIT_SECONDS),
    "EGeneral:Too many requests": ErrorRule(ErrorKind.RATE_LIMITED, retry_after=RATE_LIMIT_SECONDS),
    "EGeneral:Temporary lockout": ErrorRule(ErrorKind.RATE_LIMITED, retry_after=LOCKOUT_SECONDS),
    "EAPI:Invalid key": ErrorRule(ErrorKind.AUTH),
    "EAPI:Invalid signature": ErrorRule(ErrorKind.AUTH),
    "EAPI:Invalid nonce": ErrorRule(ErrorKind.NONCE),
    "EGeneral:Permission denied": ErrorRule(ErrorKind.AUTH),
    "ETrade:User Locked": ErrorRule(ErrorKind.AUTH),
    "ESession:Invalid session": ErrorRule(ErrorKind.AUTH),
    "EAuth:Failed": ErrorRule(ErrorKind.AUTH),
    "EQuery:Unknown asset pair": ErrorRule(ErrorKind.UNKNOWN_SYMBOL),
    "EQuery:Unknown asset": ErrorRule(ErrorKind.UNKNOWN_SYMBOL),
    "EQuery:Invalid asset pair": ErrorRule(ErrorKind.UNKNOWN_SYMBOL),
    "EOrder:Unknown order": ErrorRule(ErrorKind.ORDER_NOT_FOUND),
    "EOrder:Order minimum not met": ErrorRule(ErrorKind.ORDER_REJECTED, _R.ORDER_MINIMUM_NOT_MET),
    "EOrder:Cost minimum not met": ErrorRule(ErrorKind.ORDER_REJECTED, _R.COST_MINIMUM_NOT_MET),
    "EOrder:Tick size check failed": ErrorRule(ErrorKind.ORDER_REJECTED, _R.TICK_SIZE_CHECK_FAILED),
    "EOrder:Insufficient funds": ErrorRule(ErrorKind.ORDER_REJECTED, _R.INSUFFICIENT_FUNDS),
    "EOrder:Invalid price": ErrorRule(ErrorKind.ORDER_REJECTED, _R.INVALID_PRICE),
    "EOrder:Orders limit exceeded": ErrorRule(ErrorKind.ORDER_REJECTED, _R.ORDERS_LIMIT_EXCEEDED),
    "EOrder:Positions limit exceeded": ErrorRule(
        ErrorKind.ORDER_REJECTED, _R.ORDERS_LIMIT_EXCEEDED
    ),
    "EService:Market in cancel_only mode": ErrorRule(
        ErrorKind.ORDER_REJECTED, _R.MARKET_CANCEL_ONLY
    ),
    "EService:Market in post_only mode": ErrorRule(ErrorKind.ORDER_REJECTED, _R.MARKET_POST_ONLY),
    # UNVERIFIED: Kraken documents cancel_only/post_only errors, not this string; it is the
    # analogous guess for a pair in limit_only status (the local check refuses such orders first).
    "EService:Market in limit_only mode": ErrorRule(ErrorKind.ORDER_REJECTED, _R.MARKET_LIMIT_ONLY),
    "EGeneral:Invalid arguments:price": ErrorRule(ErrorKind.ORDER_REJECTED, _R.INVALID_PRICE),
}

# Prefix rules, checked in order after the exact table (the first match wins).
_PREFIX: tuple[tuple[str, ErrorRule], ...] = (
    ("EGeneral:Internal error:", ErrorRule(ErrorKind.UNAVAILABLE)),
    ("EGeneral:Invalid arguments", ErrorRule(ErrorKind.ORDER_REJECTED, _R.INVALID_ARGUMENTS)),
    ("EOrder:Invalid price", ErrorRule(ErrorKind.ORDER_REJECTED, _R.INVALID_PRICE)),
    ("EOrder:", ErrorRule(ErrorKind.ORDER_REJECTED, _R.VENUE_REJECTED)),
    ("EQuery:", ErrorRule(ErrorKind.UNKNOWN_SYMBOL)),
)

_THROTTLED = re.compile(r"^EService:\s*Throttled(?::\s*(\d+))?\s*$")


def classify(error: str, now: datetime) -> ErrorRule:
    """The rule for one Kraken error string; `now` turns Throttled's timestamp into a wait."""
    text = error.strip()
    if text in _EXACT:
        return _EXACT[text]
    throttled = _THROTTLED.match(text)
    if throttled:
        until = throttled.group(1)
        wait = max(0.0, int(until) - now.timestamp()) if until else RATE_LIMIT_SECONDS
        return ErrorRule(ErrorKind.RATE_LIMITED, retry_after=wait)
    for prefix, rule in _PREFIX:
        if text.startswith(prefix):
            return rule
    return ErrorRule(ErrorKind.OTHER)


def error_from_kraken(endpoint: str, errors: Sequence[str], now: datetime) -> ExchangeAPIError:
    """The exception for a non-empty Kraken `error` array (the first error decides)."""
    codes = tuple(str(e) for e in errors)
    first = codes[0]
    rule = classify(first, now)
    text = "; ".join(codes)
    kind = rule.kind
    if kind is ErrorKind.RATE_LIMITED:
        return KrakenRateLimitError(
            text, retry_after=rule.retry_after, endpoint=endpoint, kraken_errors=codes
        )
    if kind is ErrorKind.UNKNOWN_SYMBOL:
        return KrakenUnknownSymbolError(text, endpoint=endpoint, kraken_errors=codes)
    if kind is ErrorKind.ORDER_REJECTED:
        assert rule.reason is not None
        return KrakenOrderRejectedError(
            text, reason=rule.reason, endpoint=endpoint, kraken_errors=codes
        )
    cls = _SIMPLE.get(kind, ExchangeAPIError)
    return cls(text, endpoint=endpoint, kraken_errors=codes)


_SIMPLE: dict[ErrorKind, type[ExchangeAPIError]] = {
    ErrorKind.UNAVAILABLE: KrakenUnavailableError,
    ErrorKind.NONCE: KrakenNonceError,
    ErrorKind.AUTH: KrakenAuthError,
    ErrorKind.ORDER_NOT_FOUND: KrakenOrderNotFoundError,
}
