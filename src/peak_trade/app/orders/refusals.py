"""Two decisions the executor takes before an order may go out: what the trading gate says
about it, and how far the exposure limits let it be cut down instead of refused."""

from __future__ import annotations

from decimal import Decimal

import attrs

from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import OrderRequest, RejectReason
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import SIZEABLE_LIMITS, LiveRiskLimits, RiskDecision
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.trading_state import TradingGate, TradingState


def gate_refusal(gate: TradingGate) -> tuple[RejectReason, str]:
    """The reason code and message for an order the gate does not permit."""
    if gate.state is TradingState.REDUCING:
        return RejectReason.REDUCING_ONLY, (
            f"trading is {gate.state.value} ({gate.reason}): only orders that reduce "
            "exposure may go out"
        )
    return RejectReason.TRADING_HALTED, f"trading is halted ({gate.reason}): no order goes out"


def sized_down(
    order: OrderRequest,
    decision: RiskDecision,
    risk: LiveRiskLimits,
    portfolio: Portfolio,
    rules: InstrumentRules,
    prices: dict[Symbol, Decimal],
    reference: Decimal,
) -> OrderRequest | None:
    """The order cut to what the exposure limits allow, when only those refused it and the
    cut order still meets the venue's minimums; else None (it stays refused)."""
    if decision.allowed or not risk.size_down:
        return None
    if any(v.limit not in SIZEABLE_LIMITS for v in decision.violations):
        return None
    allowed = risk.max_quantity(order, portfolio, prices)
    if allowed is None:
        return None
    quantity = rules.round_quantity(min(allowed, order.quantity), order.order_type)
    if quantity <= 0 or quantity >= order.quantity:
        return None
    cut = attrs.evolve(order, quantity=quantity)
    return cut if rules.check(cut, reference) is None else None
