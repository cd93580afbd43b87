"""Seed-level tests of KrakenTestnetClient (Phase 35 "KrakenTestnetClient mit Mock-API"): the
client talks real HTTP to a loopback Kraken-compatible server that verifies every signature and
nonce, sends `validate=true` against production, refuses to execute there, and keeps its
credentials out of every output.

`python3 -m pytest tests/test_exchange_client.py tests/test_exchange_order_executor.py
tests/test_run_testnet_session.py -v` runs the seed's three test files; the client's faults,
retries, order lifecycle and market data are tested in tests/integration/kraken/.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.kraken import KrakenTestnetClient, KrakenTestnetConfig
from peak_trade.adapters.kraken.credentials import KrakenCredentialsError
from peak_trade.domain.environment import VenueNotAllowedError
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeAuthError
from tests.support.kraken_server import KrakenLoopbackServer

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = "seed-test-key-7Qp"
SECRET = base64.b64encode(b"seed test secret bytes, never shown").decode()
ENV = {"KRAKEN_TESTNET_API_KEY": KEY, "KRAKEN_TESTNET_API_SECRET": SECRET}
BTC_EUR = Symbol.parse("BTC/EUR")


@pytest.fixture
def server() -> Iterator[KrakenLoopbackServer]:
    with KrakenLoopbackServer(speed=0, start=START) as loopback:
        loopback.add_key(KEY, SECRET)
        yield loopback


def client(server: KrakenLoopbackServer, tmp_path: Path) -> KrakenTestnetClient:
    config = KrakenTestnetConfig(
        base_url=server.base_url, state_dir=tmp_path / "state", rate_limit_ms=0, max_retries=0
    )
    return KrakenTestnetClient(config, SimulatedClock(START), environ=ENV)


def market_buy(quantity: str = "0.01") -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=Decimal(quantity),
        client_order_id=str(uuid.uuid4()),
    )


def test_a_validate_only_order_is_checked_by_kraken_and_executes_nothing(
    server: KrakenLoopbackServer, tmp_path: Path
) -> None:
    with client(server, tmp_path) as kraken:
        ack = kraken.submit_order(market_buy())

    assert ack.status is AckStatus.VALIDATED
    assert ack.order_id is None
    (sent,) = server.params_sent("AddOrder")
    assert sent["validate"] == "true"
    assert sent["volume"] == "0.01"  # plain decimal on the wire, never exponent notation


def test_market_data_and_rules_come_from_the_public_endpoints(
    server: KrakenLoopbackServer, tmp_path: Path
) -> None:
    with client(server, tmp_path) as kraken:
        ticker = kraken.ticker(BTC_EUR)
        rules = kraken.instrument(BTC_EUR)

    assert 0 < ticker.bid <= ticker.ask
    assert isinstance(ticker.bid, Decimal)
    assert rules.venue_symbol == "XXBTZEUR"
    assert rules.min_quantity > 0


def test_every_private_call_carries_a_fresh_nonce_the_server_accepts(
    server: KrakenLoopbackServer, tmp_path: Path
) -> None:
    with client(server, tmp_path) as kraken:
        for _ in range(3):
            kraken.submit_order(market_buy())
    # the server verifies API-Sign and refuses a nonce not above the last one per key
    assert len(server.params_sent("AddOrder")) == 3


def test_production_may_only_validate(tmp_path: Path) -> None:
    executing = KrakenTestnetConfig(base_url="https://api.kraken.com", validate_only=False)
    with pytest.raises(VenueNotAllowedError, match=r"api\.kraken\.com"):
        KrakenTestnetClient(executing, SimulatedClock(START), environ=ENV)

    validating = KrakenTestnetConfig(base_url="https://api.kraken.com", validate_only=True)
    with KrakenTestnetClient(validating, SimulatedClock(START), environ=ENV) as kraken:
        assert kraken.venue.production
        assert kraken.venue.validate_only


def test_missing_credentials_name_the_variables_and_never_a_value(
    server: KrakenLoopbackServer, tmp_path: Path
) -> None:
    config = KrakenTestnetConfig(base_url=server.base_url, state_dir=tmp_path / "state")
    with (
        KrakenTestnetClient(config, SimulatedClock(START), environ={}) as kraken,
        pytest.raises((KrakenCredentialsError, ExchangeAuthError)) as caught,
    ):
        kraken.submit_order(market_buy())
    assert "KRAKEN_TESTNET_API_KEY" in str(caught.value)


def test_a_wrong_secret_is_an_auth_error_without_the_secret_in_it(
    server: KrakenLoopbackServer, tmp_path: Path
) -> None:
    wrong = base64.b64encode(b"not the registered secret").decode()
    config = KrakenTestnetConfig(
        base_url=server.base_url, state_dir=tmp_path / "state", max_retries=0
    )
    env = {"KRAKEN_TESTNET_API_KEY": KEY, "KRAKEN_TESTNET_API_SECRET": wrong}
    with (
        KrakenTestnetClient(config, SimulatedClock(START), environ=env) as kraken,
        pytest.raises(ExchangeAuthError) as caught,
    ):
        kraken.submit_order(market_buy())
    text = f"{caught.value!r} {caught.value}"
    assert wrong not in text
    assert KEY not in text
    assert SECRET not in repr(kraken)
