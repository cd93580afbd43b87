"""Worker process for one Binance order-path client:
`python -m benchmarks.binance_order_worker NAME URL N R [--profile K]`.

Places MARKET orders (alternating buy/sell of 0.001 BTC on BTC/USDT) against the loopback
Binance server - executed, or test orders for the `*_test` clients - 20 untimed warm-up orders
first, then R timed rounds of N orders. The API key and secret come from $BENCH_API_KEY /
$BENCH_API_SECRET. Prints one JSON line: client CPU seconds (time.process_time) and wall
seconds per round.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.order_timing import worker_main
from benchmarks.order_worker import KEY_VAR, SECRET_VAR, WARMUP_ORDERS, peak_trade_executor

CONFIG_TEMPLATE = """\
# Written by benchmarks/binance_order_worker.py: the executor -> Binance adapter -> loopback path.
[environment]
mode = "testnet"

[exchange.binance_testnet]
base_url = "{base_url}"
api_key_env_var = "{key_var}"
api_secret_env_var = "{secret_var}"
validate_only = {validate_only}
timeout_seconds = 10.0
max_retries = 0

[testnet_session]
default_exchange = "binance_testnet"
symbol = "BTC/USDT"
fee_rate = 0.001
slippage_bps = 5
order_follow_timeout_seconds = 10

[live_risk]
enabled = true
base_currency = "USDT"
max_order_notional = 1500
max_symbol_exposure_notional = 2500
max_total_exposure_notional = 5000
max_open_positions = 3
max_daily_loss_abs = 500
max_daily_loss_pct = 5
max_orders_per_minute = 1000000

[alerts]
enabled = false
"""


def _peak_trade(
    base_url: str, *, logging: bool, validate_only: bool, work: Path
) -> tuple[Callable[[int], None], Any]:
    from peak_trade.domain.ids import client_order_id
    from peak_trade.domain.orders import ExecutionStatus, OrderRequest, OrderSide
    from peak_trade.domain.symbols import Symbol

    path = work / "binance-orders.toml"
    path.write_text(
        CONFIG_TEMPLATE.format(
            base_url=base_url,
            key_var=KEY_VAR,
            secret_var=SECRET_VAR,
            validate_only="true" if validate_only else "false",
        ),
        encoding="utf-8",
    )
    executor, run_id, clock = peak_trade_executor(
        path, "binance_testnet", work, logging=logging, quote="USDT", cash=1000000, seed=11
    )
    symbol = Symbol.parse("BTC/USDT")
    wanted = ExecutionStatus.VALIDATED if validate_only else ExecutionStatus.FILLED

    def place(seq: int) -> None:
        order = OrderRequest(
            symbol=symbol,
            side=OrderSide.BUY if seq % 2 == 0 else OrderSide.SELL,
            quantity=Decimal("0.001"),
            client_order_id=client_order_id(run_id, seq),
        )
        result = executor.execute(order)
        if result.status is not wanted:
            raise RuntimeError(f"order {seq}: {result.status.value}: {result.message}")

    return place, clock


def _client(name: str, base_url: str, work: Path) -> tuple[Callable[[int], None], Any]:
    if name.startswith("peak_trade"):
        return _peak_trade(
            base_url,
            logging="_nolog" not in name,
            validate_only=name.endswith("_test"),
            work=work,
        )
    from benchmarks import binance_order_peers

    factory = {
        "raw_httpx": binance_order_peers.raw_httpx,
        "ccxt": binance_order_peers.ccxt_binance,
        "python_binance": binance_order_peers.python_binance,
    }[name.removesuffix("_test")]
    key, secret = os.environ[KEY_VAR], os.environ[SECRET_VAR]
    place, _close = factory(base_url, key, secret, name.endswith("_test"))
    return place, None


def main() -> None:
    worker_main(__doc__, _client, WARMUP_ORDERS, "bench-binance-orders-")


if __name__ == "__main__":
    main()
