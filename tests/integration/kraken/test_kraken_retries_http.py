"""Retries with exponential backoff and jitter, in virtual time (SimulatedClock)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from tests.integration.kraken.conftest import START, MakeRig
from tests.support.kraken_server import Fault

from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol
from peak_trade.ports.errors import ExchangeUnavailableError, RateLimitedError

BTC_EUR = Symbol.parse("BTC/EUR")


def _order() -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR,
        side=OrderSide.BUY,
        quantity=Decimal("0.01"),
        client_order_id=str(uuid.uuid4()),
    )


def test_reads_are_retried_with_growing_jittered_waits_on_the_clock(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    rig.server.inject("Balance", Fault.kraken_error("EService:Unavailable", times=3))
    assert rig.client.balances()["EUR"] > 0
    waits = rig.client.transport.retry_waits
    assert len(waits) == 3
    assert 0.5 <= waits[0] <= 0.75
    assert 1.0 <= waits[1] <= 1.5
    assert 2.0 <= waits[2] <= 3.0
    assert rig.clock.slept == pytest.approx(sum(waits))
    assert rig.server.request_counts["Balance"] == 4


def test_retries_stop_at_max_retries(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=2)
    rig.server.inject("Balance", Fault.http_status(503, times=5))
    with pytest.raises(ExchangeUnavailableError):
        rig.client.balances()
    assert rig.server.request_counts["Balance"] == 3


def test_throttled_waits_until_krakens_timestamp(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=1)
    until = int(START.timestamp()) + 20
    rig.server.inject("Balance", Fault.kraken_error(f"EService:Throttled:{until}"))
    rig.client.balances()
    (wait,) = rig.client.transport.retry_waits
    assert wait >= 20


def test_rate_limit_exceeded_is_retried_after_a_wait(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=1)
    rig.server.inject("Balance", Fault.kraken_error("EAPI:Rate limit exceeded"))
    rig.client.balances()
    assert rig.clock.slept >= 5


def test_temporary_lockout_is_raised_without_sleeping_a_quarter_hour(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=3)
    rig.server.inject("Balance", Fault.kraken_error("EGeneral:Temporary lockout"))
    with pytest.raises(RateLimitedError) as caught:
        rig.client.balances()
    assert caught.value.retry_after == 900
    assert rig.clock.slept == 0


def test_invalid_nonce_is_retried_once_with_a_fresh_nonce(make_rig: MakeRig) -> None:
    rig = make_rig(max_retries=0)
    rig.server.inject("Balance", Fault.kraken_error("EAPI:Invalid nonce"))
    rig.client.balances()
    assert rig.server.request_counts["Balance"] == 2


def test_executing_add_order_is_not_resent_after_a_server_error(make_rig: MakeRig) -> None:
    rig = make_rig(validate_only=False, max_retries=3)
    rig.server.inject("AddOrder", Fault.http_status(503))
    assert rig.client.submit_order(_order()).status is AckStatus.UNKNOWN
    assert rig.server.request_counts["AddOrder"] == 1
    assert rig.clock.slept == 0


def test_executing_add_order_answered_unavailable_is_unknown_and_not_resent(
    make_rig: MakeRig,
) -> None:
    """EService:Unavailable does not prove Kraken refused the order: it may be placed."""
    rig = make_rig(validate_only=False, max_retries=3)
    rig.server.inject("AddOrder", Fault.kraken_error("EService:Unavailable", process=True))
    order = _order()
    assert rig.client.submit_order(order).status is AckStatus.UNKNOWN
    assert rig.server.request_counts["AddOrder"] == 1
    assert rig.clock.slept == 0
    found = rig.client.find_order(BTC_EUR, order.client_order_id)
    assert found is not None


def test_rest_counter_waits_in_virtual_time_over_real_http(make_rig: MakeRig) -> None:
    rig = make_rig()
    for _ in range(20):
        rig.client.balances()
    assert rig.client.transport.limiter.waited == pytest.approx(5 / 0.33)
    assert rig.clock.slept == pytest.approx(5 / 0.33)
