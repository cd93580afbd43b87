"""Binance order path: client CPU per order and orders/s, executed and test orders, vs peers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.binance_loopback import binance_loopback_server
from benchmarks.loopback import new_key
from benchmarks.order_tables import client_table, cpu_per_order, time_clients
from benchmarks.profiling import profile_table
from benchmarks.report import Section, Table
from benchmarks.stats import fmt_ratio, ratio

WORKER = "benchmarks.binance_order_worker"
CLIENTS = {
    "peak_trade": "peak_trade: executor -> BinanceTestnetClient, MARKET order executed, "
    "followed to FILLED, real fills booked (run log written, fsynced)",
    "peak_trade_nolog": "peak_trade: same, NullEventLog (--no-logging)",
    "raw_httpx": "raw httpx: sign + POST /api/v3/order only (the floor)",
    "ccxt": "ccxt 4.5.90 binance, sandbox mode -> loopback, create_order market, rate limiter off",
    "python_binance": "python-binance 1.0.37 Client(testnet=True) -> loopback, create_order MARKET",
    "peak_trade_test": "peak_trade: validate_only = true, POST /api/v3/order/test, "
    "simulated fill booked (run log written, fsynced)",
    "peak_trade_nolog_test": "peak_trade: test orders, NullEventLog (--no-logging)",
    "raw_httpx_test": "raw httpx: sign + POST /api/v3/order/test only",
    "ccxt_test": "ccxt 4.5.90 binance create_order(params={'test': True})",
    "python_binance_test": "python-binance 1.0.37 create_test_order",
}
# (mode, peak_trade rows, floor row, peer rows) compared side by side
COMPARED = (
    ("executed", ("peak_trade", "peak_trade_nolog"), "raw_httpx", ("ccxt", "python_binance")),
    (
        "test order",
        ("peak_trade_test", "peak_trade_nolog_test"),
        "raw_httpx_test",
        ("ccxt_test", "python_binance_test"),
    ),
)


def run_binance_order_path(
    work_dir: Path, orders: int, rounds: int, progress: Callable[[str], None] = print
) -> Section:
    """Every client against one loopback Binance server process, each in its own process."""
    section = Section(
        title="Order path: Binance Spot MARKET orders against the loopback Binance server",
        intro=(
            "One loopback Binance-compatible server (tests/support/binance_server.py: HMAC "
            "signatures checked, a matching engine, FULL answers; request-weight limit lifted) "
            "runs in its own process, so its CPU is not counted; each client runs in a fresh "
            "process with its own API key and account, sends 20 untimed warm-up orders, then "
            f"{rounds} timed rounds of {orders} MARKET orders (alternating buy and sell of "
            "0.001 BTC on BTC/USDT). Executed orders fill at once on the loopback book; the "
            "`test` rows send the same orders to /api/v3/order/test. CPU = "
            "time.process_time() of the client process per order; orders/s from wall time."
        ),
    )
    section.commands.append(
        f"python -m {WORKER} <client> <server url> {orders} {rounds}   # per client"
    )
    keys = {name: new_key(f"binance-{name}") for name in (*CLIENTS, "profile")}
    work_dir.mkdir(parents=True, exist_ok=True)
    stats_out = work_dir / "loopback-binance-orders.json"
    with binance_loopback_server(list(keys.values()), stats_out) as server:
        results, profile = time_clients(
            section,
            worker=WORKER,
            base_url=server.base_url,
            clients=CLIENTS,
            keys=keys,
            orders=orders,
            rounds=rounds,
            label="binance orders",
            progress=progress,
        )
    client_table(
        section,
        results,
        orders=orders,
        rounds=rounds,
        stats=server.stats,
        clients=CLIENTS,
        what="order",
    )
    _comparison(section, results, orders)
    _notes(section, server.stats, results, orders, rounds)
    if profile is not None:
        section.tables.append(
            profile_table(
                profile,
                "Where peak_trade's executed-order path spends its time: cProfile, top 15 by "
                "own time (wall clock, so waits such as fsync and socket reads show) over "
                f"{profile['orders']} orders in the client process:",
            )
        )
    return section


def _comparison(section: Section, results: dict[str, dict[str, Any]], orders: int) -> None:
    """peak_trade's CPU per order against the floor and each peer, per mode (no target was
    set for this path: the figures are reported as measured)."""
    rows = []
    for mode, ours, floor, peers in COMPARED:
        for name in ours:
            if name not in results:
                continue
            cpu = cpu_per_order(results[name], orders)
            cells = [mode, "run log" if "nolog" not in name else "no run log"]
            for other in (floor, *peers):
                theirs = results.get(other)
                cells.append(
                    fmt_ratio(ratio(cpu, cpu_per_order(theirs, orders))) if theirs else "n/a"
                )
            rows.append(tuple(cells))
    if rows:
        section.tables.append(
            Table(
                headers=("orders", "peak_trade", "vs raw httpx", "vs ccxt", "vs python-binance"),
                rows=rows,
                caption="peak_trade's CPU per order as a multiple of the others' (medians):",
            )
        )


def _notes(
    section: Section,
    stats: dict[str, Any],
    results: dict[str, dict[str, Any]],
    orders: int,
    rounds: int,
) -> None:
    counts = stats.get("counts", {})
    executed = sum(1 for n in ("peak_trade", "peak_trade_nolog") if n in results)
    peak_orders = executed * (20 + rounds * orders) + (
        20 + orders if "peak_trade" in results else 0
    )
    lookups, trades = counts.get("GET /api/v3/order", 0), counts.get("GET /api/v3/myTrades", 0)
    if peak_orders:
        section.notes.append(
            f"For {peak_orders} executed peak_trade orders the server answered {lookups} order "
            f"lookups and {trades} myTrades reads ({lookups / peak_orders:.1f} and "
            f"{trades / peak_orders:.1f} per order): the peers send the POST and read the FULL "
            "answer only, while peak_trade follows every accepted order to a final state "
            "(GET /api/v3/order) and books its fills from the account's trade list "
            "(GET /api/v3/myTrades: trade ids, commissions and a BNB commission's asset), so "
            "each executed order is three signed round trips against the peers' one. The "
            "reference price for the risk check comes from bookTicker + ticker/price, shared "
            "through the adapter's 1 s ticker cache. The fsynced run-log events (risk_decision, "
            "order_intent, two order_result, fill) are the other large part, as the two "
            "executed peak_trade rows and the profile show."
        )
