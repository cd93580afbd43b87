"""The error family of HTTP venue adapters, on top of the port errors.

Two questions decide what the order path may do after a failure:
- `retryable`: may a *read* (or a validate-only order) be sent again after this failure?
- may the venue have processed the request? Only two answers prove it did not: the request
  never left (`unsent`, e.g. the TCP connection was refused) or the venue answered with a
  refusal it gives before processing (`refused`: authentication, clock/nonce checks, order
  validation). Every other failure after an executing request leaves its outcome unknown
  (`outcome_unknown`): the order is reported UNKNOWN and never sent again.
"""

from __future__ import annotations

from typing import ClassVar

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
    """Base of every venue adapter failure; `venue_codes` are the venue's own error codes."""

    retryable: ClassVar[bool] = False
    refused: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        endpoint: str = "",
        venue_codes: tuple[str, ...] = (),
        unsent: bool = False,
    ) -> None:
        super().__init__(f"{endpoint}: {message}" if endpoint else message)
        self.endpoint = endpoint
        self.venue_codes = venue_codes
        self.unsent = unsent

    @property
    def outcome_unknown(self) -> bool:
        """True when the venue may have processed the request (anything but unsent/refused)."""
        return not (self.unsent or self.refused)


class VenueUnavailableError(ExchangeAPIError, ExchangeUnavailableError):
    """Unreachable, timed out, 5xx, busy. Retryable for reads."""

    retryable = True


class VenueRateLimitError(ExchangeAPIError, RateLimitedError):
    """A venue rate limit or ban; `retry_after` in seconds when the venue said."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        endpoint: str = "",
        venue_codes: tuple[str, ...] = (),
    ) -> None:
        ExchangeAPIError.__init__(self, message, endpoint=endpoint, venue_codes=venue_codes)
        self.retry_after = retry_after


class VenueAuthError(ExchangeAPIError, ExchangeAuthError):
    """Invalid key or signature, missing permission, locked account. Fatal."""

    refused = True


class VenueCredentialsError(VenueAuthError):
    """Credentials missing or malformed in the environment; names the variable, never its value."""


class VenueProtocolError(ExchangeAPIError, ExchangeProtocolError):
    """HTML, non-JSON, truncated JSON or wrong shapes. A read may be retried."""

    retryable = True


class VenueUnknownSymbolError(ExchangeAPIError, UnknownSymbolError):
    """The venue lists no such market; `suggestions` are close matches."""

    refused = True

    def __init__(
        self,
        message: str,
        *,
        suggestions: tuple[str, ...] = (),
        endpoint: str = "",
        venue_codes: tuple[str, ...] = (),
    ) -> None:
        ExchangeAPIError.__init__(self, message, endpoint=endpoint, venue_codes=venue_codes)
        self.suggestions = suggestions


class VenueOrderNotFoundError(ExchangeAPIError, OrderNotFoundError):
    """The venue does not know the order id."""


class VenueOrderRejectedError(ExchangeAPIError):
    """A documented business rejection of an order; submit_order returns it as REJECTED."""

    refused = True

    def __init__(
        self,
        message: str,
        *,
        reason: RejectReason,
        endpoint: str = "",
        venue_codes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, endpoint=endpoint, venue_codes=venue_codes)
        self.reason = reason
