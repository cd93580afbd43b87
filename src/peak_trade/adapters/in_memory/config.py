"""InMemoryExchangeConfig: the [exchange.in_memory] section as a frozen value."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from peak_trade.domain.environment import Venue


@attrs.frozen(kw_only=True)
class InMemoryExchangeConfig:
    """Settings of the in-memory venue: execution model and the instrument rules it enforces."""

    enabled: bool = True
    validate_only: bool = True
    fee_rate: Decimal = Decimal("0.0026")
    slippage_bps: Decimal = Decimal("5")
    partial_fill_fraction: Decimal = Decimal("1")  # share of an order filled per price update
    price_tick: Decimal = Decimal("0.1")
    lot_step: Decimal = Decimal("0.00000001")
    min_quantity: Decimal = Decimal("0.00005")
    min_cost: Decimal = Decimal("0.5")
    balances: Mapping[str, Decimal] = attrs.field(factory=lambda: {"EUR": Decimal("10000")})


def in_memory_venue(config: InMemoryExchangeConfig) -> Venue:
    """The in-memory venue is a sandbox: it may fill orders unless it is set to validate only."""
    return Venue(
        name="in_memory", production=False, validate_only=config.validate_only, host="in-memory"
    )
