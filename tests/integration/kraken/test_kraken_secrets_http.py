"""API key, secret and signatures never reach logs, even with httpx/httpcore at DEBUG."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

import pytest
from tests.integration.kraken.conftest import KEY, SECRET, MakeRig
from tests.support.kraken_server import Fault

from peak_trade.adapters.kraken.credentials import KrakenCredentials
from peak_trade.adapters.venue_http.redaction import install_redaction
from peak_trade.domain.orders import OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeError


def test_debug_logging_of_a_whole_exchange_conversation_shows_no_secret(
    make_rig: MakeRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rig = make_rig(validate_only=False, max_retries=1)
    client = rig.client
    client.balances()
    order = OrderRequest(
        symbol=Symbol.parse("BTC/EUR"),
        side=OrderSide.BUY,
        quantity=Decimal("0.01"),
        client_order_id=str(uuid.uuid4()),
    )
    ack = client.submit_order(order)
    assert ack.order_id is not None
    client.fills(order.symbol, ack.order_id)
    rig.server.inject("Balance", Fault.kraken_error("EService:Busy"))
    client.balances()
    rig.server.inject("Balance", Fault.kraken_error("EAPI:Invalid signature"))
    with pytest.raises(ExchangeError) as caught:
        client.balances()
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert "send_request_headers" in logged  # httpcore really logged at DEBUG
    assert "HTTP Request: POST" in logged  # and httpx too
    assert rig.server.signatures_seen
    for secret in (KEY, SECRET, *rig.server.signatures_seen):
        assert secret not in logged
        assert secret not in str(caught.value)


def test_redaction_filter_masks_header_values_and_registered_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_redaction("registered-secret-value")
    caplog.set_level(logging.DEBUG, logger="httpcore.http11")
    logger = logging.getLogger("httpcore.http11")
    logger.debug("headers=[(b'API-Key', b'abc123'), (b'API-Sign', b'c2lnbmF0dXJl')]")
    logger.debug("value %s", "registered-secret-value")
    assert "abc123" not in caplog.text
    assert "c2lnbmF0dXJl" not in caplog.text
    assert "registered-secret-value" not in caplog.text
    assert caplog.text.count("<redacted>") == 3


def test_building_a_client_registers_its_key_with_the_http_log_filter(
    make_rig: MakeRig, caplog: pytest.LogCaptureFixture
) -> None:
    key = f"fresh-key-{uuid.uuid4().hex}"
    make_rig(credentials=KrakenCredentials.from_values(key, SECRET))
    caplog.set_level(logging.DEBUG, logger="httpcore.connection")
    logging.getLogger("httpcore.connection").debug("some library echoes %s", key)
    assert key not in caplog.text
    assert "<redacted>" in caplog.text
