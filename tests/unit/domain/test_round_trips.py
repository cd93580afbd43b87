"""Round trips from fills: long, short, scaling, partial exits, flips, fees, open trips."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from peak_trade.domain.orders import Fill, OrderSide
from peak_trade.domain.performance import RoundTrip, TripDirection, round_trips
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol("BTC", "EUR")
ETH_EUR = Symbol("ETH", "EUR")
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
BUY, SELL = OrderSide.BUY, OrderSide.SELL
D = Decimal


def fill(
    side: OrderSide,
    qty: str,
    price: str,
    *,
    hours: int = 0,
    fee: str = "0",
    fee_currency: str = "EUR",
    order: str = "O",
    symbol: Symbol = BTC_EUR,
    simulated: bool = False,
) -> Fill:
    return Fill(
        order_id=order,
        trade_id=f"T-{order}-{hours}",
        symbol=symbol,
        side=side,
        quantity=qty,
        price=price,
        fee=fee,
        fee_currency=fee_currency,
        time=T0 + timedelta(hours=hours),
        simulated=simulated,
    )


def only(trips: Sequence[RoundTrip]) -> RoundTrip:
    assert len(trips) == 1
    return trips[0]


def ledger_after(fills: Sequence[Fill]) -> Portfolio:
    portfolio = Portfolio(base_currency="EUR", cash=D(100_000))
    for one in fills:
        portfolio.apply_fill(one)
    return portfolio


def test_long_trip_with_quote_fees_is_hand_computed() -> None:
    fills = [
        fill(BUY, "2", "100", fee="0.4", order="in"),
        fill(SELL, "2", "110", fee="0.44", hours=3, order="out"),
    ]
    trip = only(round_trips(fills, exit_reasons={"out": "signal"}))
    assert trip.direction is TripDirection.LONG
    assert (trip.entry_time, trip.exit_time, trip.duration) == (
        T0,
        T0 + timedelta(hours=3),
        timedelta(hours=3),
    )
    assert (trip.entry_price, trip.exit_price) == (D(100), D(110))
    assert (trip.entered_quantity, trip.exited_quantity, trip.max_position) == (D(2), D(2), D(2))
    assert (trip.open_quantity, trip.open_average_price) == (D(0), None)
    assert (trip.gross_pnl, trip.fees, trip.net_pnl) == (D(20), D("0.84"), D("19.16"))
    assert trip.pnl_pct == D("9.58")  # 19.16 / 200 x 100
    assert trip.unrealized_pnl == 0
    assert (trip.exit_reason, trip.fill_count, trip.simulated, trip.is_open) == (
        "signal",
        2,
        False,
        False,
    )


def test_short_trip_covered_lower_is_a_profit() -> None:
    fills = [
        fill(SELL, "1", "200", fee="0.2"),
        fill(BUY, "1", "180", fee="0.18", hours=1),
    ]
    trip = only(round_trips(fills))
    assert trip.direction is TripDirection.SHORT
    assert (trip.entry_price, trip.exit_price) == (D(200), D(180))
    assert (trip.gross_pnl, trip.fees, trip.net_pnl) == (D(20), D("0.38"), D("19.62"))
    assert trip.pnl_pct == D("9.81")


def test_scaling_in_averages_the_entry_price_by_quantity() -> None:
    fills = [
        fill(BUY, "1", "100"),
        fill(BUY, "3", "120", hours=1),
        fill(SELL, "4", "130", hours=2),
    ]
    trip = only(round_trips(fills))
    assert trip.entry_price == D(115)  # (100 + 360) / 4
    assert (trip.entered_quantity, trip.max_position, trip.fill_count) == (D(4), D(4), 3)
    assert trip.gross_pnl == D(60) == ledger_after(fills).realized_pnl


def test_partial_exit_keeps_the_trip_open_and_realizes_part_of_the_pnl() -> None:
    opened = [fill(BUY, "4", "100"), fill(SELL, "1", "110", hours=1)]
    trip = only(round_trips(opened))
    assert trip.is_open
    assert (trip.open_quantity, trip.open_average_price) == (D(3), D(100))
    assert (trip.exited_quantity, trip.exit_price, trip.max_position) == (D(1), D(110), D(4))
    assert trip.gross_pnl == D(10)

    closed = only(round_trips([*opened, fill(SELL, "3", "90", hours=2)]))
    assert closed.exit_time == T0 + timedelta(hours=2)
    assert closed.exit_price == D(95)  # (110 + 270) / 4
    assert closed.gross_pnl == D(-20)  # 10 on the first exit, -30 on the second


def test_adding_after_a_partial_exit_averages_like_the_ledger() -> None:
    fills = [
        fill(BUY, "1", "100"),
        fill(SELL, "0.5", "110", hours=1),
        fill(BUY, "0.5", "120", hours=2),
    ]
    trip = only(round_trips(fills))
    position = ledger_after(fills).positions[BTC_EUR]
    assert trip.open_average_price == position.average_price == D(110)
    # every entry, weighted by quantity: (100 + 0.5 x 120) / 1.5
    assert abs(trip.entry_price - D("106." + "6" * 50)) < D("1e-45")
    assert trip.max_position == D(1)

    every = [*fills, fill(SELL, "1", "130", hours=3)]
    closed = only(round_trips(every))
    assert closed.gross_pnl == D(25) == ledger_after(every).realized_pnl  # 5 + 20


def test_flip_closes_the_trip_and_opens_the_rest_with_a_pro_rata_fee() -> None:
    fills = [
        fill(BUY, "1", "100", fee="1", order="a"),
        fill(SELL, "3", "110", fee="3", hours=1, order="flip"),
        fill(BUY, "2", "105", hours=2, order="cover"),
    ]
    long, short = round_trips(fills, exit_reasons={"flip": "signal", "cover": "end_of_run"})
    assert (long.direction, short.direction) == (TripDirection.LONG, TripDirection.SHORT)
    assert long.exit_time == short.entry_time == T0 + timedelta(hours=1)
    assert (long.gross_pnl, long.fees, long.net_pnl, long.exit_reason) == (
        D(10),
        D(2),
        D(8),
        "signal",
    )
    assert (short.entry_price, short.entered_quantity) == (D(110), D(2))
    assert (short.gross_pnl, short.fees, short.net_pnl, short.exit_reason) == (
        D(10),
        D(2),
        D(8),
        "end_of_run",
    )
    assert (long.fill_count, short.fill_count) == (2, 2)


def test_binance_buy_with_the_fee_in_base_enters_the_net_quantity() -> None:
    fills = [
        fill(BUY, "1", "100", fee="0.001", fee_currency="BTC"),
        fill(SELL, "0.999", "110", fee="0.10989", hours=1),
    ]
    trip = only(round_trips(fills))
    assert not trip.is_open
    assert (trip.entered_quantity, trip.exited_quantity) == (D("0.999"), D("0.999"))
    assert trip.fees == D("0.20989")  # 0.001 BTC at 100 + 0.10989 EUR
    assert (trip.gross_pnl, trip.net_pnl) == (D("9.99"), D("9.78011"))
    ledger = ledger_after(fills)
    assert trip.net_pnl == ledger.realized_pnl - ledger.fees_paid == ledger.equity - D(100_000)


def test_kraken_fcib_fees_in_base_on_both_sides_close_the_trip_like_the_ledger() -> None:
    fills = [
        fill(BUY, "1", "100", fee="0.002", fee_currency="BTC"),
        fill(SELL, "0.996", "110", fee="0.002", fee_currency="BTC", hours=1),
    ]
    trip = only(round_trips(fills))
    assert (trip.entered_quantity, trip.exit_time) == (D("0.998"), T0 + timedelta(hours=1))
    assert (trip.gross_pnl, trip.fees, trip.net_pnl) == (D("9.98"), D("0.42"), D("9.56"))
    ledger = ledger_after(fills)
    assert ledger.positions == {}
    assert (ledger.realized_pnl, ledger.fees_paid) == (trip.gross_pnl, trip.fees)


def test_selling_the_whole_long_with_a_base_fee_leaves_a_dust_short_as_the_ledger_does() -> None:
    fills = [fill(BUY, "1", "100"), fill(SELL, "1", "110", fee="0.001", fee_currency="BTC")]
    long, dust = round_trips(fills)
    assert not long.is_open
    assert long.gross_pnl == D(10)
    assert dust.is_open
    assert dust.direction is TripDirection.SHORT
    assert dust.open_quantity == D("0.001") == -ledger_after(fills).quantity(BTC_EUR)
    assert long.fees + dust.fees == D("0.11")  # split 1 : 0.001, nothing lost or added
    assert abs(long.fees - D("0." + "109890" * 8)) < D("1e-40")  # 0.11 x 1 / 1.001


def test_open_trip_without_a_mark_has_no_unrealized_pnl() -> None:
    trip = only(round_trips([fill(BUY, "2", "100", fee="0.2")]))
    assert trip.is_open
    assert (trip.exit_time, trip.exit_price, trip.duration, trip.exit_reason) == (
        None,
        None,
        None,
        None,
    )
    assert (trip.unrealized_pnl, trip.pnl_pct) == (None, None)
    assert (trip.gross_pnl, trip.net_pnl) == (D(0), D("-0.2"))


def test_open_trip_with_a_mark_values_the_open_quantity() -> None:
    long = only(round_trips([fill(BUY, "2", "100", fee="0.2")], marks={BTC_EUR: D(105)}))
    assert long.unrealized_pnl == D(10)
    assert long.pnl_pct == D("4.9")  # (-0.2 + 10) / 200 x 100
    short = only(round_trips([fill(SELL, "2", "100")], marks={BTC_EUR: D(105)}))
    assert short.unrealized_pnl == D(-10)


def test_exit_reason_is_the_closing_order_s_reason_only() -> None:
    fills = [
        fill(BUY, "2", "100", order="open"),
        fill(SELL, "1", "100", hours=1, order="trim"),
        fill(SELL, "1", "100", hours=2, order="halt"),
        fill(BUY, "1", "100", hours=3, order="again"),
        fill(SELL, "1", "100", hours=4, order="unknown"),
    ]
    reasons = {"trim": "signal", "halt": "flatten_on_halt"}
    first, second = round_trips(fills, exit_reasons=reasons)
    assert (first.exit_reason, second.exit_reason) == ("flatten_on_halt", None)


def test_any_simulated_fill_marks_the_trip_simulated() -> None:
    fills = [fill(BUY, "1", "100"), fill(SELL, "1", "100", hours=1, simulated=True)]
    assert only(round_trips(fills)).simulated


def test_symbols_are_separate_trips_ordered_by_entry_whatever_the_input_order() -> None:
    fills = [
        fill(SELL, "1", "110", hours=5),
        fill(BUY, "10", "20", hours=2, symbol=ETH_EUR),
        fill(BUY, "1", "100", hours=1),
        fill(SELL, "10", "25", hours=3, symbol=ETH_EUR),
    ]
    btc, eth = round_trips(fills)
    assert (btc.symbol, btc.gross_pnl, btc.duration) == (BTC_EUR, D(10), timedelta(hours=4))
    assert (eth.symbol, eth.gross_pnl, eth.duration) == (ETH_EUR, D(50), timedelta(hours=1))


def test_no_fills_make_no_trips() -> None:
    assert round_trips([]) == ()


def test_fill_that_changes_no_position_on_a_flat_symbol_is_refused() -> None:
    swallowed = fill(BUY, "0.001", "100", fee="0.001", fee_currency="BTC")
    with pytest.raises(ValueError, match="changes no position"):
        round_trips([swallowed])
