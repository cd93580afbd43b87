"""Key, secret and signatures never reach logs, exceptions or reprs, even at DEBUG."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

import pytest
from tests.integration.binance.conftest import KEY, SECRET, MakeRig
from tests.support.binance_server import Fault

from peak_trade.adapters.binance import BinanceCredentials
from peak_trade.domain.orders import OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeError

BTC_USDT = Symbol.parse("BTC/USDT")


def test_debug_logging_of_a_whole_conversation_shows_no_secret(
    make_rig: MakeRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rig = make_rig(max_retries=1)
    client = rig.client
    client.balances()
    order = OrderRequest(
        symbol=BTC_USDT,
        side=OrderSide.BUY,
        quantity=Decimal("0.001"),
        client_order_id=str(uuid.uuid4()),
    )
    ack = client.submit_order(order)
    assert ack.order_id is not None
    client.fills(BTC_USDT, ack.order_id)
    client.cancel_order(BTC_USDT, ack.order_id)
    client.find_order(BTC_USDT, order.client_order_id)
    rig.server.inject("GET", "/api/v3/account", Fault.http_status(503))
    client.balances()
    rig.server.inject(
        "GET",
        "/api/v3/account",
        Fault.binance_error(-1022, "Signature for this request is not valid."),
    )
    with pytest.raises(ExchangeError) as caught:
        client.balances()
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert "send_request_headers" in logged  # httpcore really logged at DEBUG
    assert "HTTP Request: GET" in logged  # and httpx, with the signed URL
    assert "signature=<redacted>" in logged
    assert len(rig.server.signatures_seen) >= 6
    for secret in (KEY, SECRET, *rig.server.signatures_seen):
        assert secret not in logged
        assert secret not in str(caught.value)
        assert secret not in repr(client)
        assert secret not in repr(client.transport.__dict__)


def test_building_a_client_registers_its_key_and_secret_with_the_log_filter(
    make_rig: MakeRig, caplog: pytest.LogCaptureFixture
) -> None:
    key, secret = f"freshKey{uuid.uuid4().hex}", f"fresh-secret-{uuid.uuid4().hex}"
    make_rig(credentials=BinanceCredentials.hmac(key, secret))
    caplog.set_level(logging.DEBUG, logger="httpcore.connection")
    logging.getLogger("httpcore.connection").debug("a library echoes %s and %s", key, secret)
    assert key not in caplog.text
    assert secret not in caplog.text
    assert caplog.text.count("<redacted>") == 2
