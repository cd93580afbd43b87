"""Payloads of the executor's run-log events: risk_decision, order_intent, fills.

Enum members are written by `_value_` (their value, without the enum property's lookup: these
payloads are built for every order of a replay)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peak_trade.domain.environment import Venue
from peak_trade.domain.orders import Fill, OrderRequest
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import RiskDecision


def risk_payload(order: OrderRequest, decision: RiskDecision) -> dict[str, Any]:
    """A `risk_decision` event: the verdict, every violation and the metrics behind it."""
    return {
        "client_order_id": order.client_order_id,
        "symbol": str(order.symbol),
        "side": order.side._value_,
        "quantity": order.quantity,
        "allowed": decision.allowed,
        "reason": decision.reason,
        "violations": [
            {
                "limit": v.limit,
                "observed": v.observed,
                "limit_value": v.limit_value,
                "symbol": str(v.symbol) if v.symbol else None,
                "message": v.message,
            }
            for v in decision.violations
        ],
        "metrics": dict(decision.metrics),
    }


def intent_payload(order: OrderRequest, reference: Decimal, venue: Venue) -> dict[str, Any]:
    """An `order_intent` event: what is about to be sent, written (fsynced) before sending."""
    return {
        "client_order_id": order.client_order_id,
        "symbol": str(order.symbol),
        "side": order.side._value_,
        "order_type": order.order_type._value_,
        "quantity": order.quantity,
        "limit_price": order.limit_price,
        "reference_price": reference,
        "venue": venue.name,
        "validate_only": venue.validate_only,
    }


def submit_error_payload(order: OrderRequest, error: Exception) -> dict[str, Any]:
    """The final `order_result` of an order whose submit_order raised (outcome not known here)."""
    return {
        "client_order_id": order.client_order_id,
        "symbol": str(order.symbol),
        "status": "error",
        "reached_exchange": True,
        "final": True,
        "message": f"{type(error).__name__}: {error}",
    }


def fill_payload(fill: Fill, portfolio: Portfolio) -> dict[str, Any]:
    """A `fill` or `simulated_fill` event, with the ledger right after booking it.

    A fee the venue charged in a third asset (BNB) is booked as `fee` in `fee_currency` (the
    quote) and recorded as charged: `fee_asset`, `fee_amount` and `fee_rate` (quote per
    1 fee_asset; null when it could not be valued, the fee then booked as 0).
    """
    payload: dict[str, Any] = {
        "order_id": fill.order_id,
        "trade_id": fill.trade_id,
        "symbol": str(fill.symbol),
        "side": fill.side._value_,
        "quantity": fill.quantity,
        "price": fill.price,
        "fee": fill.fee,
        "fee_currency": fill.fee_currency,
        "fill_time": fill.time,
        "simulated": fill.simulated,
        "position_after": portfolio.quantity(fill.symbol),
        "cash_after": portfolio.cash,
        "equity_after": portfolio.equity,
    }
    charged = fill.charged
    if charged is not None:
        payload["fee_asset"] = charged.asset
        payload["fee_amount"] = charged.amount
        payload["fee_rate"] = charged.rate
    return payload
