"""Binance request signing: the payload is the percent-encoded query + body exactly as sent.

HMAC-SHA256 keys sign with the secret and send the hex digest; Ed25519 keys sign with the
private key and send the base64 signature, percent-encoded (`+`, `/`, `=`) like any parameter.
Binance refuses payloads signed before percent-encoding (-1022 since 2026-01-15), which matters
for non-ASCII symbols such as the testnet's `这是测试币456`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def encode_params(params: Iterable[tuple[str, str]]) -> str:
    """`k=v&k=v` in the given order, UTF-8 percent-encoded (space as %20, nothing left raw
    but unreserved characters): the text that is both sent and signed."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)


def signature_payload(query: str, body: str) -> str:
    """What Binance signs: the query string and the body concatenated without a separator."""
    return query + body


def hmac_signature(secret: str, payload: str) -> str:
    """hex(HMAC-SHA256(secret, payload)); both are used exactly as given (case-sensitive)."""
    return hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def ed25519_signature(private_key: Ed25519PrivateKey, payload: str) -> str:
    """base64(Ed25519 signature of the payload) - percent-encode it when placing it."""
    return base64.b64encode(private_key.sign(payload.encode("ascii"))).decode("ascii")


class RequestSigner(Protocol):
    """Turns a signature payload into the value of the `signature` parameter (unencoded)."""

    def sign(self, payload: str) -> str: ...


class HmacSigner:
    """Signs with an HMAC secret key."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def sign(self, payload: str) -> str:
        return hmac_signature(self._secret, payload)

    def __repr__(self) -> str:
        return "HmacSigner(secret=<hidden>)"


class Ed25519Signer:
    """Signs with an Ed25519 private key (loaded by credentials.py from a PEM file)."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key

    def sign(self, payload: str) -> str:
        return ed25519_signature(self._key, payload)

    def __repr__(self) -> str:
        return "Ed25519Signer(private_key=<hidden>)"
