"""Stateful test: InMemoryExchange (executing) against a simple model of orders and balances."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import attrs
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from tests.contract.market_data import BTC_EUR, START, synthetic_candles

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.in_memory import InMemoryExchange, InMemoryExchangeConfig
from peak_trade.domain.market import Candle
from peak_trade.domain.orders import (
    AckStatus,
    Fill,
    OrderRequest,
    OrderSide,
    OrderState,
    OrderType,
)
from peak_trade.domain.symbols import Timeframe

CANDLES = tuple(synthetic_candles(400))
START_BALANCES = {"EUR": Decimal("5000"), "BTC": Decimal("0.1")}
FEE_RATE = Decimal("0.002")
SLIPPAGE = Decimal("0.0005")  # 5 bps
TICK = Decimal("0.1")

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.06"), places=3)
sides = st.sampled_from(OrderSide)


@attrs.define
class Submitted:
    """What the model knows about one order it sent."""

    request: OrderRequest
    order_id: str | None
    submitted_at: datetime


def _candle_at(index: int) -> Candle:
    return CANDLES[min(index, len(CANDLES) - 1)]


class InMemoryVenueMachine(RuleBasedStateMachine):
    """Random orders, cancels and clock steps; the model checks money and lifecycle."""

    accepted = Bundle("accepted")

    def __init__(self) -> None:
        super().__init__()
        self.clock = SimulatedClock(START + timedelta(minutes=5))
        self.venue: InMemoryExchange | None = None
        self.sent: dict[str, Submitted] = {}
        self.terminal: dict[str, tuple[OrderState, tuple[Fill, ...]]] = {}
        self.seq = 0

    @initialize(fraction=st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("0.3")]))
    def open_venue(self, fraction: Decimal) -> None:
        config = InMemoryExchangeConfig(
            validate_only=False,
            fee_rate=FEE_RATE,
            slippage_bps=SLIPPAGE * 10_000,
            partial_fill_fraction=fraction,
            price_tick=TICK,
            lot_step=Decimal("0.001"),
            min_quantity=Decimal("0.001"),
            min_cost=Decimal("1"),
            balances=START_BALANCES,
        )
        self.venue = InMemoryExchange(
            config, self.clock, iter(CANDLES), symbol=BTC_EUR, timeframe=Timeframe.M1
        )

    @property
    def exchange(self) -> InMemoryExchange:
        assert self.venue is not None
        return self.venue

    def _submit(self, request: OrderRequest) -> str | None:
        ack = self.exchange.submit_order(request)
        assert ack.status in (AckStatus.ACCEPTED, AckStatus.REJECTED)
        event(f"{request.order_type.value} {ack.status.value} {ack.reason or ''}".strip())
        order_id = ack.order_id if ack.status is AckStatus.ACCEPTED else None
        self.sent[request.client_order_id] = Submitted(request, order_id, self.clock.now())
        return order_id

    def _next_client_id(self) -> str:
        self.seq += 1
        return f"prop-{self.seq}"

    @rule(target=accepted, side=sides, quantity=quantities)
    def submit_market(self, side: OrderSide, quantity: Decimal) -> str:
        request = OrderRequest(
            symbol=BTC_EUR, side=side, quantity=quantity, client_order_id=self._next_client_id()
        )
        return self._submit(request) or "NO-ORDER"

    @rule(target=accepted, side=sides, quantity=quantities, offset=st.integers(-30, 30))
    def submit_limit(self, side: OrderSide, quantity: Decimal, offset: int) -> str:
        price = self.exchange.ticker(BTC_EUR).last + offset
        request = OrderRequest(
            symbol=BTC_EUR,
            side=side,
            quantity=quantity,
            order_type=OrderType.LIMIT,
            limit_price=self.exchange.instrument(BTC_EUR).round_price(price, side),
            client_order_id=self._next_client_id(),
        )
        return self._submit(request) or "NO-ORDER"

    @rule(seconds=st.integers(min_value=1, max_value=400))
    def advance(self, seconds: int) -> None:
        self.clock.advance(seconds)

    @rule(order_id=accepted)
    def cancel(self, order_id: str) -> None:
        if order_id == "NO-ORDER":
            return
        before = self.exchange.order_status(BTC_EUR, order_id)
        after = self.exchange.cancel_order(BTC_EUR, order_id)
        if before.status.terminal:
            assert after == before
        else:
            assert after.status.terminal
        event(f"cancel of a {before.status.value} order")

    def _all_fills(self) -> list[Fill]:
        return [
            fill
            for sub in self.sent.values()
            if sub.order_id is not None
            for fill in self.exchange.fills(BTC_EUR, sub.order_id)
        ]

    @invariant()
    def balances_follow_the_fills(self) -> None:
        if self.venue is None:
            return
        expected = dict(START_BALANCES)
        for fill in self._all_fills():
            notional = fill.quantity * fill.price
            assert fill.fee == notional * FEE_RATE
            assert fill.fee_currency == "EUR"
            sign = fill.side.sign
            expected["BTC"] += sign * fill.quantity
            expected["EUR"] -= sign * notional + fill.fee
        balances = self.exchange.balances()
        assert balances == expected
        assert all(amount >= 0 for amount in balances.values())

    @invariant()
    def orders_never_overfill_and_terminal_orders_never_change(self) -> None:
        if self.venue is None:
            return
        for sub in self.sent.values():
            if sub.order_id is None:
                continue
            state = self.exchange.order_status(BTC_EUR, sub.order_id)
            fills = self.exchange.fills(BTC_EUR, sub.order_id)
            assert state.quantity == sub.request.quantity
            assert sum(f.quantity for f in fills) == state.filled_quantity <= state.quantity
            if sub.order_id in self.terminal:
                assert (state, fills) == self.terminal[sub.order_id]
            elif state.status.terminal:
                self.terminal[sub.order_id] = (state, fills)

    @invariant()
    def fills_happen_at_the_prices_the_rules_promise(self) -> None:
        if self.venue is None:
            return
        for sub in self.sent.values():
            if sub.order_id is None:
                continue
            request = sub.request
            for fill in self.exchange.fills(BTC_EUR, sub.order_id):
                index = (fill.time - START) // timedelta(minutes=1)
                if request.order_type is OrderType.MARKET:
                    open_price = _candle_at(index).open
                    assert fill.price == open_price * (1 + SLIPPAGE * request.side.sign)
                else:
                    bar = _candle_at(index - 1)  # the bar that closed at fill.time
                    assert fill.price == request.limit_price
                    assert bar.open_time >= sub.submitted_at
                    if request.side is OrderSide.BUY:
                        assert bar.low <= fill.price
                    else:
                        assert bar.high >= fill.price

    @invariant()
    def find_order_agrees_with_submissions(self) -> None:
        if self.venue is None:
            return
        for client_id, sub in self.sent.items():
            found = self.exchange.find_order(BTC_EUR, client_id)
            if sub.order_id is None:
                assert found is None
            else:
                assert found is not None
                assert found.order_id == sub.order_id
                assert found.client_order_id == client_id


InMemoryVenueMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_in_memory_venue_matches_the_model = InMemoryVenueMachine.TestCase
