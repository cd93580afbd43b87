"""Binance error codes and HTTP statuses mapped onto the adapter error family (one table).

See binance-api.md section 4 and docs/order-outcomes.md. Codes decide, messages refine: -2010,
-1013 and -2011 carry the reason only in `msg` ("Account has insufficient balance...",
"Filter failure: LOT_SIZE", "Market is closed.").
"""

from __future__ import annotations

import enum
import re

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


class BinanceUnavailableError(VenueUnavailableError):
    """5xx, -1000/-1001/-1006/-1007/-1008: retried for reads, UNKNOWN for an executing order."""


class BinanceRateLimitError(VenueRateLimitError):
    """HTTP 429/418, -1003, -1015; `retry_after` from the Retry-After header."""


class BinanceAuthError(VenueAuthError):
    """-1002, -1022, -2014, -2015: wrong key for this environment, signature, permission, IP."""


class BinanceCredentialsError(BinanceAuthError, VenueCredentialsError):
    """Credentials missing or malformed in the environment; names the variable, never its value."""


class BinanceClockSkewError(ExchangeAPIError):
    """-1021: the timestamp was outside recvWindow. Refused before processing; the transport
    re-learns the server time and retries once before this escapes."""

    refused = True


class BinanceUnknownSymbolError(VenueUnknownSymbolError):
    """-1121, or a symbol missing from exchangeInfo."""


