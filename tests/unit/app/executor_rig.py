"""The executor as the tests build it: a spy exchange, the REAL LiveRiskLimits, a memory log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.unit.app.fakes import BTC_EUR, T0, MemoryRunLog, SpyExchange

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.app.orders.executor import TestnetExchangeOrderExecutor
from peak_trade.domain.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.domain.orders import OrderRequest, OrderSide
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits

TESTNET = EnvironmentConfig(environment=TradingEnvironment.TESTNET)


def make_executor(
    exchange: SpyExchange,
    *,
    limits: LiveRiskLimits | None = None,
    portfolio: Portfolio | None = None,
    log: MemoryRunLog | None = None,
    clock: SimulatedClock | None = None,
    timeout: Decimal = Decimal(10),
    **options: Any,
) -> TestnetExchangeOrderExecutor:
    return TestnetExchangeOrderExecutor(
        exchange=exchange,
        risk_limits=limits or LiveRiskLimits(max_order_notional=Decimal(2000)),
        portfolio=portfolio or Portfolio(base_currency="EUR", cash=Decimal(10000)),
        environment=TESTNET,
        clock=clock or SimulatedClock(T0),
        event_log=log or MemoryRunLog(),
        fee_rate=Decimal("0.0026"),
        slippage_bps=Decimal(5),
        order_follow_timeout_seconds=timeout,
        **options,
    )


def buy(quantity: str = "0.01", coid: str = "c-1") -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR, side=OrderSide.BUY, quantity=Decimal(quantity), client_order_id=coid
    )


def sell(quantity: str = "0.01", coid: str = "c-2") -> OrderRequest:
    return OrderRequest(
        symbol=BTC_EUR, side=OrderSide.SELL, quantity=Decimal(quantity), client_order_id=coid
    )
