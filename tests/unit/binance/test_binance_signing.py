"""Signatures against Binance's documented HMAC vectors, and Ed25519 with a generated key."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peak_trade.adapters.binance.signing import (
    Ed25519Signer,
    HmacSigner,
    encode_params,
    hmac_signature,
    signature_payload,
)

SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
ORDER = [
    ("symbol", "LTCBTC"),
    ("side", "BUY"),
    ("type", "LIMIT"),
    ("timeInForce", "GTC"),
    ("quantity", "1"),
    ("price", "0.1"),
    ("recvWindow", "5000"),
    ("timestamp", "1499827319559"),
]


def test_hmac_matches_binances_ascii_example() -> None:
    payload = encode_params(ORDER)
    assert payload == (
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
        "&recvWindow=5000&timestamp=1499827319559"
    )
    assert hmac_signature(SECRET, payload) == (
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
    )


def test_hmac_signs_the_percent_encoded_non_ascii_symbol() -> None:
    params = [("symbol", "１２３４５６"), *ORDER[1:]]
    payload = encode_params(params)
    assert payload.startswith(
        "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY"
    )
    assert hmac_signature(SECRET, payload) == (
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"
    )
    signed_before_encoding = hmac_signature(SECRET, unquote(payload))
    assert signed_before_encoding != hmac_signature(SECRET, payload)  # Binance refuses that


def test_hmac_over_query_plus_body_is_the_concatenation_without_separator() -> None:
    query = encode_params(ORDER[:4])
    body = encode_params(ORDER[4:])
    payload = signature_payload(query, body)
    assert "timeInForce=GTCquantity=1" in payload
    assert HmacSigner(SECRET).sign(payload) == (
        "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"
    )


def test_encoding_leaves_only_unreserved_characters_raw() -> None:
    assert encode_params([("symbols", '["BTCUSDT","ETHBTC"]'), ("a b", "c+d/e=")]) == (
        "symbols=%5B%22BTCUSDT%22%2C%22ETHBTC%22%5D&a%20b=c%2Bd%2Fe%3D"
    )


def test_ed25519_signature_is_base64_and_verifies_with_the_public_key() -> None:
    key = Ed25519PrivateKey.generate()
    payload = encode_params(ORDER)
    signature = Ed25519Signer(key).sign(payload)
    raw = base64.b64decode(signature, validate=True)
    assert len(raw) == 64
    key.public_key().verify(raw, payload.encode())
    with pytest.raises(InvalidSignature):
        key.public_key().verify(raw, payload.replace("BUY", "SELL").encode())


def test_an_ed25519_signature_survives_percent_encoding_as_a_parameter() -> None:
    key = Ed25519PrivateKey.generate()
    signatures = [Ed25519Signer(key).sign(f"n={n}") for n in range(40)]
    assert any(ch in s for s in signatures for ch in "+/=")  # base64 needs encoding
    for signature in signatures:
        encoded = encode_params([("signature", signature)])
        assert not any(ch in encoded.partition("=")[2] for ch in "+/=")
        assert unquote(encoded.partition("=")[2]) == signature


def test_signer_reprs_hide_the_key() -> None:
    assert SECRET not in repr(HmacSigner(SECRET))
    assert "hidden" in repr(Ed25519Signer(Ed25519PrivateKey.generate()))
