"""Peer clients placing one Binance Spot MARKET order (or test order) on the loopback server."""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

SYMBOL = "BTCUSDT"
QUANTITY = "0.001"
OrderCall = Callable[[int], None]
Closer = Callable[[], None]


class PeerOrderError(RuntimeError):
    """A peer's order came back refused or not filled."""


def side_of(seq: int) -> str:
    """Alternate buys and sells, so the account's balances stay put."""
    return "BUY" if seq % 2 == 0 else "SELL"


def raw_httpx(base_url: str, api_key: str, secret: str, test: bool) -> tuple[OrderCall, Closer]:
    """The floor: form body, HMAC-SHA256 over it, POST with httpx; nothing else."""
    import httpx

    client = httpx.Client(base_url=base_url, timeout=10.0)
    path = "/api/v3/order/test" if test else "/api/v3/order"
    key = secret.encode()

    def place(seq: int) -> None:
        body = urllib.parse.urlencode(
            {
                "symbol": SYMBOL,
                "side": side_of(seq),
                "type": "MARKET",
                "quantity": QUANTITY,
                "newClientOrderId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-raw:{seq}")),
                "newOrderRespType": "FULL",
                "recvWindow": "5000",
                "timestamp": str(int(time.time() * 1000)),
            }
        )
        signature = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
        response = client.post(
            path,
            content=f"{body}&signature={signature}",
            headers={
                "X-MBX-APIKEY": api_key,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = response.json()
        if response.status_code != 200 or (not test and answer.get("status") != "FILLED"):
            raise PeerOrderError(f"raw httpx: HTTP {response.status_code} {answer}")

    return place, client.close


def ccxt_binance(base_url: str, api_key: str, secret: str, test: bool) -> tuple[OrderCall, Closer]:
    """ccxt's binance in sandbox mode with every API URL pointed at the loopback server, spot
    markets only, its rate limiter off."""
    import ccxt

    exchange = ccxt.binance(
        {
            "apiKey": api_key,
            "secret": secret,
            "enableRateLimit": False,
            "options": {"fetchMarkets": {"types": ["spot"]}, "fetchCurrencies": False},
        }
    )
    exchange.set_sandbox_mode(True)
    urls: dict[str, str] = exchange.urls["api"]
    for name, url in list(urls.items()):
        urls[name] = base_url + urllib.parse.urlsplit(url).path
    exchange.load_markets()  # once, outside the timed loop (exchangeInfo from the server)
    params: dict[str, Any] = {"test": True} if test else {}

    def place(seq: int) -> None:
        answer = exchange.create_order(
            "BTC/USDT", "market", side_of(seq).lower(), float(QUANTITY), params=params
        )
        if not isinstance(answer, dict) or (not test and answer.get("status") != "closed"):
            raise PeerOrderError(f"ccxt: unexpected answer {answer!r}")

    return place, lambda: None


def python_binance(
    base_url: str, api_key: str, secret: str, test: bool
) -> tuple[OrderCall, Closer]:
    """python-binance's Client(testnet=True) (requests) with its testnet URL pointed at the
    loopback server."""
    from binance.client import Client

    client = Client(api_key, secret, testnet=True, ping=False)
    client.API_TESTNET_URL = base_url + "/api"
    create = client.create_test_order if test else client.create_order

    def place(seq: int) -> None:
        answer = create(symbol=SYMBOL, side=side_of(seq), type="MARKET", quantity=QUANTITY)
        if not isinstance(answer, dict) or (not test and answer.get("status") != "FILLED"):
            raise PeerOrderError(f"python-binance: unexpected answer {answer!r}")

    return place, client.close_connection
