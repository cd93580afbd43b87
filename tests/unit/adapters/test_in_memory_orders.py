"""InMemoryExchange orders: fills, slippage, fees, partial fills, limits, holds, validate-only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

import pytest
from tests.contract.market_data import BTC_EUR, START

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory import InMemoryExchange, InMemoryExchangeConfig
from peak_trade.domain.market import Candle
from peak_trade.domain.orders import (
    AckStatus,
    OrderRequest,
    OrderSide,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.domain.symbols import Symbol, Timeframe

MINUTE = timedelta(minutes=1)
D = Decimal
# (open, high, low, close) per minute
BARS = [
    ("100", "105", "95", "102"),
    ("102", "104", "99", "100"),
    ("100", "101", "90", "92"),
    ("92", "120", "91", "118"),
    ("118", "119", "110", "111"),
    ("111", "112", "108", "109"),
]


def _candles(bars: Sequence[tuple[str, str, str, str]]) -> list[Candle]:
    return [
        Candle(symbol=BTC_EUR, open_time=START + i * MINUTE, open=o, high=h, low=low, close=c)
        for i, (o, h, low, c) in enumerate(bars)
    ]


def _venue(**overrides: object) -> tuple[InMemoryExchange, SimulatedClock]:
    settings: dict[str, object] = {
        "validate_only": False,
        "fee_rate": D("0.001"),
        "slippage_bps": D("10"),
        "price_tick": D("0.1"),
        "lot_step": D("0.001"),
        "min_quantity": D("0.01"),
        "min_cost": D("1"),
        "balances": {"EUR": D("1000"), "BTC": D("2")},
    }
    settings.update(overrides)
    clock = SimulatedClock(START)
    config = InMemoryExchangeConfig(**settings)  # type: ignore[arg-type]
    venue = InMemoryExchange(config, clock, _candles(BARS), symbol=BTC_EUR, timeframe=Timeframe.M1)
    return venue, clock


def _market(side: OrderSide, quantity: str, cid: str = "c1") -> OrderRequest:
    return OrderRequest(symbol=BTC_EUR, side=side, quantity=D(quantity), client_order_id=cid)


def _limit(side: OrderSide, quantity: str, price: str, cid: str = "l1") -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR,
        side=side,
        quantity=D(quantity),
        order_type=OrderType.LIMIT,
        limit_price=D(price),
        client_order_id=cid,
    )


def test_market_buy_fills_above_the_open_and_pays_the_fee_in_quote() -> None:
    venue, _ = _venue()
    ack = venue.submit_order(_market(OrderSide.BUY, "2"))
    assert ack.status is AckStatus.ACCEPTED
    assert ack.order_id == "IM-000001"
    assert ack.description == "buy 2.000 BTCEUR @ market"
    (fill,) = venue.fills(BTC_EUR, ack.order_id)
    assert fill.price == D("100.1")  # 100 + 10 bps
    assert fill.fee == D("0.2002")  # 0.1 % of 200.2
    assert fill.fee_currency == "EUR"
    assert not fill.simulated
    assert venue.balances() == {"EUR": D("1000") - D("200.2") - D("0.2002"), "BTC": D("4")}
    state = venue.order_status(BTC_EUR, ack.order_id)
    assert state.status is OrderStatus.FILLED
    assert state.average_price == D("100.1")
    assert state.fee == D("0.2002")


def test_market_sell_fills_below_the_open() -> None:
    venue, _ = _venue()
    ack = venue.submit_order(_market(OrderSide.SELL, "1"))
    assert ack.order_id is not None
    (fill,) = venue.fills(BTC_EUR, ack.order_id)
    assert fill.price == D("99.9")
    assert venue.balances() == {"EUR": D("1000") + D("99.9") - D("0.0999"), "BTC": D("1")}


def test_partial_fills_take_a_share_per_new_candle_until_done() -> None:
    venue, clock = _venue(partial_fill_fraction=D("0.4"), slippage_bps=D("0"))
    ack = venue.submit_order(_market(OrderSide.BUY, "1"))
    assert ack.order_id is not None
    state = venue.order_status(BTC_EUR, ack.order_id)
    assert state.status is OrderStatus.PARTIALLY_FILLED
    assert state.filled_quantity == D("0.4")
    clock.advance(60)
    assert venue.order_status(BTC_EUR, ack.order_id).filled_quantity == D("0.8")
    clock.advance(60)
    fills = venue.fills(BTC_EUR, ack.order_id)
    assert [(f.quantity, f.price) for f in fills] == [
        (D("0.4"), D("100")),
        (D("0.4"), D("102")),
        (D("0.2"), D("100")),
    ]
    assert [f.time for f in fills] == [START, START + MINUTE, START + 2 * MINUTE]
    state = venue.order_status(BTC_EUR, ack.order_id)
    assert state.status is OrderStatus.FILLED
    assert state.average_price == D("100.8")


def test_limit_buy_rests_until_a_later_low_crosses_and_fills_at_the_limit() -> None:
    venue, clock = _venue()
    clock.advance(30)  # placed mid-bar: that bar's range (low 95) does not count
    ack = venue.submit_order(_limit(OrderSide.BUY, "1", "96"))
    assert ack.order_id is not None
    assert ack.description == "buy 1.000 BTCEUR @ limit 96.0"
    clock.advance(60)  # bar 1 closed (low 95), but the order came after its open
    assert venue.order_status(BTC_EUR, ack.order_id).status is OrderStatus.OPEN
    clock.advance(60)  # bar 2 closed (low 99): not crossed
    assert venue.order_status(BTC_EUR, ack.order_id).status is OrderStatus.OPEN
    clock.advance(60)  # bar 3 closed (low 90): crossed
    (fill,) = venue.fills(BTC_EUR, ack.order_id)
    assert (fill.price, fill.time) == (D("96"), START + 3 * MINUTE)
    assert venue.order_status(BTC_EUR, ack.order_id).status is OrderStatus.FILLED
    assert venue.balances()["BTC"] == D("3")


def test_limit_order_placed_at_a_bar_open_can_fill_in_that_bar() -> None:
    venue, clock = _venue()
    ack = venue.submit_order(_limit(OrderSide.BUY, "1", "96"))
    assert ack.order_id is not None
    clock.advance(60)
    assert venue.order_status(BTC_EUR, ack.order_id).status is OrderStatus.FILLED


def test_limit_sell_fills_when_a_high_reaches_it() -> None:
    venue, clock = _venue()
    ack = venue.submit_order(_limit(OrderSide.SELL, "1", "115"))
    assert ack.order_id is not None
    clock.advance(3 * 60)
    assert venue.order_status(BTC_EUR, ack.order_id).status is OrderStatus.OPEN
    clock.advance(60)  # bar 4 high 120
    (fill,) = venue.fills(BTC_EUR, ack.order_id)
    assert fill.price == D("115")
    assert venue.balances() == {"EUR": D("1000") + D("115") - D("0.115"), "BTC": D("1")}


def test_buy_beyond_the_quote_balance_is_rejected_and_not_stored() -> None:
    venue, _ = _venue()
    ack = venue.submit_order(_market(OrderSide.BUY, "10"))
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.INSUFFICIENT_FUNDS
    assert venue.find_order(BTC_EUR, "c1") is None
    assert venue.balances() == {"EUR": D("1000"), "BTC": D("2")}


def test_sell_beyond_the_base_balance_is_rejected() -> None:
    venue, _ = _venue()
    ack = venue.submit_order(_market(OrderSide.SELL, "2.001"))
    assert ack.reason is RejectReason.INSUFFICIENT_FUNDS


def test_resting_orders_hold_funds_until_cancelled() -> None:
    venue, _ = _venue()
    first = venue.submit_order(_limit(OrderSide.BUY, "7", "80", cid="a"))  # holds 560.56
    assert first.order_id is not None
    second = venue.submit_order(_limit(OrderSide.BUY, "7", "80", cid="b"))
    assert second.reason is RejectReason.INSUFFICIENT_FUNDS
    assert venue.cancel_order(BTC_EUR, first.order_id).status is OrderStatus.CANCELLED
    assert venue.submit_order(_limit(OrderSide.BUY, "7", "80", cid="c")).order_id == "IM-000002"


def test_cancelling_a_filled_order_returns_it_unchanged() -> None:
    venue, _ = _venue()
    ack = venue.submit_order(_market(OrderSide.BUY, "1"))
    assert ack.order_id is not None
    filled = venue.order_status(BTC_EUR, ack.order_id)
    assert venue.cancel_order(BTC_EUR, ack.order_id) == filled


def test_market_buy_is_sized_against_funds_at_the_current_price() -> None:
    venue, clock = _venue(
        partial_fill_fraction=D("0.5"), slippage_bps=D("0"), balances={"EUR": D("200.3")}
    )
    clock.advance(60)  # price 102: 2 x 102 x 1.001 = 204.204 does not fit
    assert venue.submit_order(_market(OrderSide.BUY, "2")).status is AckStatus.REJECTED
    clock.advance(60)  # price 100: 200.2 fits
    ack = venue.submit_order(_market(OrderSide.BUY, "2", cid="c2"))
    assert ack.order_id is not None
    clock.advance(60)  # the second half fills at the next open, 92
    assert venue.order_status(BTC_EUR, ack.order_id).status is OrderStatus.FILLED
    assert venue.balances() == {"EUR": D("200.3") - D("100.1") - D("92.092"), "BTC": D("2")}


def test_market_buy_remainder_cancelled_when_next_open_is_too_expensive() -> None:
    venue, clock = _venue(
        partial_fill_fraction=D("0.5"), slippage_bps=D("0"), balances={"EUR": D("185")}
    )
    clock.advance(3 * 60 + 30)  # price 92; 2 x 92 x 1.001 = 184.184 fits
    ack = venue.submit_order(_market(OrderSide.BUY, "2"))
    assert ack.order_id is not None
    clock.advance(60)  # next open 118: 118.118 > what is left
    state = venue.order_status(BTC_EUR, ack.order_id)
    assert state.status is OrderStatus.CANCELLED
    assert state.filled_quantity == D("1")
    assert "insufficient funds" in state.reason
    assert venue.balances() == {"EUR": D("185") - D("92.092"), "BTC": D("1")}


def test_validate_only_answers_like_kraken_and_stores_nothing() -> None:
    venue, _ = _venue(validate_only=True)
    ack = venue.submit_order(_market(OrderSide.BUY, "0.01"))
    assert ack.status is AckStatus.VALIDATED
    assert ack.order_id is None
    assert ack.description == "buy 0.010 BTCEUR @ market"
    assert venue.find_order(BTC_EUR, "c1") is None
    assert venue.balances() == {"EUR": D("1000"), "BTC": D("2")}


def test_validate_only_still_enforces_instrument_rules() -> None:
    venue, _ = _venue(validate_only=True)
    ack = venue.submit_order(_market(OrderSide.BUY, "0.0105"))
    assert ack.reason is RejectReason.LOT_SIZE_CHECK_FAILED


def test_kraken_style_description_uses_lot_and_tick_decimals() -> None:
    venue, _ = _venue(validate_only=True, lot_step=D("0.00000001"), min_quantity=D("0.0001"))
    ack = venue.submit_order(_market(OrderSide.BUY, "0.01"))
    assert ack.description == "buy 0.01000000 BTCEUR @ market"


def test_reused_client_order_id_is_rejected() -> None:
    venue, _ = _venue()
    assert venue.submit_order(_market(OrderSide.BUY, "0.1")).status is AckStatus.ACCEPTED
    again = venue.submit_order(_market(OrderSide.BUY, "0.1"))
    assert again.reason is RejectReason.INVALID_ARGUMENTS
    assert venue.fills(BTC_EUR, "IM-000001")[0].quantity == D("0.1")


def test_order_for_an_unlisted_symbol_is_rejected() -> None:
    venue, _ = _venue()
    order = OrderRequest(
        symbol=Symbol.parse("ETH/EUR"), side=OrderSide.BUY, quantity=D(1), client_order_id="x"
    )
    assert venue.submit_order(order).reason is RejectReason.UNKNOWN_SYMBOL


def test_instrument_rules_come_from_config_with_a_kraken_like_venue_symbol() -> None:
    venue, _ = _venue()
    rules = venue.instrument(BTC_EUR)
    assert rules.venue_symbol == "BTCEUR"
    assert (rules.price_tick, rules.lot_step, rules.min_quantity, rules.min_cost) == (
        D("0.1"),
        D("0.001"),
        D("0.01"),
        D("1"),
    )


def test_venue_is_a_non_production_sandbox() -> None:
    venue, _ = _venue()
    assert venue.venue.name == "in_memory"
    assert venue.venue.host == "in-memory"
    assert not venue.venue.production


@pytest.mark.parametrize("fraction", ["0", "1.5"])
def test_partial_fill_fraction_outside_zero_to_one_is_refused(fraction: str) -> None:
    with pytest.raises(ValueError, match="partial_fill_fraction"):
        _venue(partial_fill_fraction=D(fraction))
