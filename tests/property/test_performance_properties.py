"""Round trips add up to the ledger; statistics take any valid run without raising."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Context, Decimal, localcontext

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.domain.orders import Fill, OrderSide
from peak_trade.domain.performance import (
    PerformanceStatistics,
    performance_statistics,
    round_trips,
)
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol, Timeframe

SYMBOLS = (Symbol("BTC", "EUR"), Symbol("ETH", "EUR"))
T0 = datetime(2026, 1, 1, tzinfo=UTC)
START_CASH = Decimal(1_000_000)
WIDE = Context(prec=60)  # sums of trip figures (60 digits) without rounding them again
# The ledger keeps its average price to 28 significant digits; its realized PnL (< 1e9 here)
# therefore drifts from exact arithmetic by far less than this, while any misbooked fill, fee
# or quantity moves the totals by at least 1e-6.
LEDGER_ROUNDING = Decimal("1e-15")

quantities = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(50), places=4)
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000), places=2)
quote_fees = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=4)
fee_fractions = st.decimals(min_value=Decimal(0), max_value=Decimal("0.5"), places=4)


@st.composite
def fill_sequences(draw: st.DrawFn) -> list[Fill]:
    fills, now = [], T0
    for number in range(draw(st.integers(min_value=0, max_value=25))):
        symbol = draw(st.sampled_from(SYMBOLS))
        quantity = draw(quantities)
        if draw(st.booleans()):  # Kraken fcib / Binance buys: the fee is kept in the base asset
            fee, currency = quantity * draw(fee_fractions), symbol.base
        else:
            fee, currency = draw(quote_fees), symbol.quote
        now += timedelta(minutes=draw(st.integers(min_value=0, max_value=36 * 60)))
        fills.append(
            Fill(
                order_id=f"O{number}",
                trade_id=f"T{number}",
                symbol=symbol,
                side=draw(st.sampled_from(list(OrderSide))),
                quantity=quantity,
                price=draw(prices),
                fee=fee,
                fee_currency=currency,
                time=now,
                simulated=draw(st.booleans()),
            )
        )
    return fills


def ledger(fills: Iterable[Fill]) -> Portfolio:
    portfolio = Portfolio(base_currency="EUR", cash=START_CASH)
    for fill in fills:
        portfolio.apply_fill(fill)
    return portfolio


def total(values: Iterable[Decimal]) -> Decimal:
    with localcontext(WIDE):
        return sum(values, Decimal(0))


def close_enough(left: Decimal, right: Decimal) -> bool:
    with localcontext(WIDE):
        return abs(left - right) <= LEDGER_ROUNDING


def flatten(portfolio: Portfolio, at: datetime) -> list[Fill]:
    """A quote-fee fill per open position that brings it back to zero."""
    return [
        Fill(
            order_id=f"flat-{symbol}",
            trade_id=f"flat-{symbol}",
            symbol=symbol,
            side=OrderSide.SELL if position.quantity > 0 else OrderSide.BUY,
            quantity=abs(position.quantity),
            price=Decimal(777),
            fee=Decimal("0.5"),
            fee_currency=symbol.quote,
            time=at,
        )
        for symbol, position in portfolio.positions.items()
    ]


@settings(deadline=None, max_examples=300)
@given(fill_sequences())
def test_closed_trips_net_pnl_is_the_ledger_s_once_every_position_is_flat(
    fills: list[Fill],
) -> None:
    closing = flatten(ledger(fills), T0 + timedelta(days=60))
    every = fills + closing
    portfolio = ledger(every)
    trips = round_trips(every)
    assert portfolio.positions == {}
    assert all(not trip.is_open for trip in trips)
    net = total(trip.net_pnl for trip in trips)
    assert close_enough(net, portfolio.realized_pnl - portfolio.fees_paid)
    assert close_enough(net, portfolio.equity - portfolio.start_equity)
    assert total(trip.fees for trip in trips) == portfolio.fees_paid  # exact


@settings(deadline=None, max_examples=300)
@given(fill_sequences(), prices)
def test_trips_split_the_ledger_s_realized_pnl_and_fees_exactly_once(
    fills: list[Fill], mark: Decimal
) -> None:
    portfolio = ledger(fills)
    trips = round_trips(fills, marks=dict.fromkeys(SYMBOLS, mark))
    closed = [trip for trip in trips if not trip.is_open]
    still_open = [trip for trip in trips if trip.is_open]
    assert close_enough(total(trip.gross_pnl for trip in trips), portfolio.realized_pnl)
    assert total(trip.fees for trip in trips) == portfolio.fees_paid
    assert close_enough(
        total(trip.net_pnl for trip in closed),
        portfolio.realized_pnl - portfolio.fees_paid - total(t.net_pnl for t in still_open),
    )
    for symbol in SYMBOLS:
        portfolio.mark(symbol, mark, T0 + timedelta(days=60))
    unrealized = total(trip.unrealized_pnl or Decimal(0) for trip in still_open)
    assert close_enough(unrealized, portfolio.unrealized_pnl)


@settings(deadline=None, max_examples=300)
@given(fill_sequences())
def test_every_fill_s_quantity_is_in_exactly_one_trip_or_split_across_a_flip(
    fills: list[Fill],
) -> None:
    trips = round_trips(fills)
    portfolio = Portfolio(base_currency="EUR", cash=START_CASH)
    moved = dict.fromkeys(SYMBOLS, Decimal(0))
    flips = 0
    for fill in fills:
        before = portfolio.quantity(fill.symbol)
        portfolio.apply_fill(fill)
        after = portfolio.quantity(fill.symbol)
        moved[fill.symbol] += abs(after - before)
        flips += before * after < 0
    assert sum(trip.fill_count for trip in trips) == len(fills) + flips
    for symbol in SYMBOLS:
        own = [trip for trip in trips if trip.symbol == symbol]
        assert sum(t.entered_quantity + t.exited_quantity for t in own) == moved[symbol]
        assert all(t.entered_quantity == t.exited_quantity for t in own if not t.is_open)
        assert all(not t.is_open for t in own[:-1])
        held = portfolio.quantity(symbol)
        last = own[-1] if own else None
        if held == 0:
            assert last is None or not last.is_open
        else:
            assert last is not None
            assert last.is_open
            assert last.open_quantity * last.direction.sign == held
            average = portfolio.positions[symbol].average_price
            assert last.open_average_price is not None
            assert close_enough(last.open_average_price, average)


def _no_floats(value: object) -> bool:
    if isinstance(value, dict):
        return all(_no_floats(item) for item in value.values())
    return not isinstance(value, float)


def figures(stats: PerformanceStatistics) -> list[Decimal | None]:
    trades = stats.trades
    return [
        stats.start_equity,
        stats.end_equity,
        stats.total_return,
        stats.total_return_pct,
        stats.periods_per_year,
        stats.sharpe_ratio,
        stats.sortino_ratio,
        stats.exposure.pct,
        stats.trades_per_day,
        stats.max_drawdown.amount,
        stats.max_drawdown.pct,
        trades.net_pnl,
        trades.gross_profit,
        trades.gross_loss,
        trades.win_rate_pct,
        trades.profit_factor,
        trades.average_win,
        trades.average_loss,
        trades.largest_win,
        trades.largest_loss,
        trades.expectancy,
    ]


@st.composite
def equity_curves(draw: st.DrawFn) -> tuple[datetime, list[tuple[datetime, Decimal]]]:
    """A run end and equity samples anywhere in [T0, end], negative equity included."""
    run_seconds = draw(st.integers(min_value=0, max_value=40 * 86400))
    offsets = st.integers(min_value=0, max_value=run_seconds)
    values = st.decimals(min_value=Decimal(-1000), max_value=Decimal(10_000_000), places=2)
    samples = draw(st.lists(st.tuples(offsets, values), max_size=40))
    return (
        T0 + timedelta(seconds=run_seconds),
        [(T0 + timedelta(seconds=offset), value) for offset, value in samples],
    )


@settings(deadline=None, max_examples=300)
@given(
    fill_sequences(),
    equity_curves(),
    st.decimals(min_value=Decimal(0), max_value=Decimal(1_000_000), places=2),
    st.sampled_from([None, Timeframe.M15, Timeframe.H1, Timeframe.H4, Timeframe.D1]),
)
def test_statistics_never_raise_on_a_valid_run_and_are_decimal(
    fills: list[Fill],
    curve: tuple[datetime, list[tuple[datetime, Decimal]]],
    start_equity: Decimal,
    period: Timeframe | None,
) -> None:
    end, equity = curve
    trips = round_trips(fills, marks=dict.fromkeys(SYMBOLS, Decimal(1)))
    stats = performance_statistics(
        round_trips=trips,
        equity=equity,
        start_equity=start_equity,
        start=T0,
        end=end,
        period=period,
    )
    assert _no_floats(attrs.asdict(stats, recurse=True))
    assert all(value is None or isinstance(value, Decimal) for value in figures(stats))
    assert stats.max_drawdown.amount >= 0
    assert stats.max_drawdown.pct >= 0
    assert timedelta(0) <= stats.exposure.time <= end - T0
    assert stats.exposure.pct is None or 0 <= stats.exposure.pct <= 100
    win_rate = stats.trades.win_rate_pct
    assert win_rate is None or 0 <= win_rate <= 100
    assert stats.trades.profit_factor is None or stats.trades.profit_factor >= 0
    assert (stats.period_count == 0) == (end == T0)
    assert stats.trades.trip_count + stats.trades.open_trip_count == len(trips)
