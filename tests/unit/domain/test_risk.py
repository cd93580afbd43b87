"""LiveRiskLimits: each limit at and just over its boundary, portfolio-aware, fail closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import Fill, OrderRequest, OrderSide, OrderType
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits, RiskDecision
from peak_trade.domain.symbols import Symbol

BTC = Symbol("BTC", "EUR")
ETH = Symbol("ETH", "EUR")
SOL = Symbol("SOL", "EUR")
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
D = Decimal
BUY, SELL = OrderSide.BUY, OrderSide.SELL


def order(
    side: OrderSide, qty: str, symbol: Symbol = BTC, limit: str | None = None
) -> OrderRequest:
    return OrderRequest(
        symbol=symbol,
        side=side,
        quantity=qty,
        order_type=OrderType.LIMIT if limit else OrderType.MARKET,
        limit_price=limit,
        client_order_id="c1",
    )


def holding(*positions: tuple[Symbol, str, str], cash: str = "10000") -> Portfolio:
    """A ledger with signed positions (symbol, quantity, price) bought or sold without fees."""
    p = Portfolio(base_currency="EUR", cash=D(cash))
    for symbol, qty, price in positions:
        side = BUY if D(qty) > 0 else SELL
        p.apply_fill(
            Fill(
                order_id="O",
                trade_id="T",
                symbol=symbol,
                side=side,
                quantity=abs(D(qty)),
                price=price,
                fee="0",
                fee_currency="EUR",
                time=NOW,
            )
        )
    return p


def check(
    limits: LiveRiskLimits,
    orders: list[OrderRequest],
    portfolio: Portfolio | None = None,
    prices: dict[Symbol, Decimal] | None = None,
    recent: tuple[datetime, ...] = (),
    now: datetime = NOW,
) -> RiskDecision:
    if not limits.base_currency:  # the session resolves it from the symbols; here: EUR
        limits = attrs.evolve(limits, base_currency="EUR")
    return limits.check_orders(
        orders,
        portfolio if portfolio is not None else holding(),
        {BTC: D(100), ETH: D(10), SOL: D(1)} if prices is None else prices,
        now,
        recent,
    )


def only_violation(decision: RiskDecision) -> tuple[str, Decimal, Decimal, str]:
    assert not decision.allowed
    assert len(decision.violations) == 1, decision.violations
    v = decision.violations[0]
    return v.limit, v.observed, v.limit_value, v.message


# --- reference price ---------------------------------------------------------------------------


def test_order_without_reference_price_is_refused() -> None:
    decision = check(LiveRiskLimits(), [order(BUY, "1")], prices={})
    limit, _, _, message = only_violation(decision)
    assert limit == "reference_price"
    assert message == "BTC/EUR: no reference price, order refused"


def test_order_with_non_positive_reference_price_is_refused() -> None:
    decision = check(LiveRiskLimits(), [order(BUY, "1")], prices={BTC: D(0)})
    assert only_violation(decision)[0] == "reference_price"


def test_missing_price_is_refused_even_with_limits_disabled() -> None:
    decision = check(LiveRiskLimits(enabled=False), [order(BUY, "1")], prices={})
    assert only_violation(decision)[0] == "reference_price"


def test_limit_order_is_priced_at_its_limit() -> None:
    decision = check(
        LiveRiskLimits(max_order_notional=D(50)), [order(BUY, "1", limit="50")], prices={}
    )
    assert decision.allowed
    assert decision.metrics["order_notional:BTC/EUR"] == D(50)


# --- max_order_notional ------------------------------------------------------------------------


def test_order_notional_at_the_limit_is_allowed() -> None:
    assert check(LiveRiskLimits(max_order_notional=D(100)), [order(BUY, "1")]).allowed


def test_order_notional_one_cent_over_the_limit_is_refused() -> None:
    decision = check(
        LiveRiskLimits(max_order_notional=D(100)), [order(BUY, "1")], prices={BTC: D("100.01")}
    )
    assert only_violation(decision) == (
        "max_order_notional",
        D("100.01"),
        D(100),
        "BTC/EUR: max_order_notional breached: 100.01 EUR > 100 EUR",
    )
    assert decision.reason == "BTC/EUR: max_order_notional breached: 100.01 EUR > 100 EUR"


def test_order_notional_one_lot_over_the_limit_is_refused() -> None:
    limits = LiveRiskLimits(max_order_notional=D(100))
    assert not check(limits, [order(BUY, "1.00000001")]).allowed


# --- exposure after the orders -----------------------------------------------------------------


def test_symbol_exposure_counts_the_existing_position() -> None:
    limits = LiveRiskLimits(max_symbol_exposure_notional=D(200))
    portfolio = holding((BTC, "1", "100"))
    assert check(limits, [order(BUY, "1")], portfolio).allowed  # 1 + 1 at 100 = 200
    decision = check(limits, [order(BUY, "1.00000001")], portfolio)
    name, observed, limit, message = only_violation(decision)
    assert (name, observed, limit) == ("max_symbol_exposure_notional", D("200.000001"), D(200))
    assert message == "BTC/EUR: max_symbol_exposure_notional breached: 200.000001 EUR > 200 EUR"


def test_repeated_orders_cannot_walk_past_the_symbol_cap() -> None:
    limits = LiveRiskLimits(max_symbol_exposure_notional=D(250))
    portfolio = holding()
    for _ in range(2):
        assert check(limits, [order(BUY, "1")], portfolio).allowed
        portfolio.apply_fill(
            Fill(
                order_id="O",
                trade_id="T",
                symbol=BTC,
                side=BUY,
                quantity="1",
                price="100",
                fee="0",
                fee_currency="EUR",
                time=NOW,
            )
        )
    assert not check(limits, [order(BUY, "1")], portfolio).allowed


def test_exposure_uses_current_prices_not_entry_prices() -> None:
    limits = LiveRiskLimits(max_symbol_exposure_notional=D(300))
    portfolio = holding((BTC, "1", "100"))
    decision = check(limits, [order(BUY, "1")], portfolio, prices={BTC: D(151)})
    assert only_violation(decision)[1] == D(302)


def test_short_exposure_counts_as_absolute_value() -> None:
    limits = LiveRiskLimits(max_symbol_exposure_notional=D(200))
    assert check(limits, [order(SELL, "2")]).allowed
    assert only_violation(check(limits, [order(SELL, "2.01")]))[1] == D(201)


def test_total_exposure_over_all_symbols() -> None:
    limits = LiveRiskLimits(max_total_exposure_notional=D(300))
    portfolio = holding((ETH, "10", "10"))  # 100
    assert check(limits, [order(BUY, "2")], portfolio).allowed  # 100 + 200 = 300
    decision = check(limits, [order(BUY, "2.01")], portfolio)
    assert only_violation(decision) == (
        "max_total_exposure_notional",
        D(301),
        D(300),
        "max_total_exposure_notional breached: 301 EUR > 300 EUR",
    )


def test_a_batch_is_judged_as_a_whole() -> None:
    limits = LiveRiskLimits(max_total_exposure_notional=D(300))
    decision = check(limits, [order(BUY, "2"), order(BUY, "11", ETH)])
    assert only_violation(decision)[1] == D(310)


def test_open_positions_are_counted_after_the_orders() -> None:
    limits = LiveRiskLimits(max_open_positions=2)
    portfolio = holding((ETH, "1", "10"))
    assert check(limits, [order(BUY, "1")], portfolio).allowed
    portfolio = holding((ETH, "1", "10"), (SOL, "1", "1"))
    decision = check(limits, [order(BUY, "1")], portfolio)
    assert only_violation(decision) == (
        "max_open_positions",
        D(3),
        D(2),
        "max_open_positions breached: 3 > 2",
    )


def test_open_positions_of_a_batch_on_one_symbol_count_once() -> None:
    limits = LiveRiskLimits(max_open_positions=1)
    assert check(limits, [order(BUY, "1"), order(BUY, "1")]).allowed


def eth_rules(**changes: Any) -> InstrumentRules:
    values: dict[str, Any] = {
        "symbol": ETH,
        "venue_symbol": "XETHZEUR",
        "price_tick": D("0.01"),
        "lot_step": D("0.00000001"),
        "min_quantity": D("0.002"),
        "min_cost": D("0.5"),
    }
    values.update(changes)
    return InstrumentRules(**values)


def test_dust_is_not_an_open_position_but_its_exposure_counts() -> None:
    # 0.001 ETH is below the venue's minimum quantity: no order can close it, so it must not
    # keep max_open_positions from letting a new entry out (it would block every entry forever).
    limits = LiveRiskLimits(max_open_positions=1, base_currency="EUR")
    portfolio = holding((ETH, "0.001", "10"))
    rules = {ETH: eth_rules(), BTC: eth_rules(symbol=BTC, venue_symbol="XXBTZEUR")}
    prices = {BTC: D(100), ETH: D(10)}
    decision = limits.check_orders([order(BUY, "1")], portfolio, prices, NOW, (), rules.get)
    assert decision.allowed
    assert decision.metrics["open_positions_after"] == D(1)
    assert decision.metrics["total_exposure_after"] == D("100.010")  # the dust's 0.01 too
    # without the venue's rules the same leftover counts as open (fail closed)
    assert not check(limits, [order(BUY, "1")], portfolio).allowed
    unknown = limits.check_orders([order(BUY, "1")], portfolio, prices, NOW, (), lambda _: None)
    assert only_violation(unknown)[0] == "max_open_positions"


def test_a_position_over_the_minimums_is_open_whatever_its_size() -> None:
    limits = LiveRiskLimits(max_open_positions=1, base_currency="EUR")
    rules = {ETH: eth_rules(), BTC: eth_rules(symbol=BTC, venue_symbol="XXBTZEUR")}
    prices = {BTC: D(100), ETH: D(10)}
    for quantity in ("0.05", "1"):  # 0.05 ETH = 0.50 EUR: exactly the minimum cost
        portfolio = holding((ETH, quantity, "10"))
        decision = limits.check_orders([order(BUY, "1")], portfolio, prices, NOW, (), rules.get)
        assert only_violation(decision)[0] == "max_open_positions", quantity
    # below the minimum cost at today's price it is dust again
    portfolio = holding((ETH, "0.04", "10"))
    decision = limits.check_orders([order(BUY, "1")], portfolio, prices, NOW, (), rules.get)
    assert decision.allowed


# --- daily loss --------------------------------------------------------------------------------


def losing_portfolio(mark: str, cash: str = "1000") -> Portfolio:
    p = holding((BTC, "1", "100"), cash=cash)
    p.mark(BTC, D(mark), NOW)
    return p


def test_daily_loss_at_the_limit_is_allowed() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D(10))
    assert check(limits, [order(BUY, "0.1")], losing_portfolio("90"), prices={BTC: D(90)}).allowed


def test_daily_loss_one_cent_over_the_limit_is_refused() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D(10))
    decision = check(
        limits, [order(BUY, "0.1")], losing_portfolio("89.99"), prices={BTC: D("89.99")}
    )
    assert only_violation(decision) == (
        "max_daily_loss_abs",
        D("10.01"),
        D(10),
        "max_daily_loss_abs breached: 10.01 EUR > 10 EUR",
    )


def test_daily_loss_pct_of_the_days_opening_equity() -> None:
    limits = LiveRiskLimits(max_daily_loss_pct=D(1))
    assert check(limits, [order(BUY, "0.1")], losing_portfolio("90"), prices={BTC: D(90)}).allowed
    decision = check(limits, [order(BUY, "0.1")], losing_portfolio("89.9"), prices={BTC: D("89.9")})
    name, observed, limit, message = only_violation(decision)
    assert (name, observed, limit) == ("max_daily_loss_pct", D("1.01"), D(1))
    assert message == "max_daily_loss_pct breached: 1.01% > 1%"


def test_daily_loss_uses_the_given_prices_for_unrealized_pnl() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D(10))
    portfolio = holding((BTC, "1", "100"), cash="1000")  # marked at entry: no loss in the ledger
    decision = check(limits, [order(BUY, "0.1")], portfolio, prices={BTC: D(80)})
    assert only_violation(decision)[:3] == ("max_daily_loss_abs", D(20), D(10))


def test_realized_loss_counts() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D(10))
    portfolio = holding((BTC, "1", "100"), (BTC, "-1", "80"), cash="1000")
    assert portfolio.realized_pnl == D(-20)
    assert only_violation(check(limits, [order(BUY, "0.1")], portfolio))[0] == "max_daily_loss_abs"


def test_a_profit_never_blocks() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D("0.01"), max_daily_loss_pct=D("0.01"))
    portfolio = losing_portfolio("500")
    decision = check(limits, [order(BUY, "0.1")], portfolio, prices={BTC: D(500)})
    assert decision.allowed
    assert decision.metrics["daily_pnl"] == D(400)


def test_yesterdays_loss_does_not_count_today() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D(10))
    portfolio = losing_portfolio("50")
    tomorrow = NOW + timedelta(days=1)
    decision = check(limits, [order(BUY, "0.1")], portfolio, prices={BTC: D(50)}, now=tomorrow)
    assert decision.allowed
    assert decision.metrics["daily_pnl"] == 0


def test_the_daily_loss_rule_the_session_asks_is_the_one_orders_are_judged_by() -> None:
    limits = LiveRiskLimits(base_currency="EUR", max_daily_loss_abs=D(10))
    portfolio = losing_portfolio("50")
    breaches = limits.daily_loss_breaches(portfolio, NOW)
    assert [(b.limit, b.observed) for b in breaches] == [("max_daily_loss_abs", D(50))]
    order_verdict = check(limits, [order(BUY, "0.1")], portfolio, prices={BTC: D(50)})
    assert [v.message for v in order_verdict.violations] == [b.message for b in breaches]


def test_the_daily_loss_rule_starts_afresh_at_utc_midnight() -> None:
    limits = LiveRiskLimits(max_daily_loss_abs=D(10))
    portfolio = losing_portfolio("50")
    just_before = NOW.replace(hour=23, minute=59, second=59)
    assert limits.daily_loss_breaches(portfolio, just_before)
    assert limits.daily_loss_breaches(portfolio, just_before + timedelta(seconds=1)) == ()


def test_daily_loss_breaches_are_none_while_limits_are_off() -> None:
    limits = LiveRiskLimits(enabled=False, max_daily_loss_abs=D(10))
    assert limits.daily_loss_breaches(losing_portfolio("50"), NOW) == ()


# --- reducing orders ---------------------------------------------------------------------------


def breached_limits() -> LiveRiskLimits:
    return LiveRiskLimits(
        max_order_notional=D(1),
        max_symbol_exposure_notional=D(1),
        max_total_exposure_notional=D(1),
        max_open_positions=0,
        max_daily_loss_abs=D(1),
    )


def test_reducing_order_is_allowed_while_every_exposure_limit_is_breached() -> None:
    portfolio = losing_portfolio("50")  # 1 BTC worth 50 EUR, 50 EUR loss today
    decision = check(breached_limits(), [order(SELL, "0.5")], portfolio, prices={BTC: D(50)})
    assert decision.allowed
    assert decision.metrics["symbol_exposure_after:BTC/EUR"] == D(25)


def test_closing_a_position_completely_is_allowed() -> None:
    portfolio = losing_portfolio("50")
    assert check(breached_limits(), [order(SELL, "1")], portfolio, prices={BTC: D(50)}).allowed


def test_covering_a_short_is_reducing() -> None:
    portfolio = holding((BTC, "-2", "100"))
    assert check(breached_limits(), [order(BUY, "2")], portfolio).allowed


@pytest.mark.parametrize(("held", "sell"), [("1", "2"), ("2", "3")])
def test_flipping_through_zero_is_not_reducing_even_when_the_new_position_is_smaller(
    held: str, sell: str
) -> None:
    portfolio = holding((BTC, held, "100"))  # long `held`, short held - sell afterwards
    decision = check(breached_limits(), [order(SELL, sell)], portfolio)
    assert not decision.allowed
    assert "max_order_notional" in {v.limit for v in decision.violations}


def test_a_flip_in_a_batch_is_not_reducing_either() -> None:
    portfolio = holding((BTC, "2", "100"))
    decision = check(breached_limits(), [order(SELL, "1"), order(SELL, "2")], portfolio)
    assert not decision.allowed


def test_increasing_order_is_refused_while_limits_are_breached() -> None:
    portfolio = losing_portfolio("50")
    decision = check(breached_limits(), [order(BUY, "0.01")], portfolio, prices={BTC: D(50)})
    limits_hit = {v.limit for v in decision.violations}
    assert "max_symbol_exposure_notional" in limits_hit
    assert "max_daily_loss_abs" in limits_hit


def test_a_batch_mixing_reducing_and_increasing_orders_is_checked() -> None:
    portfolio = holding((BTC, "1", "100"))
    decision = check(breached_limits(), [order(SELL, "0.5"), order(BUY, "1", ETH)], portfolio)
    assert not decision.allowed


# --- enabled = false ---------------------------------------------------------------------------


def test_disabled_limits_allow_and_still_report_metrics() -> None:
    limits = LiveRiskLimits(
        enabled=False,
        max_order_notional=D(1),
        max_total_exposure_notional=D(1),
        max_orders_per_minute=0,
    )
    decision = check(limits, [order(BUY, "3")], holding((ETH, "1", "10")))
    assert decision.allowed
    assert decision.violations == ()
    assert decision.metrics["order_notional:BTC/EUR"] == D(300)
    assert decision.metrics["total_exposure_after"] == D(310)
    assert decision.metrics["open_positions_after"] == D(2)
    assert decision.metrics["orders_last_minute"] == D(1)
    assert decision.metrics["equity"] == D(10000)


# --- max_orders_per_minute ---------------------------------------------------------------------


def test_orders_per_minute_at_the_limit_is_allowed() -> None:
    limits = LiveRiskLimits(max_orders_per_minute=3)
    recent = (NOW - timedelta(seconds=59), NOW - timedelta(seconds=1))
    assert check(limits, [order(BUY, "0.1")], recent=recent).allowed


def test_one_order_over_the_minute_limit_is_refused() -> None:
    limits = LiveRiskLimits(max_orders_per_minute=3)
    recent = (NOW - timedelta(seconds=59), NOW - timedelta(seconds=1), NOW)
    decision = check(limits, [order(BUY, "0.1")], recent=recent)
    assert only_violation(decision) == (
        "max_orders_per_minute",
        D(4),
        D(3),
        "max_orders_per_minute breached: 4 > 3",
    )


def test_orders_older_than_a_minute_fall_out_of_the_window() -> None:
    limits = LiveRiskLimits(max_orders_per_minute=1)
    recent = (NOW - timedelta(seconds=60), NOW - timedelta(minutes=5))
    assert check(limits, [order(BUY, "0.1")], recent=recent).allowed


def test_order_rate_applies_to_reducing_orders_too() -> None:
    limits = LiveRiskLimits(max_orders_per_minute=1)
    portfolio = holding((BTC, "1", "100"))
    assert not check(limits, [order(SELL, "0.5")], portfolio, recent=(NOW,)).allowed


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "max_order_notional",
        "max_symbol_exposure_notional",
        "max_total_exposure_notional",
        "max_daily_loss_abs",
        "max_daily_loss_pct",
    ],
)
def test_notional_limits_must_be_positive(field: str) -> None:
    assert getattr(LiveRiskLimits(**{field: "0.01"}), field) == D("0.01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"{field} must be > 0 when set, got 0"):
        LiveRiskLimits(**{field: D(0)})  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["max_open_positions", "max_orders_per_minute"])
def test_count_limits_must_be_non_negative_integers(field: str) -> None:
    assert getattr(LiveRiskLimits(**{field: 0}), field) == 0  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"{field} must be >= 0 when set, got -1"):
        LiveRiskLimits(**{field: -1})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"{field} must be >= 0 when set, got True"):
        LiveRiskLimits(**{field: True})  # type: ignore[arg-type]


def test_limits_refuse_float() -> None:
    with pytest.raises(TypeError, match="float is not accepted"):
        LiveRiskLimits(max_order_notional=100.0)  # type: ignore[arg-type]


def test_now_must_be_utc() -> None:
    with pytest.raises(ValueError, match="now: datetime must be tz-aware UTC"):
        check(LiveRiskLimits(), [order(BUY, "1")], now=datetime(2026, 1, 1))


# --- bad market prices never make exposure vanish ------------------------------------------------


@pytest.mark.parametrize("market", [D(0), D(-100)])
def test_limit_order_with_a_non_positive_market_price_is_judged_at_its_limit_price(
    market: Decimal,
) -> None:
    limits = LiveRiskLimits(max_symbol_exposure_notional=D(150))
    decision = check(limits, [order(BUY, "2", limit="100")], prices={BTC: market})
    name, observed, limit, _ = only_violation(decision)
    assert (name, observed, limit) == ("max_symbol_exposure_notional", D(200), D(150))


@pytest.mark.parametrize("market", [D(0), D(-100)])
def test_a_held_position_with_a_non_positive_price_keeps_its_marked_exposure(
    market: Decimal,
) -> None:
    limits = LiveRiskLimits(max_total_exposure_notional=D(250))
    portfolio = holding((BTC, "2", "100"))  # 200 EUR at its mark
    decision = check(limits, [order(BUY, "10", ETH)], portfolio, prices={BTC: market, ETH: D(10)})
    name, observed, limit, _ = only_violation(decision)
    assert (name, observed, limit) == ("max_total_exposure_notional", D(300), D(250))


@pytest.mark.parametrize(
    ("limits", "guards"),
    [
        (LiveRiskLimits(), False),
        (LiveRiskLimits(max_order_notional=Decimal(100)), False),
        (LiveRiskLimits(max_daily_loss_abs=Decimal(100)), True),
        (LiveRiskLimits(max_daily_loss_pct=Decimal(5)), True),
        (LiveRiskLimits(max_drawdown_pct=Decimal(20)), True),
        (LiveRiskLimits(max_drawdown_pct=Decimal(20), enabled=False), False),
    ],
)
def test_guards_equity_exactly_when_a_safe_equity_exists(
    limits: LiveRiskLimits, guards: bool
) -> None:
    assert limits.guards_equity is guards
    assert (limits.safe_equity(Decimal(1000), Decimal(1200)) is not None) is guards
