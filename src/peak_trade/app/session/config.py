"""TestnetSessionConfig: what a session trades, how it sizes and how it polls (its own settings;
app/config reads them from [testnet_session])."""

from __future__ import annotations

from decimal import Decimal

import attrs

from peak_trade.domain.symbols import Symbol, Timeframe


@attrs.frozen(kw_only=True)
class TestnetSessionConfig:
    """[testnet_session]: what a session trades, how it sizes and how it polls."""

    __test__ = False  # not a pytest test class

    enabled: bool = True
    default_exchange: str = "kraken_testnet"
    symbol: Symbol = attrs.field(factory=lambda: Symbol(base="BTC", quote="EUR"))
    timeframe: Timeframe = Timeframe.M1
    poll_interval_seconds: Decimal = Decimal(60)
    warmup_candles: int = 200
    start_balance: Decimal = Decimal(10000)
    position_fraction: Decimal = Decimal("0.1")
    fee_rate: Decimal = Decimal("0.0026")
    slippage_bps: Decimal = Decimal(5)
    strategy: str = "ma_crossover"
    allow_short: bool = False
    max_consecutive_errors: int = 5
    order_follow_timeout_seconds: Decimal = Decimal(60)
