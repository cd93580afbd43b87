"""Orders over real HTTP: validate-only, local checks, UNKNOWN + find_order, fills, cancels."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from tests.integration.kraken.conftest import KEY, START, MakeRig
from tests.support.kraken_server import Fault

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.adapters.kraken.credentials import KrakenCredentials
from peak_trade.adapters.kraken.transport import Call, KrakenTransport
from peak_trade.domain.environment import SafetyRefusal, VenueNotAllowedError
from peak_trade.domain.orders import (
    AckStatus,
    OrderRequest,
    OrderSide,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol.parse("BTC/EUR")


def _cid() -> str:
    return str(uuid.uuid4())


def _market(qty: str = "0.01", side: OrderSide = OrderSide.BUY, cid: str = "") -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR, side=side, quantity=Decimal(qty), client_order_id=cid or _cid()
    )


def _limit(price: str, qty: str = "0.01", symbol: Symbol = BTC_EUR) -> OrderRequest:
    return OrderRequest(
        symbol=symbol,
        side=OrderSide.BUY,
        quantity=Decimal(qty),
        order_type=OrderType.LIMIT,
        limit_price=Decimal(price),
        client_order_id=_cid(),
    )


def test_validate_only_order_is_validated_with_krakens_description(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    order = _market("0.0123456789")
    ack = rig.client.submit_order(order)
    assert ack.status is AckStatus.VALIDATED
    assert ack.order_id is None
    assert ack.description == "buy 0.01234567 XBTEUR @ market"
    (sent,) = rig.server.params_sent("AddOrder")
    assert sent["validate"] == "true"
    assert sent["volume"] == "0.01234567"
    assert sent["pair"] == "XXBTZEUR"
    assert sent["cl_ord_id"] == order.client_order_id
    assert rig.server.account(KEY).orders == {}


def test_executing_orders_never_send_the_validate_parameter(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False)
    assert rig.client.submit_order(_market()).status is AckStatus.ACCEPTED
    (sent,) = rig.server.params_sent("AddOrder")
    assert "validate" not in sent
    assert rig.server.book.literal_validate_false == 0


def test_production_host_refuses_executing_orders_at_construction() -> None:
    config = KrakenTestnetConfig(base_url="https://api.kraken.com", validate_only=False)
    with pytest.raises(VenueNotAllowedError) as caught:
        KrakenTestnetClient(config, SimulatedClock(START), environ={})
    assert isinstance(caught.value, SafetyRefusal)
    assert "api.kraken.com" in str(caught.value)


def test_production_host_is_allowed_validate_only() -> None:
    config = KrakenTestnetConfig(base_url="https://api.kraken.com/0/", validate_only=True)
    with KrakenTestnetClient(config, SimulatedClock(START), environ={}) as client:
        assert client.venue.production
        assert client.venue.validate_only
        assert client.venue.host == "api.kraken.com"


def test_limit_price_off_the_tick_is_refused_before_sending(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    ack = rig.client.submit_order(_limit("50000.05"))
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.TICK_SIZE_CHECK_FAILED
    assert rig.server.request_counts["AddOrder"] == 0


def test_order_below_minimum_is_refused_locally_with_the_venue_reason(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    ack = rig.client.submit_order(_market("0.00001"))
    assert ack.reason is RejectReason.ORDER_MINIMUM_NOT_MET
    assert rig.server.request_counts["AddOrder"] == 0


@pytest.mark.parametrize(
    ("status", "order_type", "reason"),
    [
        ("cancel_only", OrderType.MARKET, RejectReason.MARKET_CANCEL_ONLY),
        ("cancel_only", OrderType.LIMIT, RejectReason.MARKET_CANCEL_ONLY),
        ("post_only", OrderType.MARKET, RejectReason.MARKET_POST_ONLY),
        ("limit_only", OrderType.MARKET, RejectReason.MARKET_LIMIT_ONLY),
    ],
)
def test_restricted_pairs_are_refused_with_their_status(
    make_rig: MakeRig, status: str, order_type: OrderType, reason: RejectReason
) -> None:
    rig = make_rig(validate_only=True)
    rig.server.set_pair_status("XXBTZEUR", status)
    rig.client.refresh_markets()
    order = _market() if order_type is OrderType.MARKET else _limit("50000.0")
    ack = rig.client.submit_order(order)
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is reason
    assert rig.server.request_counts["AddOrder"] == 0


def test_limit_orders_pass_on_a_limit_only_pair(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    rig.server.set_pair_status("XXBTZEUR", "limit_only")
    rig.client.refresh_markets()
    assert rig.client.submit_order(_limit("50000.0")).status is AckStatus.VALIDATED


def test_bundled_cancel_only_pair_is_refused(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    ack = rig.client.submit_order(_limit("1.000", qty="1", symbol=Symbol.parse("REP/EUR")))
    assert ack.reason is RejectReason.MARKET_CANCEL_ONLY


def test_venue_rejections_become_rejected_acks(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    rig.server.inject("AddOrder", Fault.kraken_error("EOrder:Insufficient funds"))
    ack = rig.client.submit_order(_market())
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.INSUFFICIENT_FUNDS
    assert "EOrder:Insufficient funds" in ack.message


@pytest.mark.parametrize(
    "fault",
    [
        Fault.close_connection(process=True),
        Fault.delay(1.0, process=True),
        Fault.http_status(520, process=True),
        Fault.truncated_json(process=True),
    ],
    ids=["connection-closed", "timeout", "http-520", "truncated-json"],
)
def test_ambiguous_add_order_is_unknown_not_resent_and_found_by_client_id(
    make_rig: MakeRig, fault: Fault
) -> None:
    rig = make_rig(validate_only=False, max_retries=3, timeout_seconds=0.3)
    rig.client.markets()
    order = _market()
    rig.server.inject("AddOrder", fault)
    ack = rig.client.submit_order(order)
    assert ack.status is AckStatus.UNKNOWN
    assert rig.server.request_counts["AddOrder"] == 1
    found = rig.client.find_order(BTC_EUR, order.client_order_id)
    assert found is not None
    assert found.status is OrderStatus.FILLED
    assert found.client_order_id == order.client_order_id
    assert found.order_id in rig.server.account(KEY).orders


def test_unknown_order_that_never_arrived_is_not_found(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False, max_retries=3)
    order = _market()
    rig.server.inject("AddOrder", Fault.close_connection(process=False))
    assert rig.client.submit_order(order).status is AckStatus.UNKNOWN
    assert rig.client.find_order(BTC_EUR, order.client_order_id) is None


def test_validate_only_orders_are_retried_after_an_ambiguous_failure(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True, max_retries=2)
    rig.server.inject("AddOrder", Fault.close_connection())
    assert rig.client.submit_order(_market()).status is AckStatus.VALIDATED
    assert rig.server.request_counts["AddOrder"] == 2
    assert len(rig.client.transport.retry_waits) == 1


def test_partial_fill_then_cancel_keeps_the_executed_part(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False)
    rig.server.book.partial_fill_fraction = Decimal("0.5")
    ack = rig.client.submit_order(_market("0.02"))
    assert ack.order_id is not None
    state = rig.client.order_status(BTC_EUR, ack.order_id)
    assert state.status is OrderStatus.PARTIALLY_FILLED
    assert state.filled_quantity == Decimal("0.01")
    fills = rig.client.fills(BTC_EUR, ack.order_id)
    assert sum(f.quantity for f in fills) == Decimal("0.01")
    assert state.average_price == fills[0].price
    cancelled = rig.client.cancel_order(BTC_EUR, ack.order_id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.filled_quantity == Decimal("0.01")
    assert cancelled.reason == "User requested"


def test_expired_orders_are_expired(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False)
    ack = rig.client.submit_order(_limit("30000.0"))
    assert ack.order_id is not None
    assert rig.client.order_status(BTC_EUR, ack.order_id).status is OrderStatus.OPEN
    rig.server.book.close_order(rig.server.account(KEY), ack.order_id, "expired", "")
    assert rig.client.order_status(BTC_EUR, ack.order_id).status is OrderStatus.EXPIRED


def test_fee_currency_follows_the_order_flags(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False)
    buy = rig.client.submit_order(_market(side=OrderSide.BUY))
    sell = rig.client.submit_order(_market(side=OrderSide.SELL))  # server default: fcib
    assert buy.order_id is not None
    assert sell.order_id is not None
    assert rig.client.order_status(BTC_EUR, buy.order_id).fee_currency == "EUR"
    (sell_fill,) = rig.client.fills(BTC_EUR, sell.order_id)
    assert sell_fill.fee_currency == "BTC"
    assert sell_fill.fee == Decimal("0.01") * Decimal("0.0026")


def test_long_client_ids_are_sent_as_a_stable_uuid_and_reported_back(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False)
    order = _market(cid="run-20260101T000000Z-abcdef:seq-000001")
    ack = rig.client.submit_order(order)
    (sent,) = rig.server.params_sent("AddOrder")
    assert uuid.UUID(sent["cl_ord_id"])
    assert ack.order_id is not None
    assert rig.client.order_status(BTC_EUR, ack.order_id).client_order_id == order.client_order_id
    found = rig.client.find_order(BTC_EUR, order.client_order_id)
    assert found is not None
    assert found.order_id == ack.order_id


def test_transport_refuses_an_executing_add_order_to_a_production_host(tmp_path: Path) -> None:
    """The second guard: even a hand-built Call without validate=true never leaves for prod."""
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"error": [], "result": {}})

    config = KrakenTestnetConfig(
        base_url="https://api.kraken.com", validate_only=True, state_dir=tmp_path
    )
    credentials = KrakenCredentials(api_key="k" * 8, secret=b"s" * 64)
    with httpx.Client(transport=httpx.MockTransport(record)) as http:
        transport = KrakenTransport(config, SimulatedClock(START), http, credentials)
        call = Call(endpoint="AddOrder", params={"pair": "XXBTZEUR"}, private=True)
        with pytest.raises(VenueNotAllowedError):
            transport.call(call)
    assert sent == []


def test_fills_fall_back_to_trades_history_when_orders_list_no_trade_ids(
    make_rig: MakeRig,
) -> None:
    rig = make_rig(validate_only=False)
    rig.server.book.partial_fill_fraction = Decimal("0.5")
    first = rig.client.submit_order(_market("0.02"))  # fills in halves: 0.01, then 0.005
    resting = rig.client.submit_order(_limit("30000.0"))
    assert first.order_id is not None
    assert resting.order_id is not None
    assert rig.client.fills(BTC_EUR, resting.order_id) == ()
    account = rig.server.account(KEY)
    for _ in range(60):  # 60 newer trades push the first order's trade onto the second page
        rig.server.book.fill(account, resting.order_id, Decimal("0.0001"), Decimal("30000.0"))
    via_trade_ids = (
        rig.client.fills(BTC_EUR, first.order_id),
        rig.client.fills(BTC_EUR, resting.order_id),
    )
    assert rig.server.request_counts["TradesHistory"] == 0
    rig.server.book.orders_list_trades = False

    via_history = (
        rig.client.fills(BTC_EUR, first.order_id),
        rig.client.fills(BTC_EUR, resting.order_id),
    )

    assert via_history == via_trade_ids
    first_fills, resting_fills = via_history
    assert sorted(f.quantity for f in first_fills) == [Decimal("0.005"), Decimal("0.01")]
    assert first_fills[0].fee_currency == "EUR"
    assert len(resting_fills) == 60
    assert sum(f.quantity for f in resting_fills) == Decimal("0.006")
    assert {f.order_id for f in resting_fills} == {resting.order_id}
    assert rig.server.request_counts["TradesHistory"] == 4  # two pages per order
    offsets = [p["ofs"] for p in rig.server.params_sent("TradesHistory")]
    assert offsets == ["0", "50", "0", "50"]


def test_an_order_reuses_the_ticker_just_fetched_for_its_reference_price(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    reference = rig.client.ticker(BTC_EUR)  # what the executor asks for first
    ack = rig.client.submit_order(_market())  # the local minimum-cost check needs one too
    assert ack.status is AckStatus.VALIDATED
    assert rig.server.request_counts["Ticker"] == 1
    assert rig.client.ticker(BTC_EUR) == reference


def test_a_ticker_older_than_one_second_is_fetched_again(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.client.ticker(BTC_EUR)
    rig.clock.advance(1.5)
    rig.client.submit_order(_market())
    assert rig.server.request_counts["Ticker"] == 2
