"""Paper-ledger fills for validate-only orders: reference price, slippage and fee, simulated."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from peak_trade.domain.orders import Fill, OrderRequest, OrderSide

_BPS = Decimal(10000)


def simulated_fill(
    order: OrderRequest,
    reference_price: Decimal,
    *,
    slippage_bps: Decimal,
    fee_rate: Decimal,
    now: datetime,
) -> Fill:
    """The fill a validated order books: price moved `slippage_bps` against the trader (buys
    pay more, sells get less), fee = fee_rate x notional in the quote currency, simulated."""
    if reference_price <= 0:
        raise ValueError(
            f"a simulated fill needs a positive reference price, got {reference_price}"
        )
    if slippage_bps < 0 or fee_rate < 0:
        raise ValueError("slippage_bps and fee_rate must be >= 0")
    slip = slippage_bps / _BPS
    price = reference_price * (1 + slip if order.side is OrderSide.BUY else 1 - slip)
    return Fill(
        order_id=f"sim-{order.client_order_id}",
        trade_id=f"sim-{order.client_order_id}-1",
        symbol=order.symbol,
        side=order.side,
        quantity=order.quantity,
        price=price,
        fee=order.quantity * price * fee_rate,
        fee_currency=order.symbol.quote,
        time=now,
        simulated=True,
    )
