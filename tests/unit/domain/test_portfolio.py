"""The portfolio ledger: fills with fees, average price, realized/unrealized PnL, equity, days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from peak_trade.domain.orders import Fill, OrderSide
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol

BTC_EUR = Symbol("BTC", "EUR")
ETH_EUR = Symbol("ETH", "EUR")
T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
D = Decimal


def fill(
    side: OrderSide,
    qty: str,
    price: str,
    *,
    fee: str = "0",
    fee_currency: str = "EUR",
    symbol: Symbol = BTC_EUR,
    at: datetime = T0,
) -> Fill:
    return Fill(
        order_id="O",
        trade_id="T",
        symbol=symbol,
        side=side,
        quantity=qty,
        price=price,
        fee=fee,
        fee_currency=fee_currency,
        time=at,
    )


def ledger(cash: str = "10000") -> Portfolio:
    return Portfolio(base_currency="EUR", cash=D(cash))


BUY, SELL = OrderSide.BUY, OrderSide.SELL


def test_new_portfolio_is_all_cash() -> None:
    p = ledger()
    assert (p.cash, p.equity, p.start_equity, p.peak_equity) == (D(10000),) * 4
    assert p.positions == {}
    assert p.open_positions == 0
    assert p.realized_pnl == p.unrealized_pnl == p.fees_paid == 0


def test_starting_cash_must_not_be_negative_or_float() -> None:
    with pytest.raises(ValueError, match="starting cash must be >= 0"):
        ledger("-0.01")
    with pytest.raises(TypeError, match="cash: float is not accepted"):
        Portfolio(base_currency="EUR", cash=1.0)  # type: ignore[arg-type]


def test_buy_with_quote_fee_reduces_cash_by_notional_and_fee() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "2", "100", fee="0.52"))
    assert p.cash == D("9799.48")
    assert p.quantity(BTC_EUR) == D(2)
    assert p.positions[BTC_EUR].average_price == D(100)
    assert p.fees_paid == D("0.52")
    assert p.equity == D("9999.48")


def test_fee_currency_empty_means_quote() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "1", "100", fee="1", fee_currency=""))
    assert p.cash == D(9899)


def test_buy_with_base_fee_reduces_the_position_not_the_cash() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "1", "100", fee="0.01", fee_currency="BTC"))
    assert p.cash == D(9900)
    assert p.quantity(BTC_EUR) == D("0.99")
    assert p.fees_paid == D(1)  # 0.01 BTC x 100 EUR
    assert p.equity == D(9999)


def test_sell_with_base_fee_gives_up_quantity_plus_fee() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "2", "100"))
    p.apply_fill(fill(SELL, "1", "100", fee="0.01", fee_currency="BTC"))
    assert p.quantity(BTC_EUR) == D("0.99")
    assert p.cash == D(9900)
    assert p.fees_paid == D(1)


def test_fee_in_a_foreign_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="fee currency 'USD' is neither BTC nor EUR"):
        ledger().apply_fill(fill(BUY, "1", "100", fee="1", fee_currency="USD"))


def test_adding_to_a_position_averages_the_entry_price() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "1", "100"))
    p.apply_fill(fill(BUY, "3", "120"))
    assert p.positions[BTC_EUR].average_price == D(115)


def test_partial_close_realizes_pnl_and_keeps_the_entry_price() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "2", "100"))
    p.apply_fill(fill(SELL, "1", "110"))
    assert p.realized_pnl == D(10)
    assert p.positions[BTC_EUR].quantity == D(1)
    assert p.positions[BTC_EUR].average_price == D(100)


def test_full_close_removes_the_position() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "1", "100"))
    p.apply_fill(fill(SELL, "1", "90", fee="0.5"))
    assert p.positions == {}
    assert p.realized_pnl == D(-10)
    assert p.cash == D("9989.5")
    assert p.equity == D("9989.5")


def test_flip_from_long_to_short_realizes_the_long_and_opens_at_the_fill_price() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "1", "100"))
    p.apply_fill(fill(SELL, "3", "110"))
    assert p.realized_pnl == D(10)
    position = p.positions[BTC_EUR]
    assert (position.quantity, position.average_price) == (D(-2), D(110))


def test_short_covered_lower_is_a_profit() -> None:
    p = ledger()
    p.apply_fill(fill(SELL, "1", "100"))
    assert p.cash == D(10100)
    p.apply_fill(fill(BUY, "1", "90"))
    assert p.realized_pnl == D(10)
    assert p.equity == D(10010)


def test_unrealized_pnl_follows_the_mark_for_longs_and_shorts() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "2", "100"))
    p.apply_fill(fill(SELL, "1", "50", symbol=ETH_EUR))
    p.mark(BTC_EUR, D(90), T0)
    p.mark(ETH_EUR, D(40), T0)
    assert p.unrealized_pnl == D(-20) + D(10)
    assert p.equity == p.cash + D(2) * D(90) - D(1) * D(40)


def test_mark_price_falls_back_to_entry_price_then_none() -> None:
    p = ledger()
    assert p.mark_price(BTC_EUR) is None
    assert p.exposure(BTC_EUR) == 0
    p.apply_fill(fill(BUY, "1", "100"))
    assert p.mark_price(BTC_EUR) == D(100)
    p.mark(BTC_EUR, D(105), T0)
    assert p.mark_price(BTC_EUR) == D(105)


def test_exposure_is_absolute_and_sums_over_symbols() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "2", "100"))
    p.apply_fill(fill(SELL, "3", "10", symbol=ETH_EUR))
    assert p.exposure(BTC_EUR) == D(200)
    assert p.exposure(ETH_EUR) == D(30)
    assert p.total_exposure == D(230)
    assert p.open_positions == 2


def test_mark_refuses_non_positive_prices_and_naive_time() -> None:
    p = ledger()
    with pytest.raises(ValueError, match="mark price must be > 0, got 0"):
        p.mark(BTC_EUR, D(0), T0)
    with pytest.raises(ValueError, match="tz-aware UTC"):
        p.mark(BTC_EUR, D(1), datetime(2026, 1, 1))


def test_peak_equity_and_drawdown() -> None:
    p = ledger("1000")
    p.apply_fill(fill(BUY, "10", "100"))
    p.mark(BTC_EUR, D(120), T0)  # equity 1200, new peak
    assert p.peak_equity == D(1200)
    assert p.drawdown_pct == 0
    p.mark(BTC_EUR, D(90), T0)  # equity 900
    assert p.drawdown_pct == D(25)
    p.mark(BTC_EUR, D(110), T0)  # equity 1100, recovered partly
    assert p.drawdown_pct == D(100) * D(100) / D(1200)
    assert p.max_drawdown_pct == D(25)


def test_marking_a_symbol_without_position_records_the_price_and_leaves_equity() -> None:
    p = ledger("1000")
    p.apply_fill(fill(BUY, "1", "100"))
    p.mark(BTC_EUR, D(50), T0)  # equity 950: drawdown 5 %
    p.mark(ETH_EUR, D(3000), T0)  # no ETH position: a price, nothing else

    assert p.mark_price(ETH_EUR) == D(3000)
    assert p.equity == D(950)
    assert (p.peak_equity, p.max_drawdown_pct) == (D(1000), D(5))
    p.apply_fill(fill(BUY, "1", "3000", symbol=ETH_EUR))
    p.mark(ETH_EUR, D(3100), T0)  # with a position the mark moves equity again
    assert p.equity == D(1050)


def test_daily_pnl_counts_from_the_start_of_the_utc_day() -> None:
    p = ledger("1000")
    p.apply_fill(fill(BUY, "1", "100", at=T0))
    p.mark(BTC_EUR, D(80), T0)
    assert p.daily_pnl == D(-20)
    next_day = datetime(2026, 1, 2, 0, 0, 1, tzinfo=UTC)
    p.mark(BTC_EUR, D(85), next_day)
    assert p.day_start_equity == D(980)  # equity at the last price before midnight
    assert p.daily_pnl == D(5)


def test_day_rollover_happens_exactly_at_utc_midnight() -> None:
    p = ledger("1000")
    p.apply_fill(fill(BUY, "1", "100", at=T0))
    last_second = datetime(2026, 1, 1, 23, 59, 59, 999999, tzinfo=UTC)
    p.mark(BTC_EUR, D(90), last_second)
    assert p.day_start_equity == D(1000)
    p.mark(BTC_EUR, D(90), last_second + timedelta(microseconds=1))
    assert p.day_start_equity == D(990)


def test_day_start_equity_at_a_day_the_ledger_has_not_seen() -> None:
    p = ledger("1000")
    p.apply_fill(fill(BUY, "1", "100", at=T0))
    p.mark(BTC_EUR, D(80), T0)
    assert p.day_start_equity_at(T0) == D(1000)
    assert p.day_start_equity_at(T0 + timedelta(days=1)) == D(980)


def test_fill_with_naive_time_cannot_exist() -> None:
    with pytest.raises(ValueError, match="tz-aware UTC"):
        fill(BUY, "1", "1", at=datetime(2026, 1, 1))


def test_equity_follows_every_change_after_it_was_read() -> None:
    p = ledger()
    p.apply_fill(fill(BUY, "1", "100"))
    assert p.equity == D(10000)
    p.mark(BTC_EUR, D(120), T0)
    assert p.equity == D(10020)
    p.cash = D(5000)  # assigned from outside: the cached figure must not survive it
    assert p.equity == D(5120)
    p.apply_fill(fill(SELL, "1", "120"))
    assert p.equity == D(5120)
    assert p.positions == {}
