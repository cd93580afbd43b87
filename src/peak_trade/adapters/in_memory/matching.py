"""MatchingEngine: the in-memory venue's orders, fills and balances (holds like a real venue)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO, floor_to_step, to_decimal
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle
from peak_trade.domain.orders import (
    AckStatus,
    Fill,
    OrderAck,
    OrderRequest,
    OrderSide,
    OrderState,
    OrderStatus,
    OrderType,
    RejectReason,
)
from peak_trade.ports.errors import OrderNotFoundError

from .config import InMemoryExchangeConfig

_BPS = Decimal(10_000)


@attrs.define
class _Working:
    state: OrderState
    submitted_at: datetime
    hold_per_unit: Decimal  # reserved per unit of remaining quantity (quote for buys, 1 base)
    hold: Decimal
    fills: list[Fill] = attrs.field(factory=list)
    cost: Decimal = ZERO  # sum of quantity x price over the fills


@attrs.define
class Wallet:
    """The venue account's balances and the funds held by working orders, for every market."""

    total: dict[str, Decimal]
    held: dict[str, Decimal] = attrs.field(factory=dict)

    @classmethod
    def from_config(cls, config: InMemoryExchangeConfig) -> Wallet:
        return cls(total={a: to_decimal(v, f"balances.{a}") for a, v in config.balances.items()})


