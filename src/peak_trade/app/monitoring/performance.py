"""Round trips and statistics of a run, computed by `peak_trade.domain.performance` from the
fills and the equity curve in the run log, and their JSON-ready form (full precision)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.app.monitoring.digest import RunDigest
from peak_trade.app.monitoring.numbers import as_decimal, epoch_seconds, from_epoch
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.performance import (
    PerformanceStatistics,
    RoundTrip,
    performance_statistics,
    round_trips,
)
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import isoformat_utc


@attrs.frozen(kw_only=True)
class RunPerformance:
    """The run's round trips (in the order they opened), statistics and what could not be used."""

    trips: tuple[RoundTrip, ...]
    statistics: PerformanceStatistics | None
    notes: tuple[str, ...] = ()

    def by_symbol(self, symbol: str) -> tuple[RoundTrip, ...]:
        return tuple(t for t in self.trips if str(t.symbol) == symbol)


def run_performance(digest: RunDigest) -> RunPerformance:
    """Trips from every readable fill (exit reasons from the closing orders' intents), and
    statistics over the run's session-clock span from start equity to the last event."""
    notes: list[str] = []
    fills, unreadable = digest.fills.domain_fills()
    if unreadable:
        notes.append(f"{unreadable} fill(s) could not be read and are left out of the trips")
    marks = _marks(digest)
    try:
        trips = round_trips(fills, exit_reasons=_exit_reasons(digest, fills), marks=marks)
    except ValueError as exc:
        notes.append(f"round trips could not be built: {exc}")
        trips = ()
    return RunPerformance(
        trips=trips, statistics=_statistics(digest, trips, notes), notes=tuple(notes)
    )


def _marks(digest: RunDigest) -> dict[Symbol, Decimal]:
    marks: dict[Symbol, Decimal] = {}
    for name, track in digest.symbols.items():
        price = as_decimal(track.mark_text)
        try:
            symbol = Symbol.parse(name)
        except ValueError:
            continue
        if price is not None and price > 0:
            marks[symbol] = price
    return marks


def _exit_reasons(digest: RunDigest, fills: list[Any]) -> dict[str, str]:
    reasons: dict[str, str] = {}
    for fill in fills:
        cid = digest.orders.client_id_of(fill.order_id)
        row = digest.orders.get(cid) if cid else None
        if row is None:
            continue
        reason = row.get("intent_reason") or row.get("intent")
        if isinstance(reason, str) and reason:
            reasons[fill.order_id] = reason
    return reasons


def _statistics(
    digest: RunDigest, trips: tuple[RoundTrip, ...], notes: list[str]
) -> PerformanceStatistics | None:
    first = digest.lives.items[0].started_at if digest.lives.items else None
    start_s = epoch_seconds(first or digest.first_ts)
    end_s = epoch_seconds(digest.last_ts)
    times = digest.equity.times
    if start_s is None or end_s is None:
        return None
    if times:
        start_s, end_s = min(start_s, times[0]), max(end_s, times[-1])
    start_equity = digest.start_equity
    if start_equity is None:
        if not digest.equity_exact:
            return None
        start_equity = digest.equity_exact[0]
    start, end = from_epoch(start_s), from_epoch(end_s)
    equity = [(from_epoch(t), v) for t, v in zip(times, digest.equity_exact, strict=True)]
    for trip in trips:  # trips carry microseconds; the curve is read to the second
        start = min(start, trip.entry_time)
        end = max(end, trip.exit_time or trip.entry_time)
    try:
        return performance_statistics(
            round_trips=trips, equity=equity, start_equity=start_equity, start=start, end=end
        )
    except (ValueError, ArithmeticError) as exc:
        notes.append(f"statistics could not be computed: {exc}")
        return None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _time(value: datetime | None) -> str | None:
    return None if value is None else isoformat_utc(value)


def trip_row(trip: RoundTrip) -> dict[str, Any]:
    """One round trip, JSON-ready (amounts as full-precision strings, times ISO UTC)."""
    duration = trip.duration
    return {
        "symbol": str(trip.symbol),
        "direction": trip.direction.value,
        "open": trip.is_open,
        "entry_time": _time(trip.entry_time),
        "exit_time": _time(trip.exit_time),
        "entry_price": _text(trip.entry_price),
        "exit_price": _text(trip.exit_price),
        "quantity": _text(trip.entered_quantity),
        "exited_quantity": _text(trip.exited_quantity),
        "open_quantity": _text(trip.open_quantity),
        "max_position": _text(trip.max_position),
        "gross_pnl": _text(trip.gross_pnl),
        "fees": _text(trip.fees),
        "net_pnl": _text(trip.net_pnl),
        "unrealized_pnl": _text(trip.unrealized_pnl),
        "pnl_pct": _text(trip.pnl_pct),
        "duration_seconds": None if duration is None else int(duration.total_seconds()),
        "exit_reason": trip.exit_reason,
        "fills": trip.fill_count,
        "simulated": trip.simulated,
    }


def statistics_dict(stats: PerformanceStatistics | None) -> dict[str, Any] | None:
    """The statistics, JSON-ready (percentages in percent, durations in seconds)."""
    if stats is None:
        return None
    trades = stats.trades
    duration = trades.average_duration
    return {
        "start": _time(stats.start),
        "end": _time(stats.end),
        "start_equity": _text(stats.start_equity),
        "end_equity": _text(stats.end_equity),
        "total_return": _text(stats.total_return),
        "total_return_pct": _text(stats.total_return_pct),
        "round_trips": trades.trip_count,
        "open_round_trips": trades.open_trip_count,
        "wins": trades.win_count,
        "losses": trades.loss_count,
        "win_rate_pct": _text(trades.win_rate_pct),
        "profit_factor": _text(trades.profit_factor),
        "net_pnl": _text(trades.net_pnl),
        "gross_profit": _text(trades.gross_profit),
        "gross_loss": _text(trades.gross_loss),
        "average_win": _text(trades.average_win),
        "average_loss": _text(trades.average_loss),
        "largest_win": _text(trades.largest_win),
        "largest_loss": _text(trades.largest_loss),
        "expectancy": _text(trades.expectancy),
        "average_trip_seconds": None if duration is None else int(duration.total_seconds()),
        "max_drawdown_pct": _text(stats.max_drawdown.pct),
        "max_drawdown": _text(stats.max_drawdown.amount),
        "sharpe_ratio": _text(stats.sharpe_ratio),
        "sortino_ratio": _text(stats.sortino_ratio),
        "ratio_period": stats.period.label,
        "periods": stats.period_count,
        "exposure_seconds": int(stats.exposure.time.total_seconds()),
        "exposure_pct": _text(stats.exposure.pct),
        "trades_per_day": _text(stats.trades_per_day),
    }


def symbol_figures(perf: RunPerformance, symbol: str) -> Mapping[str, Decimal | None]:
    """Realized and unrealized PnL, fees and open average price of one symbol from its trips."""
    trips = perf.by_symbol(symbol)
    realized = sum((t.gross_pnl for t in trips), Decimal(0))
    fees = sum((t.fees for t in trips), Decimal(0))
    open_trip = next((t for t in reversed(trips) if t.is_open), None)
    return {
        "realized_pnl": realized if trips else None,
        "fees_paid": fees if trips else None,
        "unrealized_pnl": (open_trip.unrealized_pnl if open_trip else Decimal(0))
        if trips
        else None,
        "average_price": open_trip.open_average_price if open_trip else None,
    }
