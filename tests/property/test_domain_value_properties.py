"""Properties of symbols, decimal formatting and instrument rounding."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from peak_trade.domain.decimals import format_decimal, is_multiple_of
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.orders import OrderSide
from peak_trade.domain.symbols import Symbol

asset_codes = st.from_regex(r"\A[A-Z0-9][A-Z0-9.]{0,15}\Z")
steps = st.builds(
    lambda mantissa, exponent: Decimal(mantissa).scaleb(-exponent),
    st.sampled_from([1, 2, 5, 25]),
    st.integers(min_value=0, max_value=10),
)
amounts = st.decimals(
    min_value=Decimal("0.000000000001"),
    max_value=Decimal(10_000_000),
    places=12,
    allow_nan=False,
    allow_infinity=False,
)
any_decimals = st.decimals(allow_nan=False, allow_infinity=False)


def rules(tick: Decimal, lot: Decimal) -> InstrumentRules:
    return InstrumentRules(
        symbol=Symbol("BTC", "EUR"), venue_symbol="XXBTZEUR", price_tick=tick, lot_step=lot
    )


@settings(deadline=None)
@given(asset_codes, asset_codes)
def test_symbol_format_then_parse_round_trips(base: str, quote: str) -> None:
    assume(base != quote)
    symbol = Symbol(base, quote)
    assert Symbol.parse(str(symbol)) == symbol
    assert Symbol.parse(f"  {base.lower()} / {quote.lower()} ") == symbol


@settings(deadline=None)
@given(asset_codes, asset_codes)
def test_symbol_parse_then_format_is_canonical(base: str, quote: str) -> None:
    assume(base != quote)
    text = f"{base}/{quote}"
    assert str(Symbol.parse(text.lower())) == text


@settings(deadline=None)
@given(any_decimals)
def test_format_decimal_is_plain_and_exact(value: Decimal) -> None:
    text = format_decimal(value)
    assert "e" not in text.lower()
    assert Decimal(text) == value


@settings(deadline=None)
@given(amounts, steps)
def test_round_quantity_is_a_multiple_of_the_lot_never_above_the_input(
    quantity: Decimal, lot: Decimal
) -> None:
    rounded = rules(Decimal(1), lot).round_quantity(quantity)
    assert is_multiple_of(rounded, lot)
    assert rounded <= quantity
    assert quantity - rounded < lot


@settings(deadline=None)
@given(amounts, steps)
def test_round_price_is_on_the_tick_and_conservative(price: Decimal, tick: Decimal) -> None:
    r = rules(tick, Decimal(1))
    buy = r.round_price(price, OrderSide.BUY)
    sell = r.round_price(price, OrderSide.SELL)
    assert is_multiple_of(buy, tick)
    assert is_multiple_of(sell, tick)
    assert price - tick < buy <= price  # a buy never pays more than asked
    assert price <= sell < price + tick  # a sell never accepts less than asked
