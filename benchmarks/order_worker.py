"""Worker process for one order-path client: `python -m benchmarks.order_worker NAME URL N R`.

Places validate-only AddOrders against the loopback server (alternating buy/sell of 0.001 BTC
on BTC/EUR), 20 untimed warm-up orders first, then R timed rounds of N orders each. The API key
and secret come from $BENCH_API_KEY / $BENCH_API_SECRET. Prints one JSON line: client CPU
seconds (time.process_time) and wall seconds per round.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.order_timing import worker_main

WARMUP_ORDERS = 20
KEY_VAR = "BENCH_API_KEY"
SECRET_VAR = "BENCH_API_SECRET"

CONFIG_TEMPLATE = """\
# Written by benchmarks/order_worker.py: the executor -> Kraken adapter -> loopback path.
[environment]
mode = "testnet"

[exchange.kraken_testnet]
base_url = "{base_url}"
api_key_env_var = "{key_var}"
api_secret_env_var = "{secret_var}"
validate_only = true
tier = "starter"
rate_limit_ms = 1000
state_dir = "{state_dir}"

[testnet_session]
default_exchange = "kraken_testnet"
symbol = "BTC/EUR"
fee_rate = 0.0026
slippage_bps = 5

[live_risk]
enabled = true
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


class SkipSleepClock:
    """System time plus a virtual offset: `sleep` adds to the offset instead of blocking.

    The Kraken adapter's rate limiter still computes and books every wait (its code runs);
    the waits themselves are skipped, like the peers' disabled limiters, and reported.
    """

    def __init__(self) -> None:
        self.skipped = 0.0

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.skipped)

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.skipped += seconds


def peak_trade_executor(
    config_path: Path, venue: str, work: Path, *, logging: bool, quote: str, cash: int, seed: int
) -> tuple[Any, str, SkipSleepClock]:
    """(executor, run id, clock): the executor a session builds from `config_path` for `venue`,
    on a SkipSleepClock, with a run log under `work` (fsynced as a session's) or, without
    `logging`, a NullEventLog."""
    import os
    import random

    from peak_trade.adapters.runlog.writer import NullEventLog, RunLogWriter
    from peak_trade.app.bootstrap import create_testnet_executor_from_config, venue_exchange
    from peak_trade.app.config import load_config
    from peak_trade.domain.ids import new_run_id
    from peak_trade.domain.portfolio import Portfolio

    config = load_config(config_path)
    clock = SkipSleepClock()
    exchange = venue_exchange(config, venue, clock, dict(os.environ))
    run_id = new_run_id(datetime.now(UTC), random.Random(seed))
    event_log: Any = RunLogWriter(work / "runs", run_id, clock) if logging else NullEventLog(run_id)
    portfolio = Portfolio(base_currency=quote, cash=Decimal(cash))
    executor = create_testnet_executor_from_config(
        config, exchange=exchange, portfolio=portfolio, clock=clock, event_log=event_log
    )
    return executor, run_id, clock


def _peak_trade(base_url: str, logging: bool, work: Path) -> tuple[Callable[[int], None], Any]:
    from peak_trade.domain.ids import client_order_id
    from peak_trade.domain.orders import ExecutionStatus, OrderRequest, OrderSide
    from peak_trade.domain.symbols import Symbol

    path = work / "orders.toml"
    path.write_text(
        CONFIG_TEMPLATE.format(
            base_url=base_url,
            key_var=KEY_VAR,
            secret_var=SECRET_VAR,
            state_dir=(work / "state").as_posix(),
        ),
        encoding="utf-8",
    )
    executor, run_id, clock = peak_trade_executor(
        path, "kraken_testnet", work, logging=logging, quote="EUR", cash=100000, seed=7
    )
    symbol = Symbol.parse("BTC/EUR")

    def place(seq: int) -> None:
        side = OrderSide.BUY if seq % 2 == 0 else OrderSide.SELL
        order = OrderRequest(
            symbol=symbol,
            side=side,
            quantity=Decimal("0.001"),
            client_order_id=client_order_id(run_id, seq),
        )
        result = executor.execute(order)
        if result.status is not ExecutionStatus.VALIDATED:
            raise RuntimeError(f"order {seq}: {result.status.value}: {result.message}")

    return place, clock


def _client(name: str, base_url: str, work: Path) -> tuple[Callable[[int], None], Any]:
    import os

    key, secret = os.environ[KEY_VAR], os.environ[SECRET_VAR]
    if name == "peak_trade":
        return _peak_trade(base_url, logging=True, work=work)
    if name == "peak_trade_nolog":
        return _peak_trade(base_url, logging=False, work=work)
    from benchmarks import order_peers

    factory = {
        "raw_httpx": order_peers.raw_httpx,
        "ccxt": order_peers.ccxt_kraken,
        "kraken_sdk": order_peers.kraken_sdk,
    }[name]
    place, _close = factory(base_url, key, secret)
    return place, None


def main() -> None:
    worker_main(__doc__, _client, WARMUP_ORDERS, "bench-orders-")


if __name__ == "__main__":
    main()
