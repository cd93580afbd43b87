"""Request authentication of the loopback Binance server, as Binance documents it.

X-MBX-APIKEY names the account; the signature covers the query string and the body exactly as
received (percent-encoded), concatenated without a separator and minus the `signature` pair;
HMAC-SHA256 hex (case-insensitive) or Ed25519 base64. Then `timestamp` must be less than
1 s ahead of the server's clock and no older than `recvWindow` (at most 60000).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping
from urllib.parse import unquote

from tests.support.binance_book import Account
from tests.support.binance_order_rules import BinanceFailure

API_KEY_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,128}")
MAX_RECV_WINDOW = 60000


def without_signature(raw: str) -> tuple[str, str | None]:
    """`raw` (a query string or form body as sent) minus its signature pair, and the signature."""
    kept, signature = [], None
    for part in raw.split("&") if raw else []:
        if part.startswith("signature="):
            signature = unquote(part[len("signature=") :])
        else:
            kept.append(part)
    return "&".join(kept), signature


def authenticate(
    accounts: Mapping[str, Account],
    headers: Mapping[str, str],
    query: str,
    body: str,
    params: Mapping[str, str],
    *,
    now_ms: int,
    signatures_seen: list[str],
) -> Account:
    """API key, signature over the exact query + body, then timestamp vs recvWindow."""
    api_key = next((v for k, v in headers.items() if k.lower() == "x-mbx-apikey"), "")
    if not API_KEY_FORMAT.fullmatch(api_key):
        raise BinanceFailure(-2014, "API-key format invalid.", 401)
    account = accounts.get(api_key)
    if account is None:
        raise BinanceFailure(-2015, "Invalid API-key, IP, or permissions for action.", 401)
    query_payload, in_query = without_signature(query)
    body_payload, in_body = without_signature(body)
    signature = in_query if in_query is not None else in_body
    if not signature:
        raise BinanceFailure(
            -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed."
        )
    signatures_seen.append(signature)
    if not _verify(account, query_payload + body_payload, signature):
        raise BinanceFailure(-1022, "Signature for this request is not valid.")
    _check_time(params, now_ms)
    return account


def _check_time(params: Mapping[str, str], now: int) -> None:
    stamp = params.get("timestamp", "")
    if not stamp.isdigit():
        raise BinanceFailure(
            -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."
        )
    window = float(params.get("recvWindow", "5000") or "5000")
    if window > MAX_RECV_WINDOW:
        raise BinanceFailure(
            -1102,
            f"'recvWindow' contains unexpected value. Cannot be greater than {MAX_RECV_WINDOW}.",
        )
    timestamp = int(stamp)
    if timestamp >= now + 1000:
        raise BinanceFailure(
            -1021, "Timestamp for this request was 1000ms ahead of the server's time."
        )
    if now - timestamp > window:
        raise BinanceFailure(-1021, "Timestamp for this request is outside of the recvWindow.")


def _verify(account: Account, payload: str, signature: str) -> bool:
    if account.public_key is not None:
        from cryptography.exceptions import InvalidSignature

        try:
            account.public_key.verify(base64.b64decode(signature, validate=True), payload.encode())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True
    expected = hmac.new(account.secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.lower())
