"""TestnetSessionConfig: what a session trades, how it sizes and how it polls (its own settings;
app/config reads them from [testnet_session])."""

from __future__ import annotations

from decimal import Decimal

import attrs

from peak_trade.domain.symbols import Symbol, Timeframe


def _distinct_symbols(_instance: object, _attribute: object, value: tuple[Symbol, ...]) -> None:
    if not value:
        raise ValueError("a session trades at least one symbol")
    if len(set(value)) != len(value):
        raise ValueError(f"symbols repeat: {', '.join(map(str, value))}")


@attrs.frozen(kw_only=True)
class TestnetSessionConfig:
    """[testnet_session]: what a session trades, how it sizes and how it polls.

    `symbols` are traded under one portfolio (the seed's single `symbol` is the first one);
    each gets its own strategy instance and `position_fraction` of equity.
    """

    __test__ = False  # not a pytest test class

    enabled: bool = True
    default_exchange: str = "kraken_testnet"
    symbols: tuple[Symbol, ...] = attrs.field(
        default=(Symbol(base="BTC", quote="EUR"),), validator=_distinct_symbols
    )
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
    max_consecutive_order_failures: int = 3
    order_follow_timeout_seconds: Decimal = Decimal(60)
    unknown_order_resolution_seconds: Decimal = Decimal(300)
    flatten_on_halt: bool = False

    @property
    def symbol(self) -> Symbol:
        """The first (for a single-symbol session: the only) symbol."""
        return self.symbols[0]
