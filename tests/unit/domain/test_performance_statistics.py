"""Performance statistics on hand-computed equity curves and trips."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Context, Decimal

import pytest

from peak_trade.domain.orders import Fill, OrderSide
from peak_trade.domain.performance import (
    PerformanceStatistics,
    RoundTrip,
    performance_statistics,
    round_trips,
)
from peak_trade.domain.performance.periods import period_ends
from peak_trade.domain.symbols import Symbol, Timeframe

BTC_EUR = Symbol("BTC", "EUR")
ETH_EUR = Symbol("ETH", "EUR")
DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
D = Decimal
WIDE = Context(prec=60)


def at(hours: float) -> datetime:
    return DAY0 + timedelta(hours=hours)


def trip(
    entry_hour: float, exit_hour: float | None, exit_price: str, symbol: Symbol = BTC_EUR
) -> list[Fill]:
    """Fills of a one-unit long bought at 100 (and sold at exit_price unless open)."""

    def one(side: OrderSide, price: str, hour: float) -> Fill:
        return Fill(
            order_id=f"{symbol}-{hour}",
            trade_id=f"{symbol}-{hour}",
            symbol=symbol,
            side=side,
            quantity="1",
            price=price,
            fee="0",
            fee_currency="EUR",
            time=at(hour),
        )

    fills = [one(OrderSide.BUY, "100", entry_hour)]
    if exit_hour is not None:
        fills.append(one(OrderSide.SELL, exit_price, exit_hour))
    return fills


def stats(
    *,
    trips: Sequence[RoundTrip] = (),
    equity: Sequence[tuple[datetime, Decimal]] = (),
    start_equity: str = "100",
    start: datetime = DAY0,
    end: datetime = DAY0 + timedelta(days=3),
    period: Timeframe | None = None,
) -> PerformanceStatistics:
    return performance_statistics(
        round_trips=trips,
        equity=equity,
        start_equity=D(start_equity),
        start=start,
        end=end,
        period=period,
    )


DAILY_CURVE = [(at(24), D(110)), (at(48), D(99)), (at(72), D("108.9"))]  # +10 %, -10 %, +10 %


def test_sharpe_of_daily_returns_is_known_to_forty_digits() -> None:
    result = stats(equity=DAILY_CURVE, period=Timeframe.D1)
    assert (result.period, result.periods_per_year, result.period_count) == (
        Timeframe.D1,
        D(365),
        3,
    )
    # mean 1/30, sample deviation sqrt(2/150): (1/30) / sqrt(2/150) x sqrt(365) = sqrt(1095) / 6
    assert result.sharpe_ratio is not None
    assert abs(result.sharpe_ratio - D("5.515130702591432389802760688495362335425")) < D("1e-39")
    assert abs(result.sharpe_ratio - WIDE.divide(D(1095).sqrt(WIDE), 6)) < D("1e-50")


def test_sortino_uses_the_downside_deviation_over_all_periods() -> None:
    result = stats(equity=DAILY_CURVE, period=Timeframe.D1)
    # downside deviation sqrt(0.01 / 3): (1/30) / sqrt(1/300) x sqrt(365) = sqrt(1095) / 3
    assert result.sortino_ratio is not None
    assert abs(result.sortino_ratio - D("11.03026140518286477960552137699072467085")) < D("1e-38")


def test_total_return_is_the_last_equity_against_the_start() -> None:
    result = stats(equity=DAILY_CURVE, period=Timeframe.D1)
    assert (result.end_equity, result.total_return, result.total_return_pct) == (
        D("108.9"),
        D("8.9"),
        D("8.9"),
    )


def test_total_return_pct_is_none_without_starting_equity() -> None:
    result = stats(start_equity="0", equity=[(at(1), D(5))])
    assert (result.total_return, result.total_return_pct) == (D(5), None)


def test_max_drawdown_maximises_amount_and_percent_separately() -> None:
    curve = [(at(1), D(50)), (at(2), D(1000)), (at(3), D(900)), (at(4), D(950))]
    result = stats(equity=curve)
    assert (result.max_drawdown.amount, result.max_drawdown.pct) == (D(100), D(50))


def test_equity_samples_in_any_order_are_read_in_time_order() -> None:
    shuffled = [(at(3), D(900)), (at(1), D(50)), (at(2), D(1000))]
    result = stats(equity=shuffled)
    assert (result.max_drawdown.amount, result.end_equity) == (D(100), D(900))


def test_profit_factor_win_rate_and_averages_of_closed_trips() -> None:
    fills = [*trip(1, 2, "130"), *trip(3, 4, "110"), *trip(5, 6, "80")]
    trades = stats(trips=round_trips(fills)).trades
    assert (trades.trip_count, trades.win_count, trades.loss_count) == (3, 2, 1)
    assert (trades.gross_profit, trades.gross_loss, trades.net_pnl) == (D(40), D(-20), D(20))
    assert trades.profit_factor == D(2)
    assert trades.win_rate_pct is not None
    assert abs(trades.win_rate_pct - D("66." + "6" * 50)) < D("1e-50")
    assert (trades.average_win, trades.average_loss) == (D(20), D(-20))
    assert (trades.largest_win, trades.largest_loss) == (D(30), D(-20))
    assert trades.expectancy is not None
    assert abs(trades.expectancy - D("6." + "6" * 50)) < D("1e-50")
    assert trades.average_duration == timedelta(hours=1)


def test_profit_factor_without_losses_is_none() -> None:
    trades = stats(trips=round_trips([*trip(1, 2, "130"), *trip(3, 4, "100")])).trades
    assert (trades.win_count, trades.loss_count, trades.profit_factor) == (1, 0, None)
    assert trades.win_rate_pct == D(50)  # the break-even trip is no win
    assert trades.average_loss is None
    assert trades.largest_loss is None


def test_no_trips_give_no_rates_and_no_averages() -> None:
    trades = stats().trades
    assert (trades.trip_count, trades.net_pnl) == (0, D(0))
    assert trades.win_rate_pct is None
    assert trades.profit_factor is trades.expectancy is None
    assert trades.average_duration is None


def test_open_trips_are_counted_but_not_scored() -> None:
    trades = stats(trips=round_trips(trip(1, None, ""))).trades
    assert (trades.trip_count, trades.open_trip_count, trades.win_rate_pct) == (0, 1, None)


def test_exposure_merges_overlapping_trips_across_symbols() -> None:
    fills = [
        *trip(10, 14, "100"),
        *trip(12, 16, "100", symbol=ETH_EUR),
        *trip(18, None, ""),  # still open: exposed until the end
    ]
    result = stats(trips=round_trips(fills), start=at(8), end=at(20))
    assert result.exposure.time == timedelta(hours=8)  # 10-16 and 18-20
    assert result.exposure.pct is not None
    assert abs(result.exposure.pct - D("66." + "6" * 50)) < D("1e-50")
    assert result.trades_per_day == D(6)  # 3 trips in half a day


def test_exposure_clips_trips_to_the_run() -> None:
    result = stats(trips=round_trips(trip(1, 30, "100")), start=at(2), end=at(4))
    assert (result.exposure.time, result.exposure.pct) == (timedelta(hours=2), D(100))


def test_runs_shorter_than_a_week_use_hourly_returns() -> None:
    result = stats(end=DAY0 + timedelta(days=6, hours=23))
    assert (result.period, result.periods_per_year, result.period_count) == (
        Timeframe.H1,
        D(8760),
        167,
    )
    week = stats(end=DAY0 + timedelta(days=7))
    assert (week.period, week.periods_per_year, week.period_count) == (Timeframe.D1, D(365), 7)


def test_periods_end_on_epoch_aligned_boundaries_and_the_run_edges() -> None:
    ends = period_ends(at(0.5), at(3.25), Timeframe.H1)
    assert ends == (at(0.5), at(1), at(2), at(3), at(3.25))


def test_equity_at_a_period_end_is_the_last_sample_before_it() -> None:
    curve = [(at(0.5), D(120)), (at(0.9), D(110)), (at(2.5), D(121))]
    result = stats(equity=curve, end=at(3))
    # hourly ends 0, 1, 2, 3 -> 100, 110, 110, 121: returns +10 %, 0 %, +10 %
    assert result.period_count == 3
    assert result.sortino_ratio is None  # no losing period
    assert result.sharpe_ratio is not None
    expected = WIDE.divide(
        WIDE.multiply(WIDE.sqrt(D(8760)), 2), WIDE.sqrt(D(3))
    )  # 2/sqrt(3) x sqrt(8760)
    assert abs(result.sharpe_ratio - expected) < D("1e-50")


def test_ratios_need_two_returns_and_some_deviation() -> None:
    one_period = stats(equity=[(at(1), D(110))], end=at(1))
    assert one_period.period_count == 1
    assert one_period.sharpe_ratio is one_period.sortino_ratio is None
    flat = stats(equity=[(at(1), D(100))], end=at(5))
    assert flat.period_count == 5
    assert flat.sharpe_ratio is flat.sortino_ratio is None


def test_ratios_are_none_once_equity_is_not_positive() -> None:
    result = stats(equity=[(at(1), D(-5)), (at(2), D(10)), (at(3), D(5))], end=at(3))
    assert result.sharpe_ratio is result.sortino_ratio is None
    assert result.max_drawdown.amount == D(105)


def test_run_of_zero_length_has_no_rates() -> None:
    result = stats(end=DAY0)
    assert (result.period_count, result.exposure.pct, result.trades_per_day) == (0, None, None)


def test_equity_outside_the_run_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the run"):
        stats(equity=[(at(100), D(1))])


def test_float_equity_is_refused() -> None:
    with pytest.raises(TypeError, match="equity: float is not accepted"):
        stats(equity=[(at(1), 1.5)])  # type: ignore[list-item]


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before start"):
        stats(end=DAY0 - timedelta(seconds=1))
