"""Ledger invariants: equity is cash plus marked positions; round trips cost exactly the fees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.domain.orders import Fill, OrderSide
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol

SYMBOLS = (Symbol("BTC", "EUR"), Symbol("ETH", "EUR"))
T0 = datetime(2026, 1, 1, tzinfo=UTC)

quantities = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(50), places=4)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000), places=2)
fees = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=4)
cash = st.decimals(min_value=Decimal(0), max_value=Decimal(1_000_000), places=2)
Event = tuple[str, Symbol, OrderSide, Decimal, Decimal, Decimal, int]


@st.composite
def events(draw: st.DrawFn) -> Event:
    kind = draw(st.sampled_from(["fill", "fill", "mark"]))
    return (
        kind,
        draw(st.sampled_from(SYMBOLS)),
        draw(st.sampled_from(list(OrderSide))),
        draw(quantities),
        draw(prices),
        draw(fees),
        draw(st.integers(min_value=0, max_value=36)),  # hours after the previous event
    )


def make_fill(
    symbol: Symbol, side: OrderSide, qty: Decimal, price: Decimal, fee: Decimal, at: datetime
) -> Fill:
    return Fill(
        order_id="O",
        trade_id="T",
        symbol=symbol,
        side=side,
        quantity=qty,
        price=price,
        fee=fee,
        fee_currency=symbol.quote,
        time=at,
    )


def replay(
    start_cash: Decimal,
    history: list[Event],
) -> tuple[Portfolio, datetime]:
    portfolio = Portfolio(base_currency="EUR", cash=start_cash)
    now = T0
    for kind, symbol, side, qty, price, fee, hours in history:
        now += timedelta(hours=hours)
        if kind == "fill":
            portfolio.apply_fill(make_fill(symbol, side, qty, price, fee, now))
        else:
            portfolio.mark(symbol, price, now)
    return portfolio, now


def marked_value(portfolio: Portfolio) -> Decimal:
    total = Decimal(0)
    for symbol, position in portfolio.positions.items():
        mark = portfolio.mark_price(symbol)
        assert mark is not None
        total += position.quantity * mark
    return total


@settings(deadline=None)
@given(cash, st.lists(events(), max_size=25))
def test_equity_is_cash_plus_marked_positions(start: Decimal, history: list[Event]) -> None:
    portfolio, _ = replay(start, history)
    assert portfolio.equity == portfolio.cash + marked_value(portfolio)
    assert portfolio.peak_equity >= portfolio.equity
    assert portfolio.peak_equity >= portfolio.start_equity
    assert portfolio.max_drawdown_pct >= portfolio.drawdown_pct >= 0
    assert portfolio.daily_pnl == portfolio.equity - portfolio.day_start_equity


@settings(deadline=None)
@given(
    cash, st.lists(events(), max_size=10), st.sampled_from(SYMBOLS), quantities, prices, fees, fees
)
def test_buy_then_sell_at_the_same_price_loses_exactly_the_fees(
    start: Decimal,
    history: list[Event],
    symbol: Symbol,
    qty: Decimal,
    price: Decimal,
    buy_fee: Decimal,
    sell_fee: Decimal,
) -> None:
    portfolio, now = replay(start, history)
    equity, cash_before, quantity = portfolio.equity, portfolio.cash, portfolio.quantity(symbol)
    fees_before = portfolio.fees_paid
    portfolio.apply_fill(make_fill(symbol, OrderSide.BUY, qty, price, buy_fee, now))
    portfolio.apply_fill(make_fill(symbol, OrderSide.SELL, qty, price, sell_fee, now))
    assert portfolio.equity == equity - buy_fee - sell_fee
    assert portfolio.cash == cash_before - buy_fee - sell_fee
    assert portfolio.quantity(symbol) == quantity
    assert portfolio.fees_paid == fees_before + buy_fee + sell_fee


@settings(deadline=None)
@given(st.sampled_from(list(OrderSide)), quantities, prices, prices, fees, fees)
def test_realized_pnl_of_a_round_trip_is_price_difference_times_quantity(
    first: OrderSide,
    qty: Decimal,
    entry: Decimal,
    exit_: Decimal,
    fee_in: Decimal,
    fee_out: Decimal,
) -> None:
    portfolio = Portfolio(base_currency="EUR", cash=Decimal(1000))
    portfolio.apply_fill(make_fill(SYMBOLS[0], first, qty, entry, fee_in, T0))
    portfolio.apply_fill(make_fill(SYMBOLS[0], first.opposite, qty, exit_, fee_out, T0))
    direction = first.sign
    assert portfolio.realized_pnl == (exit_ - entry) * qty * direction
    assert portfolio.positions == {}
    assert portfolio.equity == Decimal(1000) + portfolio.realized_pnl - fee_in - fee_out


def reference_max_drawdown(start: Decimal, portfolio_after: list[Decimal]) -> Decimal:
    """The deepest drawdown from the running peak over every equity the ledger showed, worked
    out at each of them (the ledger skips the equities that cannot deepen it)."""
    peak, deepest = start, Decimal(0)
    for equity in portfolio_after:
        if equity > peak:
            peak = equity
        drawdown = Decimal(0) if peak <= 0 else max(Decimal(0), (peak - equity) / peak * 100)
        deepest = max(deepest, drawdown)
    return deepest


swings = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1_000), places=2)


@settings(deadline=None)
@given(cash, st.lists(events(), max_size=25), st.lists(swings, max_size=60))
def test_max_drawdown_is_the_deepest_drawdown_from_the_running_peak(
    start: Decimal, history: list[Event], marks: list[Decimal]
) -> None:
    portfolio = Portfolio(base_currency="EUR", cash=start)
    now, seen = T0, []
    steps = [
        *history,
        *(("mark", SYMBOLS[0], OrderSide.BUY, Decimal(0), p, Decimal(0), 0) for p in marks),
    ]
    for kind, symbol, side, qty, price, fee, hours in steps:
        now += timedelta(hours=hours)
        if kind == "fill":
            portfolio.apply_fill(make_fill(symbol, side, qty, price, fee, now))
        else:
            portfolio.mark(symbol, price, now)
        seen.append(portfolio.equity)
    expected = reference_max_drawdown(start, seen)
    assert portfolio.max_drawdown_pct == expected
    assert str(portfolio.max_drawdown_pct) == str(expected)
