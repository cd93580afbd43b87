"""Production hosts: reads and test orders only. Two independent guards; no request leaves.

The client below believes it talks to https://api.binance.com; an httpx transport forwards
what it is allowed to send to the loopback server and records every request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from tests.integration.binance.conftest import KEY, SECRET, START
from tests.support.binance_server import BinanceLoopbackServer

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.binance.transport import BinanceTransport, Request
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.domain.environment import VenueNotAllowedError
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol, Timeframe

BTC_USDT = Symbol.parse("BTC/USDT")
PRODUCTION = "https://api.binance.com"


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def forwarding(server: BinanceLoopbackServer, sent: list[httpx.Request]) -> Iterator[httpx.Client]:
    """An httpx.Client whose requests to api.binance.com reach the loopback server instead."""
    real = httpx.Client()

    def forward(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        url = request.url.copy_with(scheme="http", host="127.0.0.1", port=server.port)
        answer = real.send(
            real.build_request(
                request.method, url, headers=request.headers, content=request.content
            )
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    with real, httpx.Client(transport=httpx.MockTransport(forward)) as client:
        yield client


def _production_client(
    http: httpx.Client, clock: SimulatedClock, *, credentials: bool = True
) -> BinanceTestnetClient:
    config = BinanceTestnetConfig(base_url=PRODUCTION, validate_only=True)
    return BinanceTestnetClient(
        config,
        clock,
        http=http,
        credentials=BinanceCredentials.hmac(KEY, SECRET) if credentials else None,
        environ={},
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v3/order"),
        ("DELETE", "/api/v3/order"),
        ("DELETE", "/api/v3/openOrders"),
        ("POST", "/api/v3/orderList/oco"),
        ("POST", "/api/v3/order/cancelReplace"),
        ("PUT", "/api/v3/order/amend/keepPriority"),
    ],
)
def test_the_transport_refuses_any_executing_request_to_production(
    forwarding: httpx.Client,
    sent: list[httpx.Request],
    clock: SimulatedClock,
    method: str,
    path: str,
) -> None:
    """The second guard: even a hand-built request never leaves for a production host."""
    config = BinanceTestnetConfig(base_url=PRODUCTION, validate_only=True)
    transport = BinanceTransport(config, clock, forwarding, BinanceCredentials.hmac(KEY, SECRET))
    request = Request(
        method=method,
        path=path,
        params=(("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")),
        signed=True,
        repeatable=False,
    )
    with pytest.raises(VenueNotAllowedError, match=f"{method} {path}"):
        transport.call(request)
    assert sent == []  # not even the server-time request went out


def test_the_client_refuses_to_execute_on_production_before_any_request(
    forwarding: httpx.Client, sent: list[httpx.Request], clock: SimulatedClock
) -> None:
    config = BinanceTestnetConfig(base_url=PRODUCTION, validate_only=False)
    with pytest.raises(VenueNotAllowedError, match=r"api\.binance\.com"):
        BinanceTestnetClient(config, clock, http=forwarding, environ={})
    assert sent == []


def test_validate_only_on_production_sends_test_orders_and_reads_only(
    forwarding: httpx.Client,
    sent: list[httpx.Request],
    clock: SimulatedClock,
    server: BinanceLoopbackServer,
) -> None:
    with _production_client(forwarding, clock) as client:
        assert client.venue.production
        order = OrderRequest(
            symbol=BTC_USDT,
            side=OrderSide.BUY,
            quantity=Decimal("0.001"),
            client_order_id=str(uuid.uuid4()),
        )
        assert client.submit_order(order).status is AckStatus.VALIDATED
        with pytest.raises(VenueNotAllowedError):
            client.cancel_order(BTC_USDT, "1")
    non_reads = {f"{r.method} {r.url.path}" for r in sent if r.method != "GET"}
    assert non_reads == {"POST /api/v3/order/test"}
    assert server.account(KEY).orders == {}


def test_public_market_data_on_production_needs_no_credentials(
    forwarding: httpx.Client, sent: list[httpx.Request], clock: SimulatedClock
) -> None:
    """What `peak-trade data fetch --exchange binance` does against api.binance.com."""
    with _production_client(forwarding, clock, credentials=False) as client:
        candles = client.klines_range(
            BTC_USDT, Timeframe.H1, START - timedelta(days=3), START - timedelta(days=1)
        )
    assert len(candles) == 48
    assert all(r.method == "GET" for r in sent)
    assert not any("X-MBX-APIKEY" in r.headers for r in sent)
    assert not any("signature" in str(r.url) for r in sent)
