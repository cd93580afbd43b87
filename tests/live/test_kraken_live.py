"""Opt-in smoke tests against the real Kraken API (validate-only; nothing ever executes).

Run with: KRAKEN_TESTNET_API_KEY=... KRAKEN_TESTNET_API_SECRET=... pytest -m kraken_live tests/live
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.clocks import SystemClock
from peak_trade.adapters.kraken import KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.domain.decimals import ceil_to_step
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide, OrderType
from peak_trade.domain.symbols import Symbol, Timeframe

pytestmark = [
    pytest.mark.kraken_live,
    pytest.mark.skipif(
        not (
            os.environ.get("KRAKEN_TESTNET_API_KEY") and os.environ.get("KRAKEN_TESTNET_API_SECRET")
        ),
        reason="set KRAKEN_TESTNET_API_KEY and KRAKEN_TESTNET_API_SECRET to run live Kraken tests",
    ),
]
BTC_EUR = Symbol.parse("BTC/EUR")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[KrakenTestnetClient]:
    config = KrakenTestnetConfig(validate_only=True, state_dir=tmp_path, rate_limit_ms=1000)
    with KrakenTestnetClient(config, SystemClock()) as live:
        assert live.venue.production
        assert live.venue.validate_only
        yield live


def test_public_endpoints_answer(client: KrakenTestnetClient) -> None:
    assert client.system_status() in {"online", "maintenance", "cancel_only", "post_only"}
    assert client.refresh_markets().source == "api"
    assert client.instrument(BTC_EUR).venue_symbol == "XXBTZEUR"
    ticker = client.ticker(BTC_EUR)
    assert 0 < ticker.bid <= ticker.ask
    batch = client.candles(BTC_EUR, Timeframe.M1)
    assert batch.closed
    assert batch.forming is not None


def test_one_validate_only_limit_order_is_validated(client: KrakenTestnetClient) -> None:
    rules = client.instrument(BTC_EUR)
    price = rules.round_price(client.ticker(BTC_EUR).bid * Decimal("0.5"), OrderSide.BUY)
    quantity = max(rules.min_quantity, ceil_to_step(rules.min_cost * 2 / price, rules.lot_step))
    order = OrderRequest(
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=quantity,
        order_type=OrderType.LIMIT,
        limit_price=price,
        client_order_id=str(uuid.uuid4()),
    )
    ack = client.submit_order(order)
    assert ack.status is AckStatus.VALIDATED, ack
    assert ack.description.startswith("buy ")
