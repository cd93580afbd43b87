"""Properties of LiveRiskLimits over random portfolios, prices, limits and order batches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st

from peak_trade.domain.orders import Fill, OrderRequest, OrderSide
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits, RiskDecision
from peak_trade.domain.symbols import Symbol

SYMBOLS = (Symbol("BTC", "EUR"), Symbol("ETH", "EUR"), Symbol("SOL", "EUR"))
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
ZERO = Decimal(0)

quantities = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(20), places=4)
prices = st.decimals(min_value=Decimal(1), max_value=Decimal(5000), places=2)
amount_limits = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(50_000), places=2)
DECIMAL_LIMITS = (
    "max_order_notional",
    "max_symbol_exposure_notional",
    "max_total_exposure_notional",
    "max_daily_loss_abs",
    "max_daily_loss_pct",
)
COUNT_LIMITS = ("max_open_positions", "max_orders_per_minute")


@attrs.frozen
class Scenario:
    """A reproducible ledger: cash, held positions (signed qty, entry) and today's prices."""

    cash: Decimal
    held: Mapping[Symbol, tuple[Decimal, Decimal]]
    marks: Mapping[Symbol, Decimal]

    def portfolio(self) -> Portfolio:
        p = Portfolio(base_currency="EUR", cash=self.cash)
        for symbol, (qty, entry) in self.held.items():
            side = OrderSide.BUY if qty > 0 else OrderSide.SELL
            p.apply_fill(fill(symbol, side, abs(qty), entry))
        for symbol in self.held:
            p.mark(symbol, self.marks[symbol], NOW)
        return p


def fill(symbol: Symbol, side: OrderSide, qty: Decimal, price: Decimal) -> Fill:
    return Fill(
        order_id="O",
        trade_id="T",
        symbol=symbol,
        side=side,
        quantity=qty,
        price=price,
        fee=ZERO,
        fee_currency="EUR",
        time=NOW,
    )


signed_quantities = st.tuples(quantities, st.sampled_from([1, -1])).map(lambda t: t[0] * t[1])
scenarios = st.builds(
    Scenario,
    cash=st.decimals(min_value=Decimal(100), max_value=Decimal(100_000), places=2),
    held=st.dictionaries(
        st.sampled_from(SYMBOLS), st.tuples(signed_quantities, prices), max_size=3
    ),
    marks=st.fixed_dictionaries({s: prices for s in SYMBOLS}),
)
holding_scenarios = st.builds(
    Scenario,
    cash=st.decimals(min_value=Decimal(100), max_value=Decimal(100_000), places=2),
    held=st.dictionaries(
        st.sampled_from(SYMBOLS), st.tuples(signed_quantities, prices), min_size=1, max_size=3
    ),
    marks=st.fixed_dictionaries({s: prices for s in SYMBOLS}),
)
orders = st.builds(
    lambda symbol, side, qty: OrderRequest(
        symbol=symbol, side=side, quantity=qty, client_order_id="c"
    ),
    st.sampled_from(SYMBOLS),
    st.sampled_from(list(OrderSide)),
    quantities,
)
batches = st.lists(orders, min_size=1, max_size=3)


def only_reduces(batch: Sequence[OrderRequest], portfolio: Portfolio) -> bool:
    """Every order moves its position toward zero without crossing it (the spec's "reducing")."""
    held = {s: portfolio.quantity(s) for s in SYMBOLS}
    for order in batch:
        before = held[order.symbol]
        after = before + order.signed_quantity
        if before == 0 or abs(after) >= abs(before) or (after != 0 and (after > 0) != (before > 0)):
            return False
        held[order.symbol] = after
    return True


def outcome(decision: RiskDecision) -> str:
    """A Hypothesis event label: allowed, or the limits that refused."""
    if decision.allowed:
        return "allowed"
    return "refused by " + ", ".join(sorted({v.limit for v in decision.violations}))


def observe(p: Portfolio, marks: Mapping[Symbol, Decimal]) -> dict[str, Decimal]:
    """The figures the limits cap, at `marks`."""
    exposures = {s: abs(pos.quantity) * marks[s] for s, pos in p.positions.items()}
    equity = p.cash + sum((pos.quantity * marks[s] for s, pos in p.positions.items()), ZERO)
    loss = max(ZERO, p.day_start_equity - equity)
    return {
        "max_symbol_exposure_notional": max(exposures.values(), default=ZERO),
        "max_total_exposure_notional": sum(exposures.values(), ZERO),
        "max_open_positions": Decimal(len(exposures)),
        "max_daily_loss_abs": loss,
        "max_daily_loss_pct": loss / p.day_start_equity * 100 if p.day_start_equity > 0 else ZERO,
    }


