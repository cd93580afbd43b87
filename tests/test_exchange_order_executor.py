"""Seed-level tests of TestnetExchangeOrderExecutor (Phase 35 "Executor mit Environment-Guards"):
only testnet may trade, a production venue may only validate, risk limits run before the port.

`python3 -m pytest tests/test_exchange_client.py tests/test_exchange_order_executor.py
tests/test_run_testnet_session.py -v` runs the seed's three test files; the rest of the order
path is tested in tests/unit/app/test_executor_paths.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.bootstrap import create_testnet_executor_from_config
from peak_trade.app.config import load_config
from peak_trade.app.orders import (
    EnvironmentNotTestnetError,
    TestnetExchangeOrderExecutor,
    TestnetExecutionLog,
)
from peak_trade.domain.environment import (
    EnvironmentConfig,
    TradingEnvironment,
    Venue,
    VenueNotAllowedError,
)
from peak_trade.domain.orders import ExecutionStatus, RejectReason
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from tests.unit.app.executor_rig import buy, make_executor
from tests.unit.app.fakes import T0, MemoryRunLog, SpyExchange

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("mode", [TradingEnvironment.PAPER, TradingEnvironment.LIVE])
def test_refuses_construction_outside_testnet(mode: TradingEnvironment) -> None:
    spy = SpyExchange()
    with pytest.raises(EnvironmentNotTestnetError, match="testnet"):
        TestnetExchangeOrderExecutor(
            exchange=spy,
            risk_limits=LiveRiskLimits(),
            portfolio=Portfolio(base_currency="EUR", cash=Decimal(1000)),
            environment=EnvironmentConfig(environment=mode),
            clock=SimulatedClock(T0),
            event_log=MemoryRunLog(),
            fee_rate=Decimal(0),
            slippage_bps=Decimal(0),
        )
    assert spy.calls == []


def test_refuses_each_order_when_the_environment_is_no_longer_testnet() -> None:
    spy = SpyExchange()
    environment = EnvironmentConfig(environment=TradingEnvironment.TESTNET)
    executor = TestnetExchangeOrderExecutor(
        exchange=spy,
        risk_limits=LiveRiskLimits(),
        portfolio=Portfolio(base_currency="EUR", cash=Decimal(1000)),
        environment=environment,
        clock=SimulatedClock(T0),
        event_log=MemoryRunLog(),
        fee_rate=Decimal(0),
        slippage_bps=Decimal(0),
    )
    object.__setattr__(environment, "environment", TradingEnvironment.LIVE)  # corrupted config
    with pytest.raises(EnvironmentNotTestnetError):
        executor.execute(buy())
    assert spy.submitted == []


def test_refuses_a_production_venue_that_would_execute_at_construction() -> None:
    spy = SpyExchange(
        venue=Venue(name="kraken", production=True, validate_only=False, host="api.kraken.com")
    )
    with pytest.raises(VenueNotAllowedError, match="validate_only"):
        make_executor(spy)


def test_refuses_each_order_when_the_venue_stops_being_validate_only() -> None:
    spy = SpyExchange(
        venue=Venue(name="kraken", production=True, validate_only=True, host="api.kraken.com")
    )
    executor = make_executor(spy)
    spy.venue_value = attrs.evolve(spy.venue_value, validate_only=False)
    with pytest.raises(VenueNotAllowedError):
        executor.execute(buy())
    assert spy.submitted == []


def test_risk_blocked_order_never_reaches_the_exchange() -> None:
    spy = SpyExchange()
    log = MemoryRunLog()
    executor = make_executor(
        spy, limits=LiveRiskLimits(max_order_notional=Decimal(100), size_down=False), log=log
    )

    result = executor.execute(buy("0.01"))  # ~500 EUR > 100

    assert result.status is ExecutionStatus.RISK_BLOCKED
    assert result.reason is RejectReason.RISK_LIMIT
    assert "max_order_notional" in result.message
    assert spy.submitted == []
    assert "order_intent" not in log.types()
    decision = log.of_type("risk_decision")[0]
    assert decision["allowed"] is False
    assert decision["violations"][0]["limit"] == "max_order_notional"
    assert log.of_type("order_result")[0]["reached_exchange"] is False
    assert executor.counters.risk_blocked == 1


def test_the_executor_is_built_from_the_config_files_sections() -> None:
    config = load_config(REPO / "config" / "config.toml")
    spy = SpyExchange()
    log = MemoryRunLog()
    executor = create_testnet_executor_from_config(
        config,
        exchange=spy,
        portfolio=Portfolio(base_currency="EUR", cash=Decimal(10000)),
        clock=SimulatedClock(T0),
        event_log=log,
    )
    assert isinstance(executor, TestnetExchangeOrderExecutor)
    result = executor.execute(buy("0.01"))
    assert result.status is ExecutionStatus.VALIDATED
    (record,) = executor.execution_log
    assert isinstance(record, TestnetExecutionLog)
    assert record.result is result
    assert record.reached_exchange
