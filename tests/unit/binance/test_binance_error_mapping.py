"""Binance codes (and -2010/-1013 messages) map onto the error family and reason codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peak_trade.adapters.binance.errors import (
    BinanceAuthError,
    BinanceCancelRejectedError,
    BinanceClockSkewError,
    BinanceOrderNotFoundError,
    BinanceOrderRejectedError,
    BinanceRateLimitError,
    BinanceUnavailableError,
    BinanceUnknownSymbolError,
    error_from_binance,
    reject_reason,
)
from peak_trade.adapters.venue_http.errors import ExchangeAPIError
from peak_trade.domain.orders import RejectReason
from peak_trade.ports.errors import (
    ExchangeAuthError,
    ExchangeUnavailableError,
    OrderNotFoundError,
    RateLimitedError,
    UnknownSymbolError,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "binance"
ENDPOINT = "POST /api/v3/order"


def _from_fixture(name: str, status: int = 400) -> ExchangeAPIError:
    payload = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return error_from_binance(ENDPOINT, payload["code"], payload["msg"], status=status)


@pytest.mark.parametrize(
    ("name", "status", "cls", "port_error"),
    [
        ("error_invalid_symbol", 400, BinanceUnknownSymbolError, UnknownSymbolError),
        ("error_invalid_api_key", 401, BinanceAuthError, ExchangeAuthError),
        ("error_signature", 400, BinanceAuthError, ExchangeAuthError),
        ("error_no_such_order", 400, BinanceOrderNotFoundError, OrderNotFoundError),
        ("error_too_many_requests", 429, BinanceRateLimitError, RateLimitedError),
        ("error_timeout", 503, BinanceUnavailableError, ExchangeUnavailableError),
    ],
)
def test_codes_map_to_their_classes(
    name: str, status: int, cls: type[Exception], port_error: type[Exception]
) -> None:
    exc = _from_fixture(name, status)
    assert type(exc) is cls
    assert isinstance(exc, port_error)
    assert ENDPOINT in str(exc)


def test_timestamp_outside_recv_window_is_a_refusal_before_processing() -> None:
    exc = _from_fixture("error_timestamp")
    assert isinstance(exc, BinanceClockSkewError)
    assert exc.refused
    assert not exc.outcome_unknown


def test_unknown_order_sent_on_cancel_is_a_cancel_rejection() -> None:
    assert isinstance(_from_fixture("error_unknown_order_sent"), BinanceCancelRejectedError)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("error_lot_size", RejectReason.LOT_SIZE_CHECK_FAILED),
        ("error_insufficient_balance", RejectReason.INSUFFICIENT_FUNDS),
        ("error_market_closed", RejectReason.MARKET_NOT_TRADING),
        ("error_illegal_quantity", RejectReason.INVALID_ARGUMENTS),
        ("error_duplicate_order", RejectReason.VENUE_REJECTED),
    ],
)
def test_documented_rejections_carry_a_reason_and_are_refusals(
    name: str, reason: RejectReason
) -> None:
    exc = _from_fixture(name)
    assert isinstance(exc, BinanceOrderRejectedError)
    assert exc.reason is reason
    assert exc.refused


def test_duplicate_order_sent_is_recognised_for_the_client_id_lookup() -> None:
    exc = _from_fixture("error_duplicate_order")
    assert isinstance(exc, BinanceOrderRejectedError)
    assert exc.duplicate_client_id
    other = _from_fixture("error_insufficient_balance")
    assert isinstance(other, BinanceOrderRejectedError)
    assert not other.duplicate_client_id


@pytest.mark.parametrize(
    ("code", "message", "reason"),
    [
        (-1013, "Filter failure: PRICE_FILTER", RejectReason.INVALID_PRICE),
        (-1013, "Filter failure: PERCENT_PRICE_BY_SIDE", RejectReason.PRICE_OUT_OF_RANGE),
        (-1013, "Filter failure: MARKET_LOT_SIZE", RejectReason.LOT_SIZE_CHECK_FAILED),
        (-1013, "Filter failure: NOTIONAL", RejectReason.COST_MINIMUM_NOT_MET),
        (-1013, "Filter failure: MIN_NOTIONAL", RejectReason.COST_MINIMUM_NOT_MET),
        (-1013, "Filter failure: MAX_NUM_ORDERS", RejectReason.ORDERS_LIMIT_EXCEEDED),
        (-1013, "Filter failure: SOMETHING_NEW", RejectReason.VENUE_REJECTED),
        (-2010, "This symbol is not permitted for this account.", RejectReason.PERMISSION_DENIED),
        (-2010, "Rest API trading is not enabled.", RejectReason.PERMISSION_DENIED),
        (-2010, "Market orders are not supported for this symbol.", RejectReason.MARKET_LIMIT_ONLY),
        (-2010, "Order would immediately match and take.", RejectReason.VENUE_REJECTED),
        (-1111, "Parameter 'price' has too much precision.", RejectReason.INVALID_PRICE),
        (-1111, "Parameter 'quantity' has too much precision.", RejectReason.INVALID_ARGUMENTS),
        (-1102, "Mandatory parameter 'quantity' was not sent.", RejectReason.INVALID_ARGUMENTS),
        (-1106, "Parameter 'price' sent when not required.", RejectReason.INVALID_PRICE),
    ],
)  # fmt: skip
def test_rejection_messages_map_to_the_closest_reason(
    code: int, message: str, reason: RejectReason
) -> None:
    assert reject_reason(code, message) is reason
    exc = error_from_binance(ENDPOINT, code, message, status=400)
    assert isinstance(exc, BinanceOrderRejectedError)
    assert exc.reason is reason


@pytest.mark.parametrize("code", [-1000, -1001, -1006, -1007, -1008])
def test_server_side_codes_leave_an_order_unknown_and_reads_retryable(code: int) -> None:
    exc = error_from_binance(ENDPOINT, code, "server trouble", status=503)
    assert isinstance(exc, BinanceUnavailableError)
    assert exc.retryable
    assert exc.outcome_unknown


@pytest.mark.parametrize(("code", "status"), [(-1003, 429), (-1015, 429), (-1003, 418)])
def test_rate_limits_carry_retry_after_and_leave_an_order_unknown(code: int, status: int) -> None:
    exc = error_from_binance(ENDPOINT, code, "slow down", status=status, retry_after=42)
    assert isinstance(exc, BinanceRateLimitError)
    assert exc.retry_after == 42
    assert exc.outcome_unknown  # the fault battery saw venues apply an order, then answer 429


def test_an_unclassified_code_is_neither_retryable_nor_a_refusal() -> None:
    exc = error_from_binance(ENDPOINT, -1199, "new", status=400)
    assert isinstance(exc, BinanceOrderRejectedError)  # -11xx: request errors
    other = error_from_binance(ENDPOINT, -9999, "brand new", status=400)
    assert type(other) is ExchangeAPIError
    assert not other.retryable
    assert other.outcome_unknown


def test_auth_errors_name_the_hint_and_never_a_value() -> None:
    exc = error_from_binance(
        ENDPOINT, -2015, "Invalid API-key, IP, or permissions for action.", status=401,
        auth_hint="check the key in BINANCE_TESTNET_API_KEY",
    )  # fmt: skip
    assert "BINANCE_TESTNET_API_KEY" in str(exc)
    assert "-2015" in str(exc)
    assert "HTTP 401" in str(exc)
