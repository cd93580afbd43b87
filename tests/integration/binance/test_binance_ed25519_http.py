"""Ed25519 keys: requests signed with a generated key, verified by the loopback server."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.integration.binance.conftest import MakeRig
from tests.support.binance_server import BinanceLoopbackServer

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceKeyType,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeAuthError

BTC_USDT = Symbol.parse("BTC/USDT")
ED_KEY = "loopbackEd25519KeyAbc"


def _keypair() -> tuple[bytes, bytes]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def test_an_ed25519_key_from_the_environment_signs_a_whole_order_conversation(
    server: BinanceLoopbackServer, clock: SimulatedClock, tmp_path: Path
) -> None:
    private, public = _keypair()
    server.add_ed25519_key(ED_KEY, public)
    pem = tmp_path / "test-prv-key.pem"
    pem.write_bytes(private)
    config = BinanceTestnetConfig(base_url=server.base_url, key_type=BinanceKeyType.ED25519)
    environ = {"BINANCE_TESTNET_API_KEY": ED_KEY, "BINANCE_TESTNET_PRIVATE_KEY_PATH": str(pem)}
    with BinanceTestnetClient(config, clock, environ=environ) as client:
        assert client.balances()["USDT"] > 0
        order = OrderRequest(
            symbol=BTC_USDT,
            side=OrderSide.BUY,
            quantity=Decimal("0.001"),
            client_order_id=str(uuid.uuid4()),
        )
        ack = client.submit_order(order)
        assert ack.status is AckStatus.ACCEPTED
        assert ack.order_id is not None
        assert client.fills(BTC_USDT, ack.order_id)
    signatures = server.signatures_seen
    assert signatures
    assert all(len(s) == 88 and s.endswith("==") for s in signatures)  # base64 of 64 bytes


def test_a_signature_from_another_ed25519_key_is_refused(
    server: BinanceLoopbackServer, make_rig: MakeRig
) -> None:
    _, public = _keypair()
    server.add_ed25519_key(ED_KEY, public)
    other_private, _ = _keypair()
    rig = make_rig(credentials=BinanceCredentials.ed25519_pem(ED_KEY, other_private))
    with pytest.raises(ExchangeAuthError, match="-1022"):
        rig.client.balances()
