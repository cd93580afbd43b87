"""The trading state machine through the real executor (Hypothesis): exits stay possible when
limits bind, and nothing that adds exposure goes out while REDUCING or HALTED.

Each example builds a position (long or short, entered at some price, marked near the spy
venue's prices so the day may be losing), exposure and loss limits that may bind, a trading
state reached through a random sequence of transitions, and one order of any side and size.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.unit.app.executor_rig import make_executor
from tests.unit.app.fakes import BTC_EUR, T0, MemoryRunLog, SpyExchange

from peak_trade.domain.orders import ExecutionStatus, Fill, OrderRequest, OrderSide, RejectReason
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.trading_state import TradingGate, TradingState, reduces_exposure

MARK = Decimal("50005")  # between the spy venue's bid (50000) and ask (50010)
LOSS_LIMITS = ("max_daily_loss_abs", "max_daily_loss_pct")
EXPOSURE_LIMITS = ("max_symbol_exposure_notional", "max_total_exposure_notional")

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.15"), places=4)
entry_prices = st.decimals(min_value=Decimal(30000), max_value=Decimal(80000), places=1)
small = st.one_of(st.none(), st.decimals(min_value=Decimal(1), max_value=Decimal(5000), places=0))
percent = st.one_of(
    st.none(), st.decimals(min_value=Decimal("0.1"), max_value=Decimal(20), places=1)
)


@st.composite
def limits(draw: st.DrawFn) -> LiveRiskLimits:
    """Exposure and loss limits only (each absent or small enough to bind), no rate limit."""
    return LiveRiskLimits(
        max_symbol_exposure_notional=draw(small),
        max_total_exposure_notional=draw(small),
        max_open_positions=draw(st.one_of(st.none(), st.just(1))),
        max_daily_loss_abs=draw(small),
        max_daily_loss_pct=draw(percent),
    )


@st.composite
def gates(draw: st.DrawFn) -> TradingGate:
    """A gate after a random sequence of transitions."""
    gate = TradingGate()
    for step in draw(st.lists(st.sampled_from(["reduce", "reduce_until", "halt", "lift"]))):
        if step == "reduce":
            gate.reduce("drawdown stop")
        elif step == "reduce_until":
            gate.reduce("daily loss", until=T0 + timedelta(days=1))
        elif step == "halt":
            gate.halt("operator stop")
        else:
            gate.lift_if_due(T0 + timedelta(days=2))
    return gate


def holding(side: OrderSide, quantity: Decimal, entry: Decimal) -> Portfolio:
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(10000))
    portfolio.apply_fill(
        Fill(
            order_id="o-0",
            trade_id="t-0",
            symbol=BTC_EUR,
            side=side,
            quantity=quantity,
            price=entry,
            fee=Decimal(0),
            fee_currency="EUR",
            time=T0,
        )
    )
    portfolio.mark(BTC_EUR, MARK, T0 + timedelta(minutes=1))
    return portfolio


@settings(deadline=None, max_examples=300)
@given(
    st.sampled_from([OrderSide.BUY, OrderSide.SELL]),
    quantities,
    entry_prices,
    limits(),
    gates(),
    st.sampled_from([OrderSide.BUY, OrderSide.SELL]),
    quantities,
)
def test_the_gate_lets_exits_out_and_keeps_new_exposure_in(
    held_side: OrderSide,
    held: Decimal,
    entry: Decimal,
    risk: LiveRiskLimits,
    gate: TradingGate,
    side: OrderSide,
    quantity: Decimal,
) -> None:
    portfolio = holding(held_side, held, entry)
    position = portfolio.quantity(BTC_EUR)
    exchange = SpyExchange()
    executor = make_executor(
        exchange, limits=risk, portfolio=portfolio, log=MemoryRunLog(), gate=gate
    )
    order = OrderRequest(symbol=BTC_EUR, side=side, quantity=quantity, client_order_id="c-1")
    reduces = reduces_exposure(position, order.signed_quantity)
    state = gate.state

    result = executor.execute(order, intent="close" if reduces else "open")

    event(f"{state.value}, {'reducing' if reduces else 'adding'}: {result.status.value}")
    if state is TradingState.HALTED:
        assert exchange.submitted == []  # nothing goes out
        assert result.reason is RejectReason.TRADING_HALTED
    elif state is TradingState.REDUCING and not reduces:
        assert exchange.submitted == []  # no new exposure
        assert result.status in (ExecutionStatus.REJECTED, ExecutionStatus.RISK_BLOCKED)
    elif reduces:  # ACTIVE or REDUCING: an exit is never refused by exposure or loss limits
        assert result.status is ExecutionStatus.VALIDATED, result.message
        assert exchange.submitted == [order]
    if result.status is ExecutionStatus.VALIDATED:
        after = portfolio.quantity(BTC_EUR)
        grew = abs(after) > abs(position) or (after != 0 and (after > 0) != (position > 0))
        assert state is TradingState.ACTIVE or not grew
