"""Opt-in smoke tests against the real Binance Spot Testnet (virtual funds; orders execute).

Run with:
    BINANCE_TESTNET_API_KEY=... BINANCE_TESTNET_API_SECRET=... pytest -m binance_live tests/live
Keys come from https://testnet.binance.vision (log in, generate an HMAC key). The testnet is
reset about monthly: balances are refilled, orders vanish.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest

from peak_trade.adapters.binance import BinanceTestnetClient, BinanceTestnetConfig
from peak_trade.adapters.clocks import SystemClock
from peak_trade.domain.decimals import ceil_to_step
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide, OrderStatus, OrderType
from peak_trade.domain.symbols import Symbol, Timeframe

pytestmark = [
    pytest.mark.binance_live,
    pytest.mark.skipif(
        not (
            os.environ.get("BINANCE_TESTNET_API_KEY")
            and os.environ.get("BINANCE_TESTNET_API_SECRET")
        ),
        reason="set BINANCE_TESTNET_API_KEY and BINANCE_TESTNET_API_SECRET to run live tests",
    ),
]
BTC_USDT = Symbol.parse("BTC/USDT")


@pytest.fixture
def client() -> Iterator[BinanceTestnetClient]:
    config = BinanceTestnetConfig()  # https://testnet.binance.vision, executing
    with BinanceTestnetClient(config, SystemClock()) as live:
        assert not live.venue.production
        assert live.venue.host == "testnet.binance.vision"
        yield live


def _tiny(rules: InstrumentRules, price: Decimal) -> Decimal:
    """The smallest quantity above both minimums at `price` (with 20 % room)."""
    by_cost = ceil_to_step(rules.min_cost * Decimal("1.2") / price, rules.lot_step)
    return max(by_cost, rules.min_quantity)


def test_public_endpoints_and_the_account_answer(client: BinanceTestnetClient) -> None:
    rules = client.instrument(BTC_USDT)
    assert rules.venue_symbol == "BTCUSDT"
    ticker = client.ticker(BTC_USDT)
    assert 0 < ticker.bid <= ticker.ask
    batch = client.candles(BTC_USDT, Timeframe.M1)
    assert batch.closed
    assert batch.forming is not None
    assert client.balances()


def test_a_tiny_limit_order_far_from_the_market_rests_and_is_cancelled(
    client: BinanceTestnetClient,
) -> None:
    rules = client.instrument(BTC_USDT)
    last = client.ticker(BTC_USDT).last
    price = rules.round_price(last * Decimal("0.5"), OrderSide.BUY)  # inside the 0.2 band
    order = OrderRequest(
        symbol=BTC_USDT,
        side=OrderSide.BUY,
        quantity=_tiny(rules, price),
        order_type=OrderType.LIMIT,
        limit_price=price,
        client_order_id=str(uuid.uuid4()),
    )
    ack = client.submit_order(order)
    assert ack.status is AckStatus.ACCEPTED, ack
    assert ack.order_id is not None
    try:
        assert client.order_status(BTC_USDT, ack.order_id).status is OrderStatus.OPEN
        found = client.find_order(BTC_USDT, order.client_order_id)
        assert found is not None
        assert found.order_id == ack.order_id
    finally:
        cancelled = client.cancel_order(BTC_USDT, ack.order_id)
    assert cancelled.status is OrderStatus.CANCELLED


def test_a_tiny_market_order_executes_with_real_fills(client: BinanceTestnetClient) -> None:
    rules = client.instrument(BTC_USDT)
    quantity = _tiny(rules, client.ticker(BTC_USDT).ask)
    order = OrderRequest(
        symbol=BTC_USDT, side=OrderSide.BUY, quantity=quantity, client_order_id=str(uuid.uuid4())
    )
    ack = client.submit_order(order)
    assert ack.status is AckStatus.ACCEPTED, ack
    assert ack.order_id is not None
    state = client.order_status(BTC_USDT, ack.order_id)
    # Testnet books are thin: EXPIRED with a partial fill is a legitimate outcome.
    assert state.status in (OrderStatus.FILLED, OrderStatus.EXPIRED)
    fills = client.fills(BTC_USDT, ack.order_id)
    assert sum((f.quantity for f in fills), Decimal(0)) == state.filled_quantity
    assert all(f.fee_currency in ("BTC", "USDT") for f in fills)