class MatchingEngine:
    """Accepts orders, fills them against replayed prices and keeps balances with holds.

    Market orders fill at the current price +- slippage against the trader, in chunks of
    `partial_fill_fraction` of the quantity: one now, one per new candle open. Limit orders fill
    at their limit price, one chunk per later candle whose range crosses it. Fee = fee_rate x
    notional in the quote asset. Funds for working orders are held, so balances never go negative.
    """

    def __init__(
        self,
        config: InMemoryExchangeConfig,
        rules: InstrumentRules,
        wallet: Wallet | None = None,
        *,
        order_ids: Iterator[int] | None = None,
        trade_ids: Iterator[int] | None = None,
    ) -> None:
        self._rules = rules
        self._base = rules.symbol.base
        self._quote = rules.symbol.quote
        self._fee_rate = to_decimal(config.fee_rate, "fee_rate")
        self._slippage = to_decimal(config.slippage_bps, "slippage_bps") / _BPS
        self._fraction = to_decimal(config.partial_fill_fraction, "partial_fill_fraction")
        if not ZERO < self._fraction <= 1:
            raise ValueError(f"partial_fill_fraction must be in (0, 1], got {self._fraction}")
        wallet = wallet if wallet is not None else Wallet.from_config(config)
        for asset in (self._base, self._quote):
            wallet.total.setdefault(asset, ZERO)
            wallet.held.setdefault(asset, ZERO)
        self._balances = wallet.total  # shared with the venue's other markets
        self._held = wallet.held
        # ids are unique across the venue's markets when the venue shares these counters
        self._order_ids = order_ids if order_ids is not None else itertools.count(1)
        self._trade_ids = trade_ids if trade_ids is not None else itertools.count(1)
        self._orders: dict[str, _Working] = {}
        self._by_client: dict[str, str] = {}
        self._working_market: dict[str, _Working] = {}
        self._working_limit: dict[str, _Working] = {}
        self.watching = False  # FeedListener: True while a working order waits for candles

    def balances(self) -> dict[str, Decimal]:
        """Total balance per asset (held funds included, as venues report them)."""
        return dict(self._balances)

    def knows_client_id(self, client_order_id: str) -> bool:
        return client_order_id in self._by_client

    def accept(
        self, order: OrderRequest, now: datetime, price: Decimal | None, *, description: str = ""
    ) -> OrderAck:
        """Hold funds and book the order (ACCEPTED), or REJECTED for insufficient funds."""
        if order.order_type is OrderType.LIMIT:
            assert order.limit_price is not None
            unit_price: Decimal = order.limit_price
        else:
            assert price is not None, "market orders are checked for a reference price first"
            unit_price = self._slipped(price, order.side)
        if order.side is OrderSide.BUY:
            asset, per_unit = self._quote, unit_price * (1 + self._fee_rate)
        else:
            asset, per_unit = self._base, Decimal(1)
        need = order.quantity * per_unit
        if need > self._balances[asset] - self._held[asset]:
            return OrderAck(
                status=AckStatus.REJECTED,
                client_order_id=order.client_order_id,
                reason=RejectReason.INSUFFICIENT_FUNDS,
                message=f"insufficient {asset}: order needs {need}",
            )
        order_id = f"IM-{next(self._order_ids):06d}"
        state = OrderState(
            order_id=order_id,
            client_order_id=order.client_order_id,
            symbol=order.symbol,
            side=order.side,
            order_type=order.order_type,
            quantity=order.quantity,
            limit_price=order.limit_price,
            status=OrderStatus.OPEN,
            fee_currency=self._quote,
        )
        working = _Working(state=state, submitted_at=now, hold_per_unit=per_unit, hold=need)
        self._held[asset] += need
        self._orders[order_id] = working
        self._by_client[order.client_order_id] = order_id
        self.watching = True
        if order.order_type is OrderType.LIMIT:
            self._working_limit[order_id] = working
        else:
            self._working_market[order_id] = working
            self._fill(working, unit_price, now)
        return OrderAck(
            status=AckStatus.ACCEPTED,
            client_order_id=order.client_order_id,
            order_id=order_id,
            description=description,
        )

    def state(self, order_id: str) -> OrderState:
        return self._get(order_id).state

    def fills(self, order_id: str) -> tuple[Fill, ...]:
        return tuple(self._get(order_id).fills)

    def find(self, client_order_id: str) -> OrderState | None:
        order_id = self._by_client.get(client_order_id)
        return None if order_id is None else self._orders[order_id].state

    def cancel(self, order_id: str, reason: str = "cancelled by request") -> OrderState:
        """Cancel a working order and release its hold; a terminal order comes back unchanged."""
        working = self._get(order_id)
        if not working.state.status.terminal:
            self._release(working, working.hold)
            working.state = working.state.transition(OrderStatus.CANCELLED, reason=reason)
            self._retire(working)
        return working.state

    def on_open(self, candle: Candle) -> None:
        """A new price: working market orders fill their next chunk at the candle's open."""
        if not self._working_market:
            return
        for working in list(self._working_market.values()):
            self._fill(working, self._slipped(candle.open, working.state.side), candle.open_time)

    def on_close(self, candle: Candle, close_time: datetime) -> None:
        """A closed range: limit orders placed by its open fill a chunk if the range crossed."""
        if not self._working_limit:
            return
        for working in list(self._working_limit.values()):
            limit = working.state.limit_price
            assert limit is not None
            if working.submitted_at > candle.open_time:
                continue
            crossed = candle.low <= limit if working.state.side is OrderSide.BUY else (
                candle.high >= limit
            )  # fmt: skip
            if crossed:
                self._fill(working, limit, close_time)

    def _fill(self, working: _Working, price: Decimal, time: datetime) -> None:
        state = working.state
        remaining = state.remaining_quantity
        step = self._rules.lot_step
        chunk = min(remaining, max(step, floor_to_step(state.quantity * self._fraction, step)))
        notional = chunk * price
        fee = notional * self._fee_rate
        release = working.hold if chunk == remaining else chunk * working.hold_per_unit
        if state.side is OrderSide.BUY:
            spare = self._balances[self._quote] - self._held[self._quote] + release
            if notional + fee > spare:  # the price ran away from a market order's hold
                self.cancel(state.order_id, reason="insufficient funds for the remaining quantity")
                return
            self._balances[self._quote] -= notional + fee
            self._balances[self._base] += chunk
        else:
            self._balances[self._base] -= chunk
            self._balances[self._quote] += notional - fee
        self._release(working, release)
        working.fills.append(
            Fill(
                order_id=state.order_id,
                trade_id=f"IMT-{next(self._trade_ids):06d}",
                symbol=state.symbol,
                side=state.side,
                quantity=chunk,
                price=price,
                fee=fee,
                fee_currency=self._quote,
                time=time,
            )
        )
        working.cost += notional
        filled = state.filled_quantity + chunk
        status = OrderStatus.FILLED if filled == state.quantity else OrderStatus.PARTIALLY_FILLED
        working.state = state.transition(
            status, filled_quantity=filled, average_price=working.cost / filled, fee=state.fee + fee
        )
        if status is OrderStatus.FILLED:
            self._retire(working)

    def _slipped(self, price: Decimal, side: OrderSide) -> Decimal:
        return price * (1 + self._slippage * side.sign)

    def _release(self, working: _Working, amount: Decimal) -> None:
        asset = self._quote if working.state.side is OrderSide.BUY else self._base
        working.hold -= amount
        self._held[asset] -= amount

    def _retire(self, working: _Working) -> None:
        self._working_market.pop(working.state.order_id, None)
        self._working_limit.pop(working.state.order_id, None)
        self.watching = bool(self._working_market or self._working_limit)

    def _get(self, order_id: str) -> _Working:
        working = self._orders.get(order_id)
        if working is None:
            raise OrderNotFoundError(f"in-memory venue has no order {order_id!r}")
        return working
