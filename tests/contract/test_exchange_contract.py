"""The ExchangePort contract: the same test bodies run against every venue harness."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from peak_trade.domain.decimals import ceil_to_step
from peak_trade.domain.environment import require_safe_venue
from peak_trade.domain.instruments import InstrumentRules, TradingStatus
from peak_trade.domain.orders import (
    AckStatus,
    OrderRequest,
    OrderSide,
    OrderState,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.domain.symbols import Timeframe
from peak_trade.ports.errors import (
    OrderNotFoundError,
    UnknownSymbolError,
    UnsupportedTimeframeError,
)
from peak_trade.ports.exchange import ExchangePort
from tests.contract.harness import VenueHarness

NewId = Callable[[], str]


def _price(harness: VenueHarness) -> Decimal:
    return harness.exchange.ticker(harness.symbol).last


def _tradeable_quantity(rules: InstrumentRules, price: Decimal) -> Decimal:
    """A quantity above both minimums at `price` (2x min cost), on the lot step."""
    by_cost = ceil_to_step(rules.min_cost * 2 / price, rules.lot_step)
    return max(by_cost, ceil_to_step(rules.min_quantity, rules.lot_step), rules.lot_step)


def _far_below(rules: InstrumentRules, price: Decimal) -> Decimal:
    return rules.round_price(price * Decimal("0.8"), OrderSide.BUY)


def _until_terminal(harness: VenueHarness, order_id: str, tries: int = 10) -> OrderState:
    state = harness.exchange.order_status(harness.symbol, order_id)
    for _ in range(tries):
        if state.status.terminal:
            break
        harness.advance(harness.timeframe.seconds)
        state = harness.exchange.order_status(harness.symbol, order_id)
    return state


def test_venue_reports_its_validate_only_flag_and_is_safe(harness: VenueHarness) -> None:
    venue = harness.exchange.venue
    assert venue.validate_only is harness.validate_only
    assert venue.name
    require_safe_venue(venue)


def test_adapter_is_an_exchange_port(harness: VenueHarness) -> None:
    assert isinstance(harness.exchange, ExchangePort)


def test_instrument_rules_of_a_listed_symbol_are_positive_and_consistent(
    harness: VenueHarness,
) -> None:
    rules = harness.exchange.instrument(harness.symbol)
    assert rules.symbol == harness.symbol
    assert rules.venue_symbol
    assert rules.price_tick > 0
    assert rules.lot_step > 0
    assert rules.min_quantity > 0
    assert rules.min_cost >= 0
    assert rules.round_quantity(rules.min_quantity) == rules.min_quantity
    assert rules.status is TradingStatus.ONLINE


def test_unknown_symbol_raises_unknown_symbol_error(harness: VenueHarness) -> None:
    with pytest.raises(UnknownSymbolError):
        harness.exchange.instrument(harness.unknown_symbol)


def test_candles_are_closed_oldest_first_with_the_forming_one_apart(
    harness: VenueHarness,
) -> None:
    batch = harness.exchange.candles(harness.symbol, harness.timeframe)
    assert len(batch.closed) >= 2
    assert all(candle.closed for candle in batch.closed)
    times = [candle.open_time for candle in batch.closed]
    assert times == sorted(set(times))
    assert batch.forming is not None
    assert not batch.forming.closed
    assert batch.forming.open_time > times[-1]


def test_candles_since_returns_only_candles_strictly_after_it(harness: VenueHarness) -> None:
    everything = harness.exchange.candles(harness.symbol, harness.timeframe).closed
    since = everything[len(everything) // 2].open_time
    later = harness.exchange.candles(harness.symbol, harness.timeframe, since).closed
    assert later
    assert all(candle.open_time > since for candle in later)
    assert later == tuple(c for c in everything if c.open_time > since)[: len(later)]


def test_candles_since_the_last_close_are_empty_until_time_advances(
    harness: VenueHarness,
) -> None:
    last = harness.exchange.candles(harness.symbol, harness.timeframe).closed[-1].open_time
    assert harness.exchange.candles(harness.symbol, harness.timeframe, last).closed == ()
    harness.advance(harness.timeframe.seconds)
    fresh = harness.exchange.candles(harness.symbol, harness.timeframe, last).closed
    assert fresh
    assert all(candle.open_time > last for candle in fresh)


def test_ticker_is_positive_with_bid_not_above_ask(harness: VenueHarness) -> None:
    ticker = harness.exchange.ticker(harness.symbol)
    assert ticker.symbol == harness.symbol
    assert 0 < ticker.bid <= ticker.ask
    assert ticker.last > 0


def test_valid_market_order_is_validated_or_filled_and_findable(
    harness: VenueHarness, next_client_id: NewId
) -> None:
    rules = harness.exchange.instrument(harness.symbol)
    quantity = _tradeable_quantity(rules, _price(harness))
    client_id = next_client_id()
    order = OrderRequest(
        symbol=harness.symbol, side=OrderSide.BUY, quantity=quantity, client_order_id=client_id
    )
    ack = harness.exchange.submit_order(order)
    assert ack.client_order_id == client_id
    if harness.validate_only:
        assert ack.status is AckStatus.VALIDATED
        assert harness.exchange.find_order(harness.symbol, client_id) is None
        return
    assert ack.status is AckStatus.ACCEPTED
    assert ack.order_id
    state = _until_terminal(harness, ack.order_id)
    assert state.status is OrderStatus.FILLED
    assert state.filled_quantity == quantity
    assert (
        sum(fill.quantity for fill in harness.exchange.fills(harness.symbol, ack.order_id))
        == quantity
    )
    found = harness.exchange.find_order(harness.symbol, client_id)
    assert found is not None
    assert found.order_id == ack.order_id


def test_order_below_minimum_quantity_is_rejected_and_never_stored(
    harness: VenueHarness, next_client_id: NewId
) -> None:
    rules = harness.exchange.instrument(harness.symbol)
    client_id = next_client_id()
    order = OrderRequest(
        symbol=harness.symbol,
        side=OrderSide.BUY,
        quantity=rules.min_quantity - rules.lot_step,
        client_order_id=client_id,
    )
    ack = harness.exchange.submit_order(order)
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.ORDER_MINIMUM_NOT_MET
    assert harness.exchange.find_order(harness.symbol, client_id) is None


def test_order_below_minimum_cost_is_rejected(harness: VenueHarness, next_client_id: NewId) -> None:
    rules = harness.exchange.instrument(harness.symbol)
    if rules.min_cost == 0:
        pytest.skip(f"{harness.name} has no minimum cost")
    cheap = rules.round_price(rules.min_cost / rules.min_quantity / 2, OrderSide.BUY)
    order = OrderRequest(
        symbol=harness.symbol,
        side=OrderSide.BUY,
        quantity=rules.min_quantity,
        order_type=OrderType.LIMIT,
        limit_price=cheap,
        client_order_id=next_client_id(),
    )
    ack = harness.exchange.submit_order(order)
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.COST_MINIMUM_NOT_MET


def test_limit_price_off_the_tick_is_rejected(harness: VenueHarness, next_client_id: NewId) -> None:
    rules = harness.exchange.instrument(harness.symbol)
    price = _far_below(rules, _price(harness))
    order = OrderRequest(
        symbol=harness.symbol,
        side=OrderSide.BUY,
        quantity=_tradeable_quantity(rules, price),
        order_type=OrderType.LIMIT,
        limit_price=price + rules.price_tick / 2,
        client_order_id=next_client_id(),
    )
    ack = harness.exchange.submit_order(order)
    assert ack.status is AckStatus.REJECTED
    assert ack.reason is RejectReason.TICK_SIZE_CHECK_FAILED


def test_limit_order_away_from_the_market_rests_open_until_cancelled(
    harness: VenueHarness, next_client_id: NewId
) -> None:
    rules = harness.exchange.instrument(harness.symbol)
    price = _far_below(rules, _price(harness))
    client_id = next_client_id()
    order = OrderRequest(
        symbol=harness.symbol,
        side=OrderSide.BUY,
        quantity=_tradeable_quantity(rules, price),
        order_type=OrderType.LIMIT,
        limit_price=price,
        client_order_id=client_id,
    )
    ack = harness.exchange.submit_order(order)
    if harness.validate_only:
        assert ack.status is AckStatus.VALIDATED
        return
    assert ack.status is AckStatus.ACCEPTED
    assert ack.order_id
    harness.advance(harness.timeframe.seconds)
    assert harness.exchange.order_status(harness.symbol, ack.order_id).status is OrderStatus.OPEN
    cancelled = harness.exchange.cancel_order(harness.symbol, ack.order_id)
    assert cancelled.status is OrderStatus.CANCELLED
    assert (
        harness.exchange.order_status(harness.symbol, ack.order_id).status is OrderStatus.CANCELLED
    )
    assert (
        harness.exchange.cancel_order(harness.symbol, ack.order_id).status is OrderStatus.CANCELLED
    )


@pytest.mark.parametrize("call", ["order_status", "fills", "cancel_order"])
def test_unknown_order_id_raises_order_not_found(harness: VenueHarness, call: str) -> None:
    method = getattr(harness.exchange, call)
    with pytest.raises(OrderNotFoundError):
        method(harness.symbol, "NO-SUCH-ORDER-1")


def test_find_order_of_an_unknown_client_id_is_none(
    harness: VenueHarness, next_client_id: NewId
) -> None:
    assert harness.exchange.find_order(harness.symbol, next_client_id()) is None


def test_balances_are_decimals_by_asset_code(harness: VenueHarness) -> None:
    balances = harness.exchange.balances()
    assert all(isinstance(asset, str) and asset for asset in balances)
    assert all(isinstance(amount, Decimal) and amount.is_finite() for amount in balances.values())


def test_venue_declares_its_timeframes_and_refuses_others(harness: VenueHarness) -> None:
    served = harness.exchange.timeframes
    assert harness.timeframe in served
    unserved = Timeframe.parse("7m")
    assert unserved not in served
    with pytest.raises(UnsupportedTimeframeError):
        harness.exchange.candles(harness.symbol, unserved)
