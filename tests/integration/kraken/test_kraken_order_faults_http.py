"""The fault battery: Kraken applies the order, then answers badly. Sent once, never twice.

Every answer that does not prove Kraken refused an executing AddOrder before processing leaves
its outcome unknown: submit_order says UNKNOWN, the order is not sent again (whatever
max_retries says), and find_order by client order id resolves it. The venue's orders must
equal what the adapter reported: one intent, at most one order.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from tests.integration.kraken.conftest import KEY, START, MakeRig
from tests.support.kraken_server import Fault

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenCredentials, KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide, OrderStatus, OrderType
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeAuthError, ExchangeUnavailableError

BTC_EUR = Symbol.parse("BTC/EUR")

APPLIED_THEN = {
    "http-500": Fault.http_status(500, process=True),
    "http-503": Fault.http_status(503, process=True),
    "http-520": Fault.http_status(520, process=True),
    "http-429": Fault.http_status(429, process=True),
    "html-200": Fault.html(process=True),
    "html-502": Fault.html(status=502, process=True),
    "truncated-json": Fault.truncated_json(process=True),
    "garbled-json": Fault.invalid_json(process=True),
    "rate-limit-exceeded": Fault.kraken_error("EAPI:Rate limit exceeded", process=True),
    "order-rate-limit": Fault.kraken_error("EOrder:Rate limit exceeded", process=True),
    "service-unavailable": Fault.kraken_error("EService:Unavailable", process=True),
    "service-busy": Fault.kraken_error("EService:Busy", process=True),
    "internal-error": Fault.kraken_error("EGeneral:Internal error", process=True),
    "unclassified-error": Fault.kraken_error("EFuture:Something new", process=True),
    "connection-dropped": Fault.close_connection(process=True),
    "answer-after-timeout": Fault.delay(1.0, process=True),
}


def _order() -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=Decimal("0.01"),
        client_order_id=str(uuid.uuid4()),
    )


def _placed(rig_orders: dict[str, dict[str, object]], client_id: str) -> list[str]:
    return [txid for txid, o in rig_orders.items() if o["cl_ord_id"] == client_id]


@pytest.mark.parametrize("fault", APPLIED_THEN.values(), ids=APPLIED_THEN.keys())
def test_an_applied_order_answered_badly_is_unknown_sent_once_and_found(
    make_rig: MakeRig, fault: Fault
) -> None:
    rig = make_rig(validate_only=False, max_retries=3, timeout_seconds=0.3)
    rig.client.markets()
    order = _order()
    rig.server.inject("AddOrder", fault)

    ack = rig.client.submit_order(order)

    assert ack.status is AckStatus.UNKNOWN
    assert ack.order_id is None
    assert rig.server.request_counts["AddOrder"] == 1
    assert rig.clock.slept == 0
    placed = _placed(rig.server.account(KEY).orders, order.client_order_id)
    assert len(placed) == 1
    found = rig.client.find_order(BTC_EUR, order.client_order_id)
    assert found is not None
    assert found.order_id == placed[0]
    assert found.status is OrderStatus.FILLED
    assert found.client_order_id == order.client_order_id


@pytest.mark.parametrize(
    "answer",
    [Fault.http_status(503), Fault.close_connection(process=False)],
    ids=["http-503", "connection-dropped"],
)
def test_an_order_applied_late_is_found_on_a_later_lookup(make_rig: MakeRig, answer: Fault) -> None:
    rig = make_rig(validate_only=False, max_retries=3)
    order = _order()
    rig.server.inject("AddOrder", Fault.applied_late(answer, after_lookups=2))

    assert rig.client.submit_order(order).status is AckStatus.UNKNOWN
    assert rig.client.find_order(BTC_EUR, order.client_order_id) is None  # not there yet
    later = rig.client.find_order(BTC_EUR, order.client_order_id)

    assert later is not None
    assert later.client_order_id == order.client_order_id
    assert rig.server.request_counts["AddOrder"] == 1
    assert len(_placed(rig.server.account(KEY).orders, order.client_order_id)) == 1


def test_an_invalid_key_answer_is_a_refusal_raised_not_unknown(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False, max_retries=3)
    rig.server.inject("AddOrder", Fault.kraken_error("EAPI:Invalid key"))
    with pytest.raises(ExchangeAuthError):
        rig.client.submit_order(_order())
    assert rig.server.request_counts["AddOrder"] == 1
    assert rig.server.account(KEY).orders == {}


def test_a_refused_connection_never_sent_the_order_so_it_is_tried_again(tmp_path: Path) -> None:
    """A connect failure proves nothing left: the one failure an executing order may repeat."""
    attempts: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if (
            request.url.path.endswith("/AddOrder")
            and len([r for r in attempts if r.url.path.endswith("/AddOrder")]) == 1
        ):
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path.endswith("/AddOrder"):
            result = {
                "descr": {"order": "buy 0.01 XBTEUR @ market"},
                "txid": ["OABCDE-FGHIJ-KLMNOP"],
            }
            return httpx.Response(200, json={"error": [], "result": result})
        if request.url.path.endswith("/Ticker"):
            ticker = {"a": ["50000.1"], "b": ["50000.0"], "c": ["50000.0"]}
            return httpx.Response(200, json={"error": [], "result": {"XXBTZEUR": ticker}})
        return httpx.Response(503)

    config = KrakenTestnetConfig(
        base_url="http://127.0.0.1:1",
        validate_only=False,
        max_retries=2,
        rate_limit_ms=0,
        state_dir=tmp_path,
    )
    credentials = KrakenCredentials.from_values("k" * 8, "c2VjcmV0")
    with (
        httpx.Client(transport=httpx.MockTransport(flaky)) as http,
        KrakenTestnetClient(config, SimulatedClock(START), http=http, credentials=credentials) as c,
    ):
        ack = c.submit_order(_order())
    assert ack.status is AckStatus.ACCEPTED
    assert len([r for r in attempts if r.url.path.endswith("/AddOrder")]) == 2


def test_an_order_that_cannot_connect_at_all_raises_unavailable_not_unknown(
    make_rig: MakeRig,
) -> None:
    rig = make_rig(validate_only=False, max_retries=1, base_url="http://127.0.0.1:9")
    limit = OrderRequest(
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=Decimal("0.01"),
        order_type=OrderType.LIMIT,
        limit_price=Decimal("30000.0"),
        client_order_id=str(uuid.uuid4()),
    )
    with pytest.raises(ExchangeUnavailableError, match="AddOrder: could not connect"):
        rig.client.submit_order(limit)
    assert len(rig.client.transport.retry_waits) == 1  # unsent: tried again, then raised


def test_find_order_resolves_open_filled_cancelled_and_expired_orders(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False)

    def limit(price: str) -> OrderRequest:
        return OrderRequest(
            symbol=BTC_EUR,
            side=OrderSide.BUY,
            quantity=Decimal("0.01"),
            order_type=OrderType.LIMIT,
            limit_price=Decimal(price),
            client_order_id=str(uuid.uuid4()),
        )

    resting, cancelled, expired, filled = (
        limit("30000.0"),
        limit("30000.0"),
        limit("30000.0"),
        _order(),
    )
    acks = {
        o.client_order_id: rig.client.submit_order(o) for o in (resting, cancelled, expired, filled)
    }
    cancel_id = acks[cancelled.client_order_id].order_id
    expire_id = acks[expired.client_order_id].order_id
    assert cancel_id is not None
    assert expire_id is not None
    rig.client.cancel_order(BTC_EUR, cancel_id)
    rig.server.book.close_order(rig.server.account(KEY), expire_id, "expired", "")
    expected = {
        resting.client_order_id: OrderStatus.OPEN,
        cancelled.client_order_id: OrderStatus.CANCELLED,
        expired.client_order_id: OrderStatus.EXPIRED,
        filled.client_order_id: OrderStatus.FILLED,
    }
    for client_id, status in expected.items():
        found = rig.client.find_order(BTC_EUR, client_id)
        assert found is not None, client_id
        assert found.status is status
        assert found.order_id == acks[client_id].order_id
