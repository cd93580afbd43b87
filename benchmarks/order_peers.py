"""Peer clients placing one validate-only Kraken AddOrder against the loopback server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

PAIR = "XXBTZEUR"
VOLUME = "0.001"
OrderCall = Callable[[int], None]
Closer = Callable[[], None]


class PeerOrderError(RuntimeError):
    """A peer's validate-only order came back with a Kraken error."""


def _check(answer: Any, who: str) -> None:
    errors = answer.get("error") if isinstance(answer, dict) else None
    if errors:
        raise PeerOrderError(f"{who}: {errors}")


def raw_httpx(base_url: str, api_key: str, secret_b64: str) -> tuple[OrderCall, Closer]:
    """The floor: build the form body, sign it (HMAC-SHA512) and POST with httpx, nothing else."""
    import httpx

    client = httpx.Client(base_url=base_url, timeout=10.0)
    secret = base64.b64decode(secret_b64)
    path = "/0/private/AddOrder"
    nonces = itertools.count(1)

    def place(seq: int) -> None:
        nonce = str(next(nonces))
        body = urllib.parse.urlencode(
            {
                "nonce": nonce,
                "ordertype": "market",
                "type": "buy",
                "volume": VOLUME,
                "pair": PAIR,
                "cl_ord_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-raw:{seq}")),
                "validate": "true",
            }
        )
        digest = hashlib.sha256((nonce + body).encode()).digest()
        mac = hmac.new(secret, path.encode() + digest, hashlib.sha512)
        response = client.post(
            path,
            content=body,
            headers={
                "API-Key": api_key,
                "API-Sign": base64.b64encode(mac.digest()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        _check(response.json(), "raw httpx")

    return place, client.close


def ccxt_kraken(base_url: str, api_key: str, secret_b64: str) -> tuple[OrderCall, Closer]:
    """ccxt's kraken with its rate limiter off and both API URLs pointed at the loopback server."""
    import ccxt

    exchange = ccxt.kraken({"apiKey": api_key, "secret": secret_b64, "enableRateLimit": False})
    exchange.urls["api"] = {"public": base_url, "private": base_url}
    exchange.load_markets()  # once, outside the timed loop (AssetPairs from the server)

    def place(seq: int) -> None:
        answer = exchange.create_order(
            "BTC/EUR",
            "market",
            "buy",
            float(VOLUME),
            params={
                "validate": True,
                "cl_ord_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-ccxt:{seq}")),
            },
        )
        if not isinstance(answer, dict):
            raise PeerOrderError(f"ccxt: unexpected answer {answer!r}")

    return place, lambda: None


def kraken_sdk(base_url: str, api_key: str, secret_b64: str) -> tuple[OrderCall, Closer]:
    """python-kraken-sdk's Trade client (requests) with its URL pointed at the loopback server."""
    from kraken.spot import Trade

    trade = Trade(key=api_key, secret=secret_b64, url=base_url)

    def place(seq: int) -> None:
        answer = trade.create_order(
            ordertype="market",
            side="buy",
            pair=PAIR,
            volume=VOLUME,
            cl_ord_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-sdk:{seq}")),
            validate=True,
        )
        if not isinstance(answer, dict) or "descr" not in answer:
            raise PeerOrderError(f"python-kraken-sdk: unexpected answer {answer!r}")

    return place, lambda: None
