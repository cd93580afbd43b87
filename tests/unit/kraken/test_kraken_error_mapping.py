from __future__ import annotations

from datetime import UTC, datetime

import pytest

from peak_trade.adapters.kraken.errors import (
    KrakenAuthError,
    KrakenNonceError,
    KrakenOrderNotFoundError,
    KrakenOrderRejectedError,
    KrakenRateLimitError,
    KrakenUnavailableError,
    KrakenUnknownSymbolError,
    error_from_kraken,
)
from peak_trade.domain.orders import RejectReason
from peak_trade.ports.errors import (
    ExchangeAuthError,
    ExchangeUnavailableError,
    RateLimitedError,
    UnknownSymbolError,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        ("EService:Unavailable", KrakenUnavailableError),
        ("EService:Busy", KrakenUnavailableError),
        ("EService:Deadline elapsed", KrakenUnavailableError),
        ("EGeneral:Internal error:1234", KrakenUnavailableError),
        ("EAPI:Rate limit exceeded", KrakenRateLimitError),
        ("EOrder:Rate limit exceeded", KrakenRateLimitError),
        ("EGeneral:Temporary lockout", KrakenRateLimitError),
        ("EAPI:Invalid key", KrakenAuthError),
        ("EAPI:Invalid signature", KrakenAuthError),
        ("EGeneral:Permission denied", KrakenAuthError),
        ("EAPI:Invalid nonce", KrakenNonceError),
        ("EQuery:Unknown asset pair", KrakenUnknownSymbolError),
        ("EQuery:Invalid asset pair", KrakenUnknownSymbolError),
        ("EOrder:Unknown order", KrakenOrderNotFoundError),
        ("EOrder:Insufficient funds", KrakenOrderRejectedError),
    ],
)
def test_each_kraken_error_maps_to_its_class(error: str, cls: type[Exception]) -> None:
    exc = error_from_kraken("AddOrder", [error], NOW)
    assert type(exc) is cls
    assert error in str(exc)
    assert "AddOrder" in str(exc)


def test_error_classes_are_also_the_port_error_types() -> None:
    assert isinstance(error_from_kraken("X", ["EService:Busy"], NOW), ExchangeUnavailableError)
    assert isinstance(error_from_kraken("X", ["EAPI:Rate limit exceeded"], NOW), RateLimitedError)
    assert isinstance(error_from_kraken("X", ["EAPI:Invalid key"], NOW), ExchangeAuthError)
    assert isinstance(error_from_kraken("X", ["EQuery:Unknown asset"], NOW), UnknownSymbolError)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("EOrder:Order minimum not met", RejectReason.ORDER_MINIMUM_NOT_MET),
        ("EOrder:Cost minimum not met", RejectReason.COST_MINIMUM_NOT_MET),
        ("EOrder:Tick size check failed", RejectReason.TICK_SIZE_CHECK_FAILED),
        ("EOrder:Insufficient funds", RejectReason.INSUFFICIENT_FUNDS),
        ("EOrder:Invalid price:XXBTZEUR price can only be specified up to 1 decimals.",
         RejectReason.INVALID_PRICE),
        ("EGeneral:Invalid arguments", RejectReason.INVALID_ARGUMENTS),
        ("EGeneral:Invalid arguments:volume", RejectReason.INVALID_ARGUMENTS),
        ("EGeneral:Invalid arguments:price", RejectReason.INVALID_PRICE),
        ("EOrder:Orders limit exceeded", RejectReason.ORDERS_LIMIT_EXCEEDED),
        ("EService:Market in cancel_only mode", RejectReason.MARKET_CANCEL_ONLY),
        ("EService:Market in post_only mode", RejectReason.MARKET_POST_ONLY),
        ("EOrder:Margin level too low", RejectReason.VENUE_REJECTED),
    ],
)  # fmt: skip
def test_order_rejections_carry_the_venue_reason(error: str, reason: RejectReason) -> None:
    exc = error_from_kraken("AddOrder", [error], NOW)
    assert isinstance(exc, KrakenOrderRejectedError)
    assert exc.reason is reason


def test_invalid_nonce_is_not_an_order_rejection_although_it_says_invalid() -> None:
    exc = error_from_kraken("AddOrder", ["EAPI:Invalid nonce"], NOW)
    assert not isinstance(exc, KrakenOrderRejectedError)


def test_throttled_waits_until_its_timestamp() -> None:
    until = int(NOW.timestamp()) + 42
    for text in (f"EService:Throttled:{until}", f"EService: Throttled: {until}"):
        exc = error_from_kraken("Balance", [text], NOW)
        assert isinstance(exc, KrakenRateLimitError)
        assert exc.retry_after == 42


def test_temporary_lockout_asks_for_a_long_wait() -> None:
    exc = error_from_kraken("Balance", ["EGeneral:Temporary lockout"], NOW)
    assert isinstance(exc, KrakenRateLimitError)
    assert exc.retry_after is not None
    assert exc.retry_after >= 600
