"""The fault battery: Binance applies the order, then answers badly. Sent once, never twice.

After any answer that does not prove Binance refused an executing order before processing,
submit_order says UNKNOWN, the order is not sent again (whatever max_retries says), and
find_order by client order id resolves it. The venue's orders must equal what the adapter
reported: one intent, at most one order.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import attrs
import httpx
import pytest
from tests.integration.binance.conftest import KEY, MakeRig
from tests.support.binance_server import Fault

from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide, OrderStatus, OrderType
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeAuthError, ExchangeUnavailableError

BTC_USDT = Symbol.parse("BTC/USDT")
NEW_ORDER = "POST /api/v3/order"

APPLIED_THEN = {
    "http-500": Fault.http_status(500, process=True),
    "http-502": Fault.http_status(502, process=True),
    "http-503": Fault.http_status(503, process=True),
    "http-520": Fault.http_status(520, process=True),
    "html-200": Fault.html(process=True),
    "truncated-json": Fault.truncated_json(process=True),
    "garbled-json": Fault.garbled_json(process=True),
    "429-weight": Fault.rate_limited(process=True),
    "418-ban": Fault.rate_limited(status=418, retry_after=120, process=True),
    "429-too-many-orders": Fault.binance_error(
        -1015, "Too many new orders; current limit is 100 orders per 10 SECOND.", status=429,
        retry_after=3, process=True,
    ),
    "unknown-error": Fault.binance_error(
        -1000, "An unknown error occurred while processing the request.", status=500,
        process=True,
    ),
    "disconnected": Fault.binance_error(
        -1001, "Internal error; unable to process your request. Please try again.", status=503,
        process=True,
    ),
    "unexpected-response": Fault.binance_error(
        -1006, "An unexpected response was received from the message bus. Execution status "
        "unknown.", status=503, process=True,
    ),
    "backend-timeout": Fault.binance_error(
        -1007, "Timeout waiting for response from backend server. Send status unknown; "
        "execution status unknown.", status=503, process=True,
    ),
    "server-busy": Fault.binance_error(
        -1008, "Server is currently overloaded with other requests. Please try again in a few "
        "minutes.", status=503, process=True,
    ),
    "unclassified-code": Fault.binance_error(-9999, "Something new.", process=True),
    "connection-dropped": Fault.close_connection(process=True),
    "answer-after-timeout": Fault.delay(1.0, process=True),
}  # fmt: skip


def _order() -> OrderRequest:
    return OrderRequest(
        symbol=BTC_USDT,
        side=OrderSide.BUY,
        quantity=Decimal("0.001"),
        client_order_id=str(uuid.uuid4()),
    )


def _placed(rig_orders: dict[tuple[str, int], dict[str, object]], client_id: str) -> list[int]:
    return [oid for (_, oid), o in rig_orders.items() if o["clientOrderId"] == client_id]


@pytest.mark.parametrize("fault", APPLIED_THEN.values(), ids=APPLIED_THEN.keys())
def test_an_applied_order_answered_badly_is_unknown_sent_once_and_found(
    make_rig: MakeRig, fault: Fault
) -> None:
    rig = make_rig(max_retries=3, timeout_seconds=0.3)
    rig.client.ticker(BTC_USDT)  # markets and the reference price before the fault
    order = _order()
    rig.server.inject("POST", "/api/v3/order", fault)

    ack = rig.client.submit_order(order)

    assert ack.status is AckStatus.UNKNOWN
    assert ack.order_id is None
    assert "never resend" in ack.message
    assert rig.server.request_counts[NEW_ORDER] == 1
    assert rig.clock.slept == 0
    placed = _placed(rig.server.account(KEY).orders, order.client_order_id)
    assert len(placed) == 1
    found = rig.client.find_order(BTC_USDT, order.client_order_id)
    assert found is not None
    assert found.order_id == str(placed[0])
    assert found.status is OrderStatus.FILLED
    assert found.client_order_id == order.client_order_id


@pytest.mark.parametrize(
    "answer",
    [Fault.http_status(503), Fault.close_connection(process=False), Fault.rate_limited()],
    ids=["http-503", "connection-dropped", "429"],
)
def test_an_order_applied_late_is_found_on_a_later_lookup(make_rig: MakeRig, answer: Fault) -> None:
    rig = make_rig(max_retries=3)
    order = _order()
    rig.server.inject("POST", "/api/v3/order", Fault.applied_late(answer, after_lookups=1))

    assert rig.client.submit_order(order).status is AckStatus.UNKNOWN
    assert rig.client.find_order(BTC_USDT, order.client_order_id) is None  # not visible yet
    later = rig.client.find_order(BTC_USDT, order.client_order_id)

    assert later is not None
    assert later.client_order_id == order.client_order_id
    assert later.status is OrderStatus.FILLED
    assert rig.server.request_counts[NEW_ORDER] == 1
    assert len(_placed(rig.server.account(KEY).orders, order.client_order_id)) == 1


def test_an_order_that_never_arrived_is_not_found(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    order = _order()
    rig.server.inject("POST", "/api/v3/order", Fault.close_connection(process=False))
    assert rig.client.submit_order(order).status is AckStatus.UNKNOWN
    assert rig.client.find_order(BTC_USDT, order.client_order_id) is None
    assert rig.server.account(KEY).orders == {}


def test_the_horizon_after_which_not_found_is_conclusive_is_recv_window_based(
    make_rig: MakeRig,
) -> None:
    assert make_rig(recv_window_ms=5000).client.unknown_outcome_horizon_seconds == 10.0


def test_timestamp_outside_recv_window_on_an_order_resyncs_and_sends_once_more(
    make_rig: MakeRig,
) -> None:
    """-1021 is refused before processing: the one answer after which an order may go again."""
    rig = make_rig(max_retries=0)
    rig.client.balances()  # learns the offset: 0
    rig.server.clock_offset_ms = 4000  # the server's clock jumps 4 s ahead...
    rig.server.inject(
        "POST",
        "/api/v3/order",
        Fault.binance_error(-1021, "Timestamp for this request is outside of the recvWindow."),
    )
    ack = rig.client.submit_order(_order())
    assert ack.status is AckStatus.ACCEPTED
    assert rig.server.request_counts[NEW_ORDER] == 2
    assert rig.server.request_counts["GET /api/v3/time"] == 2
    assert rig.client.transport.server_clock.offset_ms == 4000
    assert len(rig.server.account(KEY).orders) == 1


def test_an_auth_refusal_is_raised_and_nothing_is_placed(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    rig.server.inject(
        "POST",
        "/api/v3/order",
        Fault.binance_error(-2015, "Invalid API-key, IP, or permissions for action.", status=401),
    )
    with pytest.raises(ExchangeAuthError, match="BINANCE_TESTNET_API_KEY"):
        rig.client.submit_order(_order())
    assert rig.server.request_counts[NEW_ORDER] == 1
    assert rig.server.account(KEY).orders == {}


def test_a_failed_clock_sync_before_an_order_is_raised_as_unsent(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=0)
    rig.client.ticker(BTC_USDT)
    rig.server.inject("GET", "/api/v3/time", Fault.http_status(503))
    with pytest.raises(ExchangeUnavailableError, match="request not sent") as caught:
        rig.client.submit_order(_order())
    assert caught.value.unsent  # type: ignore[attr-defined]
    assert rig.server.request_counts[NEW_ORDER] == 0


def _refusing_orders(refusals: int, attempts: list[str]) -> httpx.MockTransport:
    """Forward to the loopback server, but refuse the first `refusals` order connections."""
    real = httpx.Client()

    def route(request: httpx.Request) -> httpx.Response:
        attempts.append(f"{request.method} {request.url.path}")
        if request.method == "POST" and attempts.count("POST /api/v3/order") <= refusals:
            raise httpx.ConnectError("connection refused", request=request)
        forwarded = real.send(
            real.build_request(
                request.method, request.url, headers=request.headers, content=request.content
            )
        )
        return httpx.Response(
            forwarded.status_code, headers=forwarded.headers, content=forwarded.content
        )

    return httpx.MockTransport(route)


def test_a_refused_connection_never_sent_the_order_so_it_is_tried_again(
    make_rig: MakeRig,
) -> None:
    """A connect failure proves nothing left: the one transport failure an order may repeat."""
    attempts: list[str] = []
    with httpx.Client(transport=_refusing_orders(1, attempts)) as http:
        rig = make_rig(max_retries=2, http=http)
        ack = rig.client.submit_order(_order())
    assert ack.status is AckStatus.ACCEPTED
    assert attempts.count("POST /api/v3/order") == 2
    assert rig.server.request_counts[NEW_ORDER] == 1  # the first never reached the server
    assert len(rig.client.transport.retry_waits) == 1


def test_an_order_that_can_never_connect_raises_unavailable_not_unknown(
    make_rig: MakeRig,
) -> None:
    attempts: list[str] = []
    with httpx.Client(transport=_refusing_orders(99, attempts)) as http:
        rig = make_rig(max_retries=1, http=http)
        with pytest.raises(ExchangeUnavailableError, match="could not connect"):
            rig.client.submit_order(_order())
    assert attempts.count("POST /api/v3/order") == 2
    assert rig.server.request_counts[NEW_ORDER] == 0


def test_find_order_resolves_open_filled_cancelled_and_expired_orders(make_rig: MakeRig) -> None:
    rig = make_rig()

    def limit() -> OrderRequest:
        return OrderRequest(
            symbol=BTC_USDT,
            side=OrderSide.BUY,
            quantity=Decimal("0.001"),
            order_type=OrderType.LIMIT,
            limit_price=Decimal("50000.00"),
            client_order_id=str(uuid.uuid4()),
        )

    resting, cancelled, filled, expired = limit(), limit(), _order(), _order()
    acks = {o.client_order_id: rig.client.submit_order(o) for o in (resting, cancelled, filled)}
    rig.server.book.market_liquidity = Decimal(0)  # the next market order finds no book
    acks[expired.client_order_id] = rig.client.submit_order(expired)
    cancel_id = acks[cancelled.client_order_id].order_id
    assert cancel_id is not None
    rig.client.cancel_order(BTC_USDT, cancel_id)
    expected = {
        resting.client_order_id: OrderStatus.OPEN,
        cancelled.client_order_id: OrderStatus.CANCELLED,
        filled.client_order_id: OrderStatus.FILLED,
        expired.client_order_id: OrderStatus.EXPIRED,
    }
    for client_id, status in expected.items():
        found = rig.client.find_order(BTC_USDT, client_id)
        assert found is not None, client_id
        assert found.status is status
        assert found.order_id == acks[client_id].order_id


def test_an_ack_shaped_answer_with_an_order_id_is_accepted(make_rig: MakeRig) -> None:
    rig = make_rig()
    ack_only = '{"symbol": "BTCUSDT", "orderId": 77, "orderListId": -1, "clientOrderId": "x"}'
    rig.server.inject("POST", "/api/v3/order", attrs.evolve(Fault.garbled_json(), body=ack_only))
    ack = rig.client.submit_order(_order())
    assert ack.status is AckStatus.ACCEPTED
    assert ack.order_id == "77"
    assert "no order details" in ack.description