@st.composite
def opposing_batches(
    draw: st.DrawFn, scenario: Scenario, low: str, high: str
) -> list[OrderRequest]:
    """One order per held position against it, sized `low`..`high` times the position."""
    fractions = st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=2)
    batch = []
    for symbol, (qty, _) in scenario.held.items():
        side = OrderSide.SELL if qty > 0 else OrderSide.BUY
        quantity = abs(qty) * draw(fractions)
        batch.append(OrderRequest(symbol=symbol, side=side, quantity=quantity, client_order_id="c"))
    return batch


def reducing_batches(scenario: Scenario) -> st.SearchStrategy[list[OrderRequest]]:
    """Orders that move every held position toward zero, closing some completely."""
    return opposing_batches(scenario, "0.01", "1")


def batches_for(scenario: Scenario) -> st.SearchStrategy[list[OrderRequest]]:
    """Random batches, reducing batches and batches flipping positions through zero."""
    if not scenario.held:
        return batches
    return st.one_of(
        batches, batches, reducing_batches(scenario), opposing_batches(scenario, "1.01", "1.99")
    )


@st.composite
def scenario_with_limits_it_satisfies(draw: st.DrawFn) -> tuple[Scenario, LiveRiskLimits]:
    scenario = draw(scenarios)
    now = observe(scenario.portfolio(), scenario.marks)
    headroom = st.decimals(min_value=Decimal(1), max_value=Decimal("1.5"), places=2)

    def cap(name: str) -> Decimal | None:
        """No limit, a limit just above today's figure, or any limit the portfolio satisfies."""
        kind = draw(st.sampled_from(["none", "tight", "any"]))
        if kind == "none":
            return None
        current = now.get(name, ZERO)
        if kind == "tight" and current > 0:
            return current * draw(headroom)
        return max(current, draw(amount_limits))

    open_cap = draw(st.none() | st.integers(min_value=0, max_value=2))
    limits = LiveRiskLimits(
        max_order_notional=cap("max_order_notional"),
        max_symbol_exposure_notional=cap("max_symbol_exposure_notional"),
        max_total_exposure_notional=cap("max_total_exposure_notional"),
        max_open_positions=None if open_cap is None else int(now["max_open_positions"]) + open_cap,
        max_daily_loss_abs=cap("max_daily_loss_abs"),
        max_daily_loss_pct=cap("max_daily_loss_pct"),
        max_orders_per_minute=draw(st.none() | st.integers(min_value=1, max_value=4)),
    )
    return scenario, limits


@settings(deadline=None, max_examples=300)  # each limit must get the chance to be the one hit
@given(scenario_with_limits_it_satisfies(), st.data())
def test_an_allowed_batch_never_leaves_the_portfolio_beyond_a_limit(
    setup: tuple[Scenario, LiveRiskLimits], data: st.DataObject
) -> None:
    scenario, limits = setup
    batch = data.draw(batches_for(scenario))
    portfolio = scenario.portfolio()
    before = {s: portfolio.quantity(s) for s in SYMBOLS}
    decision = limits.check_orders(batch, portfolio, scenario.marks, NOW)
    event(outcome(decision))
    if not decision.allowed:
        return
    for order in batch:
        portfolio.apply_fill(
            fill(order.symbol, order.side, order.quantity, scenario.marks[order.symbol])
        )
    after = observe(portfolio, scenario.marks)
    for name, value in after.items():
        limit = getattr(limits, name)
        assert limit is None or value <= limit, (name, value, limit)
    if limits.max_orders_per_minute is not None:
        assert len(batch) <= limits.max_orders_per_minute
    if limits.max_order_notional is not None:
        for order in batch:
            old = before[order.symbol]
            new = old + order.signed_quantity
            before[order.symbol] = new
            reduces = old != 0 and abs(new) < abs(old) and (new == 0 or (new > 0) == (old > 0))
            if not reduces:  # growing, opening or flipping through zero
                assert order.quantity * scenario.marks[order.symbol] <= limits.max_order_notional


@st.composite
def any_limits(draw: st.DrawFn) -> LiveRiskLimits:
    return LiveRiskLimits(
        enabled=draw(st.booleans()),
        **{name: draw(st.none() | amount_limits) for name in DECIMAL_LIMITS},  # type: ignore[arg-type]
        **{name: draw(st.none() | st.integers(0, 5)) for name in COUNT_LIMITS},  # type: ignore[arg-type]
    )


