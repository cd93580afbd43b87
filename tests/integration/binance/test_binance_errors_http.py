"""Every failure class over real HTTP: retries in virtual time, rate limits, auth, protocol."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from tests.integration.binance.conftest import KEY, SECRET, MakeRig
from tests.support.binance_server import Fault

from peak_trade.adapters.binance import BinanceCredentials, BinanceOrderNotFoundError
from peak_trade.adapters.binance.errors import BinanceClockSkewError
from peak_trade.domain.orders import OrderRequest, OrderSide, OrderType
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import (
    ExchangeAuthError,
    ExchangeError,
    ExchangeProtocolError,
    ExchangeUnavailableError,
    OrderNotFoundError,
    RateLimitedError,
    UnknownSymbolError,
)

BTC_USDT = Symbol.parse("BTC/USDT")
ACCOUNT = ("GET", "/api/v3/account")


def _assert_no_secret(exc: BaseException) -> None:
    text = f"{exc} {exc!r} {exc.__cause__!r}"
    assert KEY not in text
    assert SECRET not in text


def test_reads_are_retried_with_growing_jittered_waits_on_the_clock(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    rig.server.inject(*ACCOUNT, Fault.http_status(503, times=3))
    assert rig.client.balances()["USDT"] > 0
    waits = rig.client.transport.retry_waits
    assert len(waits) == 3
    assert 0.5 <= waits[0] <= 0.75
    assert 1.0 <= waits[1] <= 1.5
    assert 2.0 <= waits[2] <= 3.0
    assert rig.clock.slept == pytest.approx(sum(waits))
    assert rig.server.request_counts["GET /api/v3/account"] == 4


def test_retries_stop_at_max_retries(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=2)
    rig.server.inject(*ACCOUNT, Fault.binance_error(-1001, "Internal error", status=503, times=5))
    with pytest.raises(ExchangeUnavailableError, match="-1001"):
        rig.client.balances()
    assert rig.server.request_counts["GET /api/v3/account"] == 3


def test_a_429_read_waits_at_least_retry_after_then_succeeds(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=1)
    rig.server.inject(*ACCOUNT, Fault.rate_limited(retry_after=7))
    rig.client.balances()
    (wait,) = rig.client.transport.retry_waits
    assert wait >= 7
    assert rig.clock.slept >= 7


def test_a_418_ban_is_raised_with_retry_after_never_slept(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    rig.server.inject(*ACCOUNT, Fault.rate_limited(status=418, retry_after=120))
    with pytest.raises(RateLimitedError) as caught:
        rig.client.balances()
    assert caught.value.retry_after == 120
    assert "418" in str(caught.value)
    assert rig.clock.slept == 0


def test_a_429_without_a_json_body_is_still_a_rate_limit(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=0)
    rig.server.inject(*ACCOUNT, Fault.http_status(429))
    with pytest.raises(RateLimitedError, match="HTTP 429"):
        rig.client.balances()


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault.html(), "<!DOCTYPE html>"),
        (Fault.html(status=403), "unexpected HTTP 403"),  # a WAF page
        (Fault.truncated_json(), "not valid JSON"),
        (Fault.garbled_json(), "not valid JSON"),
    ],
    ids=["html", "waf-403", "truncated", "garbled"],
)
def test_unparseable_answers_are_protocol_errors_with_endpoint_and_excerpt(
    make_rig: MakeRig, fault: Fault, words: str
) -> None:
    rig = make_rig(max_retries=0)
    rig.server.inject(*ACCOUNT, fault)
    with pytest.raises(ExchangeProtocolError) as caught:
        rig.client.balances()
    assert str(caught.value).startswith("GET /api/v3/account:")
    assert words in str(caught.value)
    assert len(str(caught.value)) < 400
    _assert_no_secret(caught.value)


def test_a_protocol_error_on_a_read_is_retried(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=1)
    rig.server.inject(*ACCOUNT, Fault.truncated_json())
    assert rig.client.balances()
    assert rig.server.request_counts["GET /api/v3/account"] == 2


def test_a_delay_past_the_timeout_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig(timeout_seconds=0.2)
    rig.server.inject(*ACCOUNT, Fault.delay(1.0))
    with pytest.raises(ExchangeUnavailableError, match=r"no answer within 0\.2"):
        rig.client.balances()


def test_a_dropped_connection_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.inject(*ACCOUNT, Fault.close_connection())
    with pytest.raises(ExchangeUnavailableError, match="GET /api/v3/account"):
        rig.client.balances()


def test_an_unreachable_host_is_unavailable(make_rig: MakeRig) -> None:
    rig = make_rig(base_url="http://127.0.0.1:9")
    with pytest.raises(ExchangeUnavailableError, match="could not connect"):
        rig.client.ticker(BTC_USDT)


@pytest.mark.parametrize(
    ("credentials", "code"),
    [
        (BinanceCredentials.hmac("unknownKeyId", SECRET), "-2015"),
        (BinanceCredentials.hmac(KEY, "another-secret"), "-1022"),
        (BinanceCredentials.hmac("bad key with spaces", SECRET), "-2014"),
    ],
    ids=["unknown-key", "wrong-secret", "malformed-key"],
)
def test_auth_failures_are_fatal_and_name_the_variable_never_the_value(
    make_rig: MakeRig, credentials: BinanceCredentials, code: str
) -> None:
    rig = make_rig(max_retries=3, credentials=credentials)
    with pytest.raises(ExchangeAuthError) as caught:
        rig.client.balances()
    assert code in str(caught.value)
    assert "BINANCE_TESTNET_API_KEY" in str(caught.value)
    assert credentials.api_key not in str(caught.value)
    _assert_no_secret(caught.value)
    assert rig.client.transport.retry_waits == []


def test_a_skewed_local_clock_is_corrected_by_the_server_time(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.clock_offset_ms = -3000  # the server runs 3 s behind our clock
    rig.client.balances()
    assert rig.client.transport.server_clock.offset_ms == -3000
    assert rig.server.request_counts["GET /api/v3/time"] == 1


def test_a_clock_jump_after_the_sync_gets_minus_1021_then_one_resync(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.client.balances()
    rig.server.clock_offset_ms = -7000  # now our timestamps are 7 s ahead of the server
    rig.client.balances()
    assert rig.server.request_counts["GET /api/v3/account"] == 3  # ok, -1021, ok
    assert rig.server.request_counts["GET /api/v3/time"] == 2
    assert rig.client.transport.server_clock.offset_ms == -7000


def test_a_clock_that_keeps_failing_raises_after_one_resync(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    rig.client.balances()
    message = "Timestamp for this request is outside of the recvWindow."
    rig.server.inject(*ACCOUNT, Fault.binance_error(-1021, message, times=2))
    with pytest.raises(BinanceClockSkewError, match="-1021"):
        rig.client.balances()
    assert rig.server.request_counts["GET /api/v3/account"] == 3


def test_a_recv_window_is_sent_with_every_signed_request(make_rig: MakeRig) -> None:
    rig = make_rig(recv_window_ms=60000)
    rig.client.balances()
    (sent,) = rig.server.params_sent("GET /api/v3/account")
    assert sent["recvWindow"] == "60000"


def test_an_unknown_order_id_is_order_not_found(make_rig: MakeRig) -> None:
    rig = make_rig()
    for call in (rig.client.order_status, rig.client.fills, rig.client.cancel_order):
        with pytest.raises(OrderNotFoundError):
            call(BTC_USDT, "424242")
    with pytest.raises(OrderNotFoundError, match="not a Binance order id"):
        rig.client.order_status(BTC_USDT, "NO-SUCH-ORDER")


def test_after_a_testnet_reset_our_own_order_is_gone_and_says_so(make_rig: MakeRig) -> None:
    rig = make_rig()
    order = OrderRequest(
        symbol=BTC_USDT,
        side=OrderSide.BUY,
        quantity=Decimal("0.001"),
        order_type=OrderType.LIMIT,
        limit_price=Decimal("50000.00"),
        client_order_id=str(uuid.uuid4()),
    )
    ack = rig.client.submit_order(order)
    assert ack.order_id is not None
    bought = OrderRequest(
        symbol=BTC_USDT, side=OrderSide.BUY, quantity=Decimal("0.01"), client_order_id="b-1"
    )
    rig.client.submit_order(bought)
    before = rig.client.balances()["USDT"]
    rig.server.reset_testnet()
    with pytest.raises(BinanceOrderNotFoundError) as caught:
        rig.client.order_status(BTC_USDT, ack.order_id)
    assert caught.value.placed_here
    assert "probably reset" in str(caught.value)
    assert rig.client.find_order(BTC_USDT, order.client_order_id) is None
    assert rig.client.balances()["USDT"] > before + 600  # refilled: the purchase is undone


def test_an_order_id_we_never_placed_is_not_blamed_on_a_reset(make_rig: MakeRig) -> None:
    rig = make_rig()
    with pytest.raises(BinanceOrderNotFoundError) as caught:
        rig.client.order_status(BTC_USDT, "77")
    assert not caught.value.placed_here


def test_an_unknown_symbol_names_close_matches_and_reloads_exchange_info_at_most_a_minute(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    with pytest.raises(UnknownSymbolError) as caught:
        rig.client.instrument(Symbol.parse("BTC/USDC"))
    assert "BTC/USDT" in caught.value.suggestions
    with pytest.raises(UnknownSymbolError):
        rig.client.instrument(Symbol.parse("BTC/USDC"))
    assert rig.server.request_counts["GET /api/v3/exchangeInfo"] == 1
    rig.clock.advance(61)
    with pytest.raises(UnknownSymbolError):
        rig.client.instrument(Symbol.parse("BTC/USDC"))
    assert rig.server.request_counts["GET /api/v3/exchangeInfo"] == 2


def test_every_failure_is_an_exchange_error(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.inject(*ACCOUNT, Fault.binance_error(-9999, "Brand new failure."))
    with pytest.raises(ExchangeError, match="-9999"):
        rig.client.balances()