class BinanceOrderNotFoundError(VenueOrderNotFoundError):
    """-2013 (or an id that cannot be a Binance order id). `placed_here`: this client saw the
    venue accept the order, so its disappearance suggests a testnet reset."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str = "",
        venue_codes: tuple[str, ...] = (),
        placed_here: bool = False,
    ) -> None:
        super().__init__(message, endpoint=endpoint, venue_codes=venue_codes)
        self.placed_here = placed_here


class BinanceOrderRejectedError(VenueOrderRejectedError):
    """A documented rejection of an order (-1013, -2010, -11xx); becomes OrderAck(REJECTED)."""

    @property
    def duplicate_client_id(self) -> bool:
        """-2010 "Duplicate order sent.": an open order already has this client order id."""
        return "Duplicate order" in str(self)


class BinanceCancelRejectedError(ExchangeAPIError):
    """-2011: the order is unknown or already final; the client reads its state instead."""

    refused = True


class Kind(enum.Enum):
    UNAVAILABLE = "unavailable"
    RATE_LIMITED = "rate_limited"
    AUTH = "auth"
    CLOCK = "clock"
    UNKNOWN_SYMBOL = "unknown_symbol"
    REJECTED = "rejected"
    CANCEL_REJECTED = "cancel_rejected"
    NOT_FOUND = "not_found"
    OTHER = "other"


_CODES: dict[int, Kind] = {
    -1000: Kind.UNAVAILABLE,
    -1001: Kind.UNAVAILABLE,
    -1006: Kind.UNAVAILABLE,
    -1007: Kind.UNAVAILABLE,
    -1008: Kind.UNAVAILABLE,
    -1016: Kind.UNAVAILABLE,
    -1003: Kind.RATE_LIMITED,
    -1015: Kind.RATE_LIMITED,
    -1002: Kind.AUTH,
    -1022: Kind.AUTH,
    -2014: Kind.AUTH,
    -2015: Kind.AUTH,
    -1021: Kind.CLOCK,
    -1121: Kind.UNKNOWN_SYMBOL,
    -1013: Kind.REJECTED,
    -2010: Kind.REJECTED,
    -2011: Kind.CANCEL_REJECTED,
    -2013: Kind.NOT_FOUND,
    -2026: Kind.NOT_FOUND,  # archived: cancelled/expired without fills over 90 days ago
}

_R = RejectReason
# -1013 "Filter failure: <NAME>" -> the closest reason code.
FILTER_REASONS: dict[str, RejectReason] = {
    "PRICE_FILTER": _R.INVALID_PRICE,
    "PERCENT_PRICE": _R.PRICE_OUT_OF_RANGE,
    "PERCENT_PRICE_BY_SIDE": _R.PRICE_OUT_OF_RANGE,
    "LOT_SIZE": _R.LOT_SIZE_CHECK_FAILED,
    "MARKET_LOT_SIZE": _R.LOT_SIZE_CHECK_FAILED,
    "MIN_NOTIONAL": _R.COST_MINIMUM_NOT_MET,
    "NOTIONAL": _R.COST_MINIMUM_NOT_MET,
    "MAX_NUM_ORDERS": _R.ORDERS_LIMIT_EXCEEDED,
    "MAX_NUM_ALGO_ORDERS": _R.ORDERS_LIMIT_EXCEEDED,
    "MAX_NUM_ICEBERG_ORDERS": _R.ORDERS_LIMIT_EXCEEDED,
    "MAX_NUM_ORDER_LISTS": _R.ORDERS_LIMIT_EXCEEDED,
    "MAX_NUM_ORDER_AMENDS": _R.ORDERS_LIMIT_EXCEEDED,
    "EXCHANGE_MAX_NUM_ORDERS": _R.ORDERS_LIMIT_EXCEEDED,
    "EXCHANGE_MAX_NUM_ALGO_ORDERS": _R.ORDERS_LIMIT_EXCEEDED,
    "EXCHANGE_MAX_NUM_ICEBERG_ORDERS": _R.ORDERS_LIMIT_EXCEEDED,
    "EXCHANGE_MAX_NUM_ORDER_LISTS": _R.ORDERS_LIMIT_EXCEEDED,
    "MAX_POSITION": _R.ORDERS_LIMIT_EXCEEDED,
}
# -2010 / -1013 matching-engine messages (exact text, as errors.md lists them).
MESSAGE_REASONS: dict[str, RejectReason] = {
    "Account has insufficient balance for requested action.": _R.INSUFFICIENT_FUNDS,
    "Market is closed.": _R.MARKET_NOT_TRADING,
    "Market orders are not supported for this symbol.": _R.MARKET_LIMIT_ONLY,
    "Price * QTY is zero or less.": _R.COST_MINIMUM_NOT_MET,
    "This symbol is not permitted for this account.": _R.PERMISSION_DENIED,
    "This symbol is restricted for this account.": _R.PERMISSION_DENIED,
    "This action is disabled on this account.": _R.PERMISSION_DENIED,
    "This account may not place or cancel orders.": _R.PERMISSION_DENIED,
    "Rest API trading is not enabled.": _R.PERMISSION_DENIED,
    "Unsupported order combination": _R.INVALID_ARGUMENTS,
}
_FILTER = re.compile(r"Filter failure:\s*([A-Z_]+)")
_PARAMETER = re.compile(r"parameter '([A-Za-z]+)'", re.IGNORECASE)


def reject_reason(code: int, message: str) -> RejectReason:
    """The reason code of an order rejection (-1013, -2010, -11xx)."""
    text = message.strip()
    if text in MESSAGE_REASONS:
        return MESSAGE_REASONS[text]
    found = _FILTER.search(text)
    if found:
        return FILTER_REASONS.get(found.group(1), _R.VENUE_REJECTED)
    if code == -1121:
        return _R.UNKNOWN_SYMBOL
    if -1199 <= code <= -1100:
        parameter = _PARAMETER.search(text)
        if parameter and parameter.group(1).lower() in ("price", "stopprice"):
            return _R.INVALID_PRICE
        return _R.INVALID_ARGUMENTS
    return _R.VENUE_REJECTED


@attrs.frozen
class Classified:
    kind: Kind
    reason: RejectReason | None = None


def classify(code: int, message: str) -> Classified:
    """How one Binance error code (and its message) is treated."""
    kind = _CODES.get(code)
    if kind is None and -1199 <= code <= -1100:
        kind = Kind.REJECTED  # request/parameter errors: the request never reached the engine
    if kind is None:
        return Classified(Kind.OTHER)
    if kind is Kind.REJECTED:
        return Classified(kind, reject_reason(code, message))
    return Classified(kind)


def error_from_binance(
    endpoint: str,
    code: int,
    message: str,
    *,
    status: int,
    retry_after: float | None = None,
    auth_hint: str = "",
) -> ExchangeAPIError:
    """The exception for Binance's `{"code": ..., "msg": ...}` answer with HTTP `status`."""
    classified = classify(code, message)
    text = f"{code} {message} (HTTP {status})"
    codes = (str(code),)
    kind = classified.kind
    if status in (418, 429) or kind is Kind.RATE_LIMITED:
        return BinanceRateLimitError(
            text, retry_after=retry_after, endpoint=endpoint, venue_codes=codes
        )
    if kind is Kind.REJECTED:
        assert classified.reason is not None
        if classified.reason is RejectReason.UNKNOWN_SYMBOL:
            return BinanceUnknownSymbolError(text, endpoint=endpoint, venue_codes=codes)
        return BinanceOrderRejectedError(
            text, reason=classified.reason, endpoint=endpoint, venue_codes=codes
        )
    if kind is Kind.AUTH:
        hint = f"; {auth_hint}" if auth_hint else ""
        return BinanceAuthError(text + hint, endpoint=endpoint, venue_codes=codes)
    simple: dict[Kind, type[ExchangeAPIError]] = {
        Kind.UNAVAILABLE: BinanceUnavailableError,
        Kind.CLOCK: BinanceClockSkewError,
        Kind.UNKNOWN_SYMBOL: BinanceUnknownSymbolError,
        Kind.CANCEL_REJECTED: BinanceCancelRejectedError,
        Kind.NOT_FOUND: BinanceOrderNotFoundError,
    }
    if kind in simple:
        return simple[kind](text, endpoint=endpoint, venue_codes=codes)
    if status >= 500:
        return BinanceUnavailableError(text, endpoint=endpoint, venue_codes=codes)
    # An unclassified code: not retryable, not a proven refusal (an executing order is UNKNOWN).
    return ExchangeAPIError(text, endpoint=endpoint, venue_codes=codes)
