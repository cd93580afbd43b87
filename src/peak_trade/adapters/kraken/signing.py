"""Kraken Spot REST request signing (API-Sign) and body encoding."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode


def api_sign(url_path: str, nonce: str, body: str, secret: bytes) -> str:
    """base64(HMAC-SHA512(secret, path + SHA256(nonce + body))), exactly as Kraken documents.

    `url_path` is the part starting with /0/private, `body` the exact bytes sent (form-encoded
    or JSON, `nonce` included), `secret` the base64-decoded API secret.
    """
    digest = hashlib.sha256((nonce + body).encode("utf-8")).digest()
    mac = hmac.new(secret, url_path.encode("utf-8") + digest, hashlib.sha512)
    return base64.b64encode(mac.digest()).decode("ascii")


def form_body(params: Mapping[str, str]) -> str:
    """application/x-www-form-urlencoded body in the given key order (nonce first by caller)."""
    return urlencode(list(params.items()))
