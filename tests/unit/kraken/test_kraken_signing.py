from __future__ import annotations

import base64

from peak_trade.adapters.kraken.signing import api_sign, form_body


def test_signature_matches_krakens_documented_example() -> None:
    secret = (
        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
    )
    body = form_body(
        {
            "nonce": "1616492376594",
            "ordertype": "limit",
            "pair": "XBTUSD",
            "price": "37500",
            "type": "buy",
            "volume": "1.25",
        }
    )
    assert body == (
        "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"
    )
    sign = api_sign("/0/private/AddOrder", "1616492376594", body, base64.b64decode(secret))
    assert sign == (
        "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="
    )


def test_signature_matches_the_python_kraken_sdk_vector() -> None:
    secret = b"python-kraken-sdk unit-test secret value"
    body = "nonce=1616492376594&ordertype=limit&pair=XBTUSD"
    sign = api_sign("/0/private/AddOrder", "1616492376594", body, secret)
    assert sign == (
        "Fo+0Uhanvs3F1byZFCjVBMLsCcRE2xLQMDpoA3Q9hawoZ0ZL35AmbknAQBlOIs4baRx9UGhzQH+/CTl9qnyp1w=="
    )


def test_signature_depends_on_path_nonce_and_body() -> None:
    secret = b"k"
    base = api_sign("/0/private/Balance", "1", "nonce=1", secret)
    assert api_sign("/0/private/AddOrder", "1", "nonce=1", secret) != base
    assert api_sign("/0/private/Balance", "2", "nonce=1", secret) != base
    assert api_sign("/0/private/Balance", "1", "nonce=1&x=1", secret) != base
