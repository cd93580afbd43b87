"""Fill fees: base, quote, and a third-asset fee (BNB) booked honestly as its quote value."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from peak_trade.domain.orders import ChargedFee, Fill, OrderSide
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.symbols import Symbol

BTC_USDT = Symbol("BTC", "USDT")
T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
D = Decimal
BNB_AT_600 = ChargedFee(asset="BNB", amount="0.0025", rate="600")


def fill(
    *,
    fee: str = "1.5",
    fee_currency: str = "USDT",
    charged: ChargedFee | None = BNB_AT_600,
    side: OrderSide = OrderSide.BUY,
) -> Fill:
    return Fill(
        order_id="7",
        trade_id="70",
        symbol=BTC_USDT,
        side=side,
        quantity="0.03",
        price="65000",
        fee=fee,
        fee_currency=fee_currency,
        time=T0,
        charged=charged,
    )


def test_a_bnb_fee_is_booked_as_its_quote_value_and_remembers_what_was_charged() -> None:
    booked = fill()
    assert booked.fee_in_quote == D("1.5")
    assert booked.charged == ChargedFee(asset="BNB", amount=D("0.0025"), rate=D(600))
    assert not booked.fee_in_base


def test_the_ledger_books_the_quote_value_of_a_third_asset_fee() -> None:
    ledger = Portfolio(base_currency="USDT", cash=D(10000))
    ledger.apply_fill(fill())
    assert ledger.fees_paid == D("1.5")
    assert ledger.cash == D(10000) - D("0.03") * D(65000) - D("1.5")
    assert ledger.quantity(BTC_USDT) == D("0.03")  # the BNB fee does not shrink the position


def test_a_charged_fee_must_be_booked_in_the_quote_currency() -> None:
    with pytest.raises(ValueError, match="booked in the quote currency USDT, not 'BNB'"):
        fill(fee_currency="BNB")
    with pytest.raises(ValueError, match="not 'BTC'"):
        fill(fee_currency="BTC")


def test_the_booked_fee_must_be_the_charged_amount_at_its_rate() -> None:
    with pytest.raises(ValueError, match=r"fee 1\.4 USDT is not the charged 0\.0025 BNB"):
        fill(fee="1.4")


def test_an_unvalued_charge_is_booked_as_zero() -> None:
    unpriced = ChargedFee(asset="BNB", amount="0.0025")
    assert fill(fee="0", charged=unpriced).fee_in_quote == 0
    with pytest.raises(ValueError, match="is not the charged"):
        fill(fee="1.5", charged=unpriced)


@pytest.mark.parametrize("asset", ["BTC", "USDT"])
def test_only_a_third_asset_is_recorded_as_charged(asset: str) -> None:
    with pytest.raises(ValueError, match="only a third-asset fee is recorded as charged"):
        fill(charged=ChargedFee(asset=asset, amount="1.5", rate="1"))


def test_fills_without_a_third_asset_fee_carry_no_charge() -> None:
    plain = fill(fee="0.00003", fee_currency="BTC", charged=None)
    assert plain.charged is None
    assert plain.fee_in_quote == D("0.00003") * D(65000)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"asset": "", "amount": "1"}, "needs its asset"),
        ({"asset": "BNB", "amount": "-0.1"}, "amount must be >= 0"),
        ({"asset": "BNB", "amount": "0.1", "rate": "0"}, "rate must be > 0"),
    ],
)
def test_a_charged_fee_validates_itself(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ChargedFee(**fields)  # type: ignore[arg-type]


def test_a_charged_fee_refuses_floats() -> None:
    with pytest.raises(TypeError, match="amount: float is not accepted"):
        ChargedFee(asset="BNB", amount=0.1)  # type: ignore[arg-type]
