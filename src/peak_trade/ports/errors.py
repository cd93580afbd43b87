"""Errors that may cross the ExchangePort (a business rejection is an OrderAck, not these)."""

from __future__ import annotations


class ExchangeError(Exception):
    """Base of every failure an exchange adapter reports."""


class ExchangeUnavailableError(ExchangeError):
    """The venue is unreachable, timed out or busy. Retryable."""


class RateLimitedError(ExchangeError):
    """The venue or the local limiter says slow down. Retryable after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ExchangeAuthError(ExchangeError):
    """Credentials are missing, wrong or lack permission. Fatal."""


class UnknownSymbolError(ExchangeError):
    """The venue has no market for this symbol; `suggestions` lists close matches."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class ExchangeProtocolError(ExchangeError):
    """The venue answered something unparseable or invalid."""


class UnsupportedTimeframeError(ExchangeError):
    """The venue cannot serve candles in the requested timeframe."""


class OrderNotFoundError(ExchangeError):
    """The venue has no order with this id."""
