"""Kraken error strings mapped onto the adapter error family (one table, exact matches).

The classes are the shared venue_http errors under Kraken's names; whether a failure leaves an
executing order's outcome unknown is decided by their flags (see venue_http/errors.py), not
here: an `EService:Unavailable` or a rate-limit answer to AddOrder is UNKNOWN, never retried.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from datetime import datetime

import attrs

from peak_trade.adapters.venue_http.errors import (
    ExchangeAPIError,
    VenueAuthError,
    VenueCredentialsError,
    VenueOrderNotFoundError,
    VenueOrderRejectedError,
    VenueRateLimitError,
    VenueUnavailableError,
    VenueUnknownSymbolError,
)
from peak_trade.domain.orders import RejectReason


class KrakenUnavailableError(VenueUnavailableError):
    """EService:Unavailable/Busy, internal errors. Retryable for reads; UNKNOWN for orders."""


class KrakenRateLimitError(VenueRateLimitError):
    """A Kraken rate limit (REST counter, per-pair order counter, throttling, lockout)."""


class KrakenAuthError(VenueAuthError):
    """Invalid key or signature, missing permission, locked account. Fatal."""


class KrakenCredentialsError(KrakenAuthError, VenueCredentialsError):
    """Credentials missing or malformed in the environment; names the variable, never its value."""


class KrakenNonceError(KrakenAuthError):
    """EAPI:Invalid nonce (retried once with a fresh nonce before this escapes)."""


class KrakenUnknownSymbolError(VenueUnknownSymbolError):
    """EQuery:* or a symbol missing from AssetPairs."""


class KrakenOrderNotFoundError(VenueOrderNotFoundError):
    """Kraken does not know the order id."""


class KrakenOrderRejectedError(VenueOrderRejectedError):
    """A business rejection of an order; submit_order turns it into OrderAck(REJECTED)."""


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
            text, retry_after=rule.retry_after, endpoint=endpoint, venue_codes=codes
        )
    if kind is ErrorKind.UNKNOWN_SYMBOL:
        return KrakenUnknownSymbolError(text, endpoint=endpoint, venue_codes=codes)
    if kind is ErrorKind.ORDER_REJECTED:
        assert rule.reason is not None
        return KrakenOrderRejectedError(
            text, reason=rule.reason, endpoint=endpoint, venue_codes=codes
        )
    # An error string we cannot classify is neither retryable nor a proven refusal: a read
    # raises it, an executing order that met it is UNKNOWN.
    cls = _SIMPLE.get(kind, ExchangeAPIError)
    return cls(text, endpoint=endpoint, venue_codes=codes)


_SIMPLE: dict[ErrorKind, type[ExchangeAPIError]] = {
    ErrorKind.UNAVAILABLE: KrakenUnavailableError,
    ErrorKind.NONCE: KrakenNonceError,
    ErrorKind.AUTH: KrakenAuthError,
    ErrorKind.ORDER_NOT_FOUND: KrakenOrderNotFoundError,
}
