"""Orders over real HTTP: executing and test orders, local checks, rejections, fills, cancels."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from tests.integration.binance.conftest import KEY, MakeRig
from tests.support.binance_server import Fault

from peak_trade.domain.orders import (
    AckStatus,
    ChargedFee,
    OrderRequest,
    OrderSide,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.domain.symbols import Symbol

BTC_USDT = Symbol.parse("BTC/USDT")
NEW_ORDER = "POST /api/v3/order"


def _market(qty: str = "0.001", side: OrderSide = OrderSide.BUY, cid: str = "") -> OrderRequest:
    return OrderRequest(
        symbol=BTC_USDT, side=side, quantity=Decimal(qty), client_order_id=cid or str(uuid.uuid4())
    )


def _limit(
    price: str, qty: str = "0.001", side: OrderSide = OrderSide.BUY, symbol: Symbol = BTC_USDT
) -> OrderRequest:
    return OrderRequest(
        symbol=symbol,
        side=side,
        quantity=Decimal(qty),
        order_type=OrderType.LIMIT,
        limit_price=Decimal(price),
        client_order_id=str(uuid.uuid4()),
    )


def test_a_market_order_executes_and_reports_the_full_answer(make_rig: MakeRig) -> None:
    rig = make_rig()
    order = _market("0.0012345678")  # rounded down to the 0.00001 lot step
    ack = rig.client.submit_order(order)
    assert ack.status is AckStatus.ACCEPTED
    assert ack.order_id == "1"
    assert ack.description.startswith("buy 0.00123 BTCUSDT market: FILLED 0.00123 @ ")
    (sent,) = rig.server.params_sent(NEW_ORDER)
    assert sent["symbol"] == "BTCUSDT"
    assert sent["side"] == "BUY"
    assert sent["type"] == "MARKET"
    assert sent["quantity"] == "0.00123"
    assert sent["newClientOrderId"] == order.client_order_id
    assert sent["newOrderRespType"] == "FULL"
    assert "timeInForce" not in sent
    assert "price" not in sent
    assert sent["recvWindow"] == "5000"


def test_a_buy_pays_commission_in_base_and_a_sell_in_quote(make_rig: MakeRig) -> None:
    rig = make_rig()
    buy = rig.client.submit_order(_market("0.002"))
    sell = rig.client.submit_order(_market("0.001", side=OrderSide.SELL))
    assert buy.order_id is not None
    assert sell.order_id is not None
    (buy_fill,) = rig.client.fills(BTC_USDT, buy.order_id)
    (sell_fill,) = rig.client.fills(BTC_USDT, sell.order_id)
    assert buy_fill.fee_currency == "BTC"
    assert buy_fill.fee == Decimal("0.000002")
    assert sell_fill.fee_currency == "USDT"
    assert sell_fill.fee == (sell_fill.notional * Decimal("0.001")).quantize(Decimal("1E-8"))
    state = rig.client.order_status(BTC_USDT, buy.order_id)
    assert state.status is OrderStatus.FILLED
    assert state.fee == buy_fill.fee
    assert state.fee_currency == "BTC"
    assert state.average_price == buy_fill.price


def test_a_limit_order_sends_gtc_and_plain_decimal_text(make_rig: MakeRig) -> None:
    rig = make_rig()
    ack = rig.client.submit_order(_limit("50000.10", qty="0.00020"))
    assert ack.status is AckStatus.ACCEPTED
    (sent,) = rig.server.params_sent(NEW_ORDER)
    assert (sent["type"], sent["timeInForce"]) == ("LIMIT", "GTC")
    assert sent["price"] == "50000.1"
    assert sent["quantity"] == "0.0002"


def test_validate_only_orders_go_to_the_test_endpoint_and_execute_nothing(
    make_rig: MakeRig,
) -> None:
    rig = make_rig(validate_only=True)
    ack = rig.client.submit_order(_market())
    assert ack.status is AckStatus.VALIDATED
    assert ack.order_id is None
    assert rig.server.request_counts["POST /api/v3/order/test"] == 1
    assert rig.server.request_counts[NEW_ORDER] == 0
    assert rig.server.book.tested == 1
    assert rig.server.account(KEY).orders == {}


def test_validate_only_orders_are_retried_after_an_ambiguous_failure(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True, max_retries=2)
    rig.server.inject("POST", "/api/v3/order/test", Fault.http_status(503, process=True))
    assert rig.client.submit_order(_market()).status is AckStatus.VALIDATED
    assert rig.server.request_counts["POST /api/v3/order/test"] == 2
    assert len(rig.client.transport.retry_waits) == 1


def test_the_test_endpoint_rejects_like_a_real_order(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=True)
    rig.server.inject(
        "POST", "/api/v3/order/test", Fault.binance_error(-1013, "Filter failure: NOTIONAL")
    )
    ack = rig.client.submit_order(_market())
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.COST_MINIMUM_NOT_MET


@pytest.mark.parametrize(
    ("order", "reason"),
    [
        (_limit("50000.005"), RejectReason.TICK_SIZE_CHECK_FAILED),
        (_market("0.00005"), RejectReason.ORDER_MINIMUM_NOT_MET),
        (_market("0.000001"), RejectReason.ORDER_MINIMUM_NOT_MET),  # rounds to zero
        (_limit("1000.00", qty="0.001"), RejectReason.PRICE_OUT_OF_RANGE),  # below 0.2 x last
        (_market("150"), RejectReason.QUANTITY_MAXIMUM_EXCEEDED),  # MARKET_LOT_SIZE maxQty 100
        (_limit("20000.00", qty="0.0002"), RejectReason.COST_MINIMUM_NOT_MET),  # 4 USDT < 5
    ],
    ids=["off-tick", "below-min-qty", "rounds-to-zero", "price-band", "market-max", "notional"],
)
def test_local_checks_refuse_before_anything_is_sent(
    make_rig: MakeRig, order: OrderRequest, reason: RejectReason
) -> None:
    rig = make_rig()
    ack = rig.client.submit_order(order)
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is reason
    assert rig.server.request_counts[NEW_ORDER] == 0


@pytest.mark.parametrize(
    ("symbol", "order_type", "reason"),
    [
        ("HALT/USDT", OrderType.LIMIT, RejectReason.MARKET_NOT_TRADING),
        ("CANCEL/USDT", OrderType.LIMIT, RejectReason.MARKET_CANCEL_ONLY),
        ("LIMIT/USDT", OrderType.MARKET, RejectReason.MARKET_LIMIT_ONLY),
    ],
)
def test_symbols_not_trading_are_refused_before_sending(
    make_rig: MakeRig, symbol: str, order_type: OrderType, reason: RejectReason
) -> None:
    rig = make_rig()
    pair = Symbol.parse(symbol)
    order = (
        _limit("2.000", qty="10", symbol=pair)
        if order_type is OrderType.LIMIT
        else OrderRequest(
            symbol=pair, side=OrderSide.BUY, quantity=Decimal(10), client_order_id="m1"
        )
    )
    ack = rig.client.submit_order(order)
    assert ack.reason is reason
    assert rig.server.request_counts[NEW_ORDER] == 0


def test_a_limit_order_on_a_limit_only_symbol_goes_out(make_rig: MakeRig) -> None:
    rig = make_rig()
    price = rig.client.ticker(Symbol.parse("LIMIT/USDT")).last
    order = _limit(str(price * Decimal("0.9")).split(".")[0] + ".000", qty="10",
                   symbol=Symbol.parse("LIMIT/USDT"))  # fmt: skip
    assert rig.client.submit_order(order).status is AckStatus.ACCEPTED


def test_a_symbol_the_venue_closed_since_exchange_info_is_rejected_with_market_closed(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    rig.client.instrument(BTC_USDT)
    rig.server.set_symbol_status("BTCUSDT", "BREAK")
    ack = rig.client.submit_order(_market())
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.MARKET_NOT_TRADING
    assert "Market is closed." in ack.message


def test_insufficient_balance_is_a_rejection_with_its_reason(make_rig: MakeRig) -> None:
    rig = make_rig()
    ack = rig.client.submit_order(_market("50", side=OrderSide.SELL))  # holds 10 BTC
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.INSUFFICIENT_FUNDS
    assert "-2010" in ack.message


@pytest.mark.parametrize(
    ("code", "message", "reason"),
    [
        (-1013, "Filter failure: LOT_SIZE", RejectReason.LOT_SIZE_CHECK_FAILED),
        (-1013, "Filter failure: PERCENT_PRICE_BY_SIDE", RejectReason.PRICE_OUT_OF_RANGE),
        (-2010, "This symbol is not permitted for this account.", RejectReason.PERMISSION_DENIED),
        (-1100, "Illegal characters found in parameter 'quantity'.",
         RejectReason.INVALID_ARGUMENTS),
        (-1121, "Invalid symbol.", RejectReason.UNKNOWN_SYMBOL),
    ],
)  # fmt: skip
def test_venue_rejections_become_rejected_acks_never_resent(
    make_rig: MakeRig, code: int, message: str, reason: RejectReason
) -> None:
    rig = make_rig(max_retries=3)
    rig.server.inject("POST", "/api/v3/order", Fault.binance_error(code, message))
    ack = rig.client.submit_order(_market())
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is reason
    assert rig.server.request_counts[NEW_ORDER] == 1


def test_duplicate_order_sent_follows_our_own_earlier_attempt(make_rig: MakeRig) -> None:
    rig = make_rig()
    first = _limit("50000.00")
    placed = rig.client.submit_order(first)
    again = rig.client.submit_order(first)  # e.g. a restarted process sending the same intent
    assert again.status is AckStatus.ACCEPTED
    assert again.order_id == placed.order_id
    assert "already had an open order" in again.message
    assert len(rig.server.account(KEY).orders) == 1


def test_a_market_order_that_runs_out_of_book_is_expired_with_its_partial_fill(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    rig.server.book.market_liquidity = Decimal("0.0007")
    ack = rig.client.submit_order(_market("0.002"))
    assert ack.status is AckStatus.ACCEPTED  # not an error
    assert ack.order_id is not None
    assert "EXPIRED" in ack.description
    state = rig.client.order_status(BTC_USDT, ack.order_id)
    assert state.status is OrderStatus.EXPIRED
    assert state.filled_quantity == Decimal("0.0007")
    assert "INSUFFICIENT_LIQUIDITY" in state.reason
    fills = rig.client.fills(BTC_USDT, ack.order_id)
    assert sum(f.quantity for f in fills) == Decimal("0.0007")


def test_a_market_order_with_nothing_in_the_book_expires_unfilled(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.book.market_liquidity = Decimal(0)
    ack = rig.client.submit_order(_market())
    assert ack.order_id is not None
    state = rig.client.order_status(BTC_USDT, ack.order_id)
    assert state.status is OrderStatus.EXPIRED
    assert state.filled_quantity == 0
    assert rig.client.fills(BTC_USDT, ack.order_id) == ()


def test_partial_fills_accumulate_then_a_cancel_keeps_the_executed_part(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    rig.server.book.fill_fraction = Decimal("0.5")
    ask = rig.client.ticker(BTC_USDT).ask
    ack = rig.client.submit_order(_limit(f"{ask + 50:.2f}", qty="0.004"))  # crosses: taker
    assert ack.order_id is not None
    state = rig.client.order_status(BTC_USDT, ack.order_id)
    assert state.status is OrderStatus.PARTIALLY_FILLED
    assert state.filled_quantity == Decimal("0.002")
    rig.clock.advance(60)  # the resting rest meets the market again
    later = rig.client.order_status(BTC_USDT, ack.order_id)
    assert later.filled_quantity == Decimal("0.003")
    fills = rig.client.fills(BTC_USDT, ack.order_id)
    assert [f.quantity for f in fills] == [Decimal("0.002"), Decimal("0.001")]
    assert later.fee == sum(f.fee for f in fills)
    cancelled = rig.client.cancel_order(BTC_USDT, ack.order_id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.filled_quantity == Decimal("0.003")
    assert rig.server.account(KEY).locked.get("USDT", 0) == 0


def test_cancel_of_a_final_order_returns_its_state(make_rig: MakeRig) -> None:
    rig = make_rig()
    resting = rig.client.submit_order(_limit("50000.00"))
    filled = rig.client.submit_order(_market())
    assert resting.order_id is not None
    assert filled.order_id is not None
    assert rig.client.cancel_order(BTC_USDT, resting.order_id).status is OrderStatus.CANCELLED
    assert rig.client.cancel_order(BTC_USDT, resting.order_id).status is OrderStatus.CANCELLED
    assert rig.client.cancel_order(BTC_USDT, filled.order_id).status is OrderStatus.FILLED
    assert rig.server.request_counts["DELETE /api/v3/order"] == 3


def test_open_orders_lists_resting_orders_only(make_rig: MakeRig) -> None:
    rig = make_rig()
    resting = rig.client.submit_order(_limit("50000.00"))
    rig.client.submit_order(_market())
    (open_order,) = rig.client.open_orders(BTC_USDT)
    assert open_order.order_id == resting.order_id
    assert open_order.status is OrderStatus.OPEN


def test_balances_total_free_and_locked(make_rig: MakeRig) -> None:
    rig = make_rig()
    before = rig.client.balance_details()["USDT"]
    rig.client.submit_order(_limit("50000.00", qty="0.01"))  # locks 500 USDT
    after = rig.client.balance_details()["USDT"]
    assert after.locked == Decimal(500)
    assert after.free == before.free - 500
    assert rig.client.balances()["USDT"] == after.free + after.locked == before.total


def test_a_bnb_commission_is_converted_to_quote_and_its_origin_recorded(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    rig.server.book.bnb_fees = True
    ack = rig.client.submit_order(_market("0.002"))
    assert ack.order_id is not None
    (fill,) = rig.client.fills(BTC_USDT, ack.order_id)
    (conversion,) = rig.client.fee_conversions(BTC_USDT, ack.order_id)
    (trade,) = rig.server.account(KEY).trades
    assert trade["commissionAsset"] == "BNB"
    assert conversion.asset == "BNB"
    assert conversion.amount == Decimal(trade["commission"])
    assert conversion.route == "BNBUSDT"
    assert fill.fee_currency == "USDT"
    assert fill.fee == conversion.quote_amount
    assert fill.fee_in_quote == fill.fee  # the domain can book it
    assert fill.charged == ChargedFee(
        asset="BNB", amount=Decimal(trade["commission"]), rate=conversion.rate
    )
    expected = fill.notional * Decimal("0.001") * Decimal("0.75")  # BNB discount
    assert abs(fill.fee - expected) < Decimal("0.0001")
    state = rig.client.order_status(BTC_USDT, ack.order_id)
    assert (state.fee, state.fee_currency) == (fill.fee, "USDT")
    assert rig.client.fills(BTC_USDT, ack.order_id) == (fill,)  # converted once, stable


def test_long_client_ids_go_out_as_a_stable_uuid_and_come_back_as_ours(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    order = _market(cid="run-20260101T000000Z-abcdef:seq-000001")
    ack = rig.client.submit_order(order)
    (sent,) = rig.server.params_sent(NEW_ORDER)
    assert uuid.UUID(sent["newClientOrderId"])
    assert ack.order_id is not None
    assert rig.client.order_status(BTC_USDT, ack.order_id).client_order_id == (
        order.client_order_id
    )
    found = rig.client.find_order(BTC_USDT, order.client_order_id)
    assert found is not None
    assert found.order_id == ack.order_id


def test_fills_of_an_order_with_more_than_a_thousand_trades_are_paged(make_rig: MakeRig) -> None:
    rig = make_rig()
    ack = rig.client.submit_order(_limit("50000.00", qty="0.02"))
    assert ack.order_id is not None
    account = rig.server.account(KEY)
    order = account.orders[("BTCUSDT", int(ack.order_id))]
    for _ in range(1005):
        rig.server.book.execute(account, order, Decimal("0.00001"), Decimal("50000"), 0)
    fills = rig.client.fills(BTC_USDT, ack.order_id)
    assert len(fills) == 1005
    assert len({f.trade_id for f in fills}) == 1005
    pages = rig.server.params_sent("GET /api/v3/myTrades")
    assert [p.get("fromId") for p in pages] == [None, "0", "1001"]


def test_the_trades_of_a_final_order_are_read_once(make_rig: MakeRig) -> None:
    rig = make_rig()
    ack = rig.client.submit_order(_market("0.002"))
    assert ack.order_id is not None
    assert rig.client.order_status(BTC_USDT, ack.order_id).status is OrderStatus.FILLED
    read = rig.server.request_counts["GET /api/v3/myTrades"]
    fills = rig.client.fills(BTC_USDT, ack.order_id)
    assert rig.client.fills(BTC_USDT, ack.order_id) == fills
    assert sum(f.quantity for f in fills) == Decimal("0.002")
    assert rig.server.request_counts["GET /api/v3/myTrades"] == read  # settled: no re-read


def test_the_trades_of_a_working_order_are_read_afresh(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.server.book.fill_fraction = Decimal("0.5")
    ack = rig.client.submit_order(_limit("90000.00", qty="0.002"))  # crosses: half fills now
    assert ack.order_id is not None
    state = rig.client.order_status(BTC_USDT, ack.order_id)
    assert state.status is OrderStatus.PARTIALLY_FILLED
    read = rig.server.request_counts["GET /api/v3/myTrades"]
    rig.client.fills(BTC_USDT, ack.order_id)
    rig.client.fills(BTC_USDT, ack.order_id)
    assert rig.server.request_counts["GET /api/v3/myTrades"] == read + 2
