"""The loopback server runs as `python -m tests.support.binance_server` for e2e runs."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx

from peak_trade.adapters.binance import (
    BinanceCredentials,
    BinanceTestnetClient,
    BinanceTestnetConfig,
)
from peak_trade.adapters.clocks import SystemClock
from peak_trade.domain.orders import AckStatus, OrderRequest, OrderSide
from peak_trade.domain.symbols import Symbol, Timeframe

ROOT = Path(__file__).resolve().parents[3]


def test_module_prints_its_base_url_and_serves_signed_requests() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.binance_server", "--port", "0", "--speed", "60",
         "--key", "cliKey", "--secret", "cli-secret"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        config = BinanceTestnetConfig(base_url=base_url)
        credentials = BinanceCredentials.hmac("cliKey", "cli-secret")
        paths: list[str] = []
        hooks = {"request": [lambda request: paths.append(request.url.path)]}
        with (
            httpx.Client(event_hooks=hooks) as http,
            BinanceTestnetClient(
                config, SystemClock(), http=http, credentials=credentials
            ) as client,
        ):
            btc = Symbol.parse("BTC/USDT")
            assert client.ticker(btc).last > 0
            assert client.balances()["USDT"] > 0
            time.sleep(0.3)  # 18 s of market time at speed 60: timestamps stay on the wall clock
            assert client.balances()["USDT"] > 0
            assert client.candles(btc, Timeframe.M1).forming is not None
            order = OrderRequest(
                symbol=btc,
                side=OrderSide.BUY,
                quantity=Decimal("0.001"),
                client_order_id=f"cli-{datetime.now(UTC):%H%M%S%f}",
            )
            assert client.submit_order(order).status is AckStatus.ACCEPTED
        assert paths.count("/api/v3/time") == 1  # never a -1021 and a resync
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
