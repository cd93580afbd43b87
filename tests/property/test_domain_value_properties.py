"""Properties of symbols, decimal formatting and instrument rounding."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal, localcontext

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from peak_trade.domain.decimals import floor_to_step, format_decimal, is_multiple_of
from peak_trade.domain.ids import CLIENT_ORDER_ID_NAMESPACE, client_order_id
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle, ohlcv_valid
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


ohlcv_numbers = st.sampled_from(
    [Decimal(x) for x in ("0.5", "1", "2", "3") * 4]
    + [Decimal(x) for x in ("-1", "0", "NaN", "sNaN", "Infinity", "-Infinity")]
)


@st.composite
def ohlcv_rows(draw: st.DrawFn) -> tuple[Decimal, ...]:
    """Four prices and a volume; half the time the prices are put in a consistent order."""
    volumes = st.sampled_from([Decimal(x) for x in ("0", "1", "-1", "-0.01", "NaN", "Infinity")])
    row = [*(draw(ohlcv_numbers) for _ in range(4)), draw(volumes)]
    if all(x.is_finite() for x in row[:4]) and draw(st.booleans()):
        low, first, second, high = sorted(row[:4])
        row[:4] = [first, high, low, second]
    return tuple(row)


@settings(deadline=None, max_examples=300)
@given(ohlcv_rows())
def test_ohlcv_valid_accepts_exactly_what_the_candle_constructor_accepts(
    row: tuple[Decimal, ...],
) -> None:
    """The CSV hot path builds `Candle.trusted` only when `ohlcv_valid` holds."""
    open_, high, low, close, volume = row
    time = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        Candle(
            symbol=Symbol("BTC", "EUR"),
            open_time=time,
            open=open_,
            high=high,
            low=low,
            close=close,
            volume=volume,
        )
        accepted = True
    except ValueError:
        accepted = False
    event("valid candle" if accepted else "refused candle")
    assert ohlcv_valid(open_, high, low, close, volume) is accepted


def reference_floor(value: Decimal, step: Decimal) -> Decimal:
    """Round down to a multiple of step, exactly, written to the step's last digit at least."""
    with localcontext() as context:
        context.prec = 200
        remainder = value % step
        result = value - remainder
        if remainder < 0:
            result -= step
        exponent = int(step.as_tuple().exponent)
        if int(result.as_tuple().exponent) < exponent:
            result = result.quantize(Decimal(1).scaleb(exponent))
        return result


lot_steps = st.sampled_from(
    [Decimal(s) for s in ("1E-8", "0.00000001", "0.01", "0.010", "1", "1E+1", "10", "0.5")]
)
quantities = st.builds(
    lambda coefficient, exponent: Decimal(coefficient).scaleb(exponent),
    st.integers(-(10**12), 10**12),
    st.integers(-12, 3),
)


@given(quantities, lot_steps)
def test_floor_to_step_is_the_exact_reference_digit_for_digit(
    value: Decimal, step: Decimal
) -> None:
    expected = reference_floor(value, step)
    assert str(floor_to_step(value, step)) == str(expected)
    assert is_multiple_of(value, step) == (expected == value)


@given(st.text(min_size=1, max_size=70), st.integers(min_value=0, max_value=10**12))
def test_client_order_ids_are_the_uuid5_of_run_and_number(run_id: str, number: int) -> None:
    expected = uuid.uuid5(CLIENT_ORDER_ID_NAMESPACE, f"{run_id}:{number}")
    assert client_order_id(run_id, number) == str(expected)
