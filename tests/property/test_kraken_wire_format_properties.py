"""Any Decimal volume or price goes out without exponent and within the pair's decimals."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from peak_trade.adapters.kraken.orders import round_order, wire_decimal
from peak_trade.adapters.kraken.snapshot import bundled_markets
from peak_trade.domain.orders import OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol

MARKETS = {m.symbol: m for m in bundled_markets()}
amounts = st.decimals(
    min_value=Decimal("0.000000000001"),
    max_value=Decimal("1000000000"),
    places=14,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts, st.integers(min_value=0, max_value=10))
def test_wire_decimal_has_no_exponent_and_at_most_the_allowed_places(
    value: Decimal, decimals: int
) -> None:
    text = wire_decimal(value, decimals)
    assert "e" not in text.lower()
    assert len(text.partition(".")[2]) <= decimals
    sent = Decimal(text)
    assert sent <= value
    assert value - sent < Decimal(1).scaleb(-decimals)


@given(amounts, st.sampled_from(sorted(MARKETS)))
def test_rounded_volumes_fit_the_lot_decimals_and_never_grow(
    quantity: Decimal, symbol: Symbol
) -> None:
    market = MARKETS[symbol]
    order = OrderRequest(
        symbol=symbol, side=OrderSide.BUY, quantity=quantity, client_order_id="prop-1"
    )
    rounded = round_order(order, market)
    if rounded is None:
        assert quantity < Decimal(1).scaleb(-market.lot_decimals)
        return
    assert rounded.quantity <= quantity
    text = wire_decimal(rounded.quantity, market.lot_decimals)
    assert Decimal(text) == rounded.quantity
    assert "e" not in text.lower()
    assert len(text.partition(".")[2]) <= market.lot_decimals
