"""What goes on the wire: newClientOrderId within Binance's pattern, decimals as plain text."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.adapters.binance.client_ids import BINANCE_CLIENT_ID, wire_client_id
from peak_trade.adapters.binance.orders import wire_quantity
from peak_trade.domain.ids import client_order_id

BINANCE_DECIMAL = r"^([0-9]{1,20})(\.[0-9]{1,20})?$"


def test_session_client_ids_are_36_character_uuids_and_pass_unchanged() -> None:
    cid = client_order_id("20260101T000000Z-abcdef", 7)
    assert len(cid) == 36
    assert wire_client_id(cid) == cid


@pytest.mark.parametrize(
    "cid",
    [
        "run-20260101T000000Z-abcdef:seq-000001",  # ':' and 38 characters
        "a.b",  # a dot is refused by Binance
        "x" * 37,
        "ok-id\n",
        "with space",
    ],
)
def test_other_ids_map_to_a_stable_uuid_within_the_pattern(cid: str) -> None:
    wire = wire_client_id(cid)
    assert BINANCE_CLIENT_ID.fullmatch(wire)
    assert uuid.UUID(wire)
    assert wire == wire_client_id(cid)  # deterministic: a restarted process asks for the same


@given(
    st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=64)
)
def test_every_printable_ascii_id_becomes_a_valid_newclientorderid(cid: str) -> None:
    assert BINANCE_CLIENT_ID.fullmatch(wire_client_id(cid))


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (Decimal("0.00001"), Decimal("0.00001"), "0.00001"),
        (Decimal("1E-5"), Decimal("0.00001000"), "0.00001"),
        (Decimal("0.00010000"), Decimal("0.00001"), "0.0001"),
        (Decimal("65000.10"), Decimal("0.01"), "65000.1"),
        (Decimal("2E+3"), Decimal("1"), "2000"),
        (Decimal("0.0000003"), Decimal("1E-7"), "0.0000003"),
    ],
)
def test_quantities_and_prices_are_plain_decimal_text(
    value: Decimal, step: Decimal, text: str
) -> None:
    assert wire_quantity(value, step) == text


@given(st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("90000000"), places=8))
def test_wire_decimals_always_match_binances_pattern(value: Decimal) -> None:
    import re

    assert re.fullmatch(BINANCE_DECIMAL, wire_quantity(value, Decimal("0.00000001")))