@st.composite
def tightened(draw: st.DrawFn, limits: LiveRiskLimits) -> LiveRiskLimits:
    name = draw(st.sampled_from(("enabled", *DECIMAL_LIMITS, *COUNT_LIMITS)))
    if name == "enabled":
        return attrs.evolve(limits, enabled=True)
    current = getattr(limits, name)
    if name in COUNT_LIMITS:
        tighter = (
            draw(st.integers(0, 5)) if current is None else current - draw(st.integers(0, current))
        )
        return attrs.evolve(limits, **{name: tighter})
    if current is None:
        return attrs.evolve(limits, **{name: draw(amount_limits)})
    factor = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1), places=2))
    return attrs.evolve(limits, **{name: current * factor})


@settings(deadline=None)
@given(scenarios, any_limits(), batches, st.data())
def test_tightening_a_limit_never_turns_a_rejection_into_an_acceptance(
    scenario: Scenario, limits: LiveRiskLimits, batch: list[OrderRequest], data: st.DataObject
) -> None:
    tight = data.draw(tightened(limits))
    loose_decision = limits.check_orders(batch, scenario.portfolio(), scenario.marks, NOW)
    tight_decision = tight.check_orders(batch, scenario.portfolio(), scenario.marks, NOW)
    event(f"loose {outcome(loose_decision)[:7]}, tight {outcome(tight_decision)[:7]}")
    if not loose_decision.allowed:
        assert not tight_decision.allowed
    assert len(tight_decision.violations) >= len(loose_decision.violations)


@settings(deadline=None)
@given(holding_scenarios, any_limits(), st.data())
def test_reducing_orders_are_always_allowed_by_exposure_and_loss_limits(
    scenario: Scenario, limits: LiveRiskLimits, data: st.DataObject
) -> None:
    batch = data.draw(reducing_batches(scenario))
    unlimited_rate = attrs.evolve(limits, max_orders_per_minute=None)
    portfolio = scenario.portfolio()
    decision = unlimited_rate.check_orders(batch, portfolio, scenario.marks, NOW)
    growing = unlimited_rate.check_orders(
        [attrs.evolve(order, side=order.side.opposite) for order in batch],
        portfolio,
        scenario.marks,
        NOW,
    )
    event(f"the same orders growing the positions: {outcome(growing)[:7]}")
    assert decision.allowed, decision.reason


@settings(deadline=None)
@given(holding_scenarios, st.fixed_dictionaries({s: prices for s in SYMBOLS}), st.data())
def test_daily_loss_limits_refuse_exactly_the_non_reducing_batches_of_a_losing_day(
    scenario: Scenario, today: Mapping[Symbol, Decimal], data: st.DataObject
) -> None:
    portfolio = scenario.portfolio()  # marked at scenario.marks; prices have moved to `today`
    equity = portfolio.cash + sum(
        (pos.quantity * today[s] for s, pos in portfolio.positions.items()), ZERO
    )
    loss = portfolio.day_start_equity - equity  # negative on a winning day
    pct = loss / portfolio.day_start_equity * 100
    factors = {
        "below": st.decimals(min_value=Decimal("0.5"), max_value=Decimal("0.99"), places=2),
        "at": st.just(Decimal(1)),
        "above": st.decimals(min_value=Decimal("1.01"), max_value=Decimal("1.5"), places=2),
    }

    def limit(observed: Decimal) -> Decimal | None:
        kind = data.draw(st.sampled_from(["none", "below", "below", "at", "above", "any"]))
        if kind == "none":
            return None
        if observed != 0 and kind in factors:  # around today's loss, or around the profit
            return abs(observed) * data.draw(factors[kind])
        return data.draw(amount_limits)

    limits = LiveRiskLimits(max_daily_loss_abs=limit(loss), max_daily_loss_pct=limit(pct))
    batch = data.draw(batches_for(scenario))
    decision = limits.check_orders(batch, portfolio, today, NOW)

    expected = set()
    if not only_reduces(batch, portfolio):
        if limits.max_daily_loss_abs is not None and loss > limits.max_daily_loss_abs:
            expected.add("max_daily_loss_abs")
        if limits.max_daily_loss_pct is not None and pct > limits.max_daily_loss_pct:
            expected.add("max_daily_loss_pct")
    event(f"{'losing' if loss > 0 else 'winning'} day, refused by {sorted(expected)}")
    assert {v.limit for v in decision.violations} == expected
    assert decision.allowed == (not expected)
    assert decision.metrics["daily_pnl"] == -loss
