"""Section 2: validate-only order path, client CPU per order and orders/s, vs peer clients."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.loopback import loopback_server, new_key
from benchmarks.order_tables import client_table, cpu_per_order, time_clients
from benchmarks.profiling import profile_table
from benchmarks.report import Section, Target
from benchmarks.stats import fmt_num, ratio

WORKER = "benchmarks.order_worker"
TARGET_RATIO = 1.2
CLIENTS = {
    "peak_trade": "peak_trade: executor -> KrakenTestnetClient (run log written, fsynced)",
    "peak_trade_nolog": "peak_trade: same, NullEventLog (--no-logging)",
    "raw_httpx": "raw httpx: sign + POST only (the floor)",
    "ccxt": "ccxt 4.5.90 kraken create_order(validate=True), rate limiter off",
    "kraken_sdk": "python-kraken-sdk 3.5.1 Trade.create_order(validate=True)",
}
PEERS = {"ccxt": "ccxt", "kraken_sdk": "python-kraken-sdk"}


def run_order_path(
    work_dir: Path, orders: int, rounds: int, progress: Callable[[str], None] = print
) -> Section:
    """Every client against one loopback server process, each client in its own process."""
    section = Section(
        title="Order path: validate-only AddOrder against the loopback Kraken server",
        intro=(
            "One loopback Kraken-compatible server (tests/support/kraken_server.py) runs in its "
            "own process, so its CPU is not counted; each client runs in a fresh process with "
            f"its own API key (nonces are per key), sends 20 untimed warm-up orders, then "
            f"{rounds} timed rounds of {orders} validate-only market orders (alternating buy "
            "and sell of 0.001 BTC on BTC/EUR). CPU = time.process_time() of the client "
            "process per order; orders/s from wall time."
        ),
    )
    section.commands.append(
        f"python -m {WORKER} <client> <server url> {orders} {rounds}   # per client"
    )
    # The profile run gets its own key: the skip-sleep clock moves peak_trade's time-based
    # nonces ahead, so a second process on the same key would start below the server's mark.
    keys = {name: new_key(name) for name in (*CLIENTS, "profile")}
    work_dir.mkdir(parents=True, exist_ok=True)
    with loopback_server(list(keys.values()), work_dir / "loopback-orders.json") as server:
        results, profile = time_clients(
            section,
            worker=WORKER,
            base_url=server.base_url,
            clients=CLIENTS,
            keys=keys,
            orders=orders,
            rounds=rounds,
            label="orders",
            progress=progress,
        )
    client_table(
        section,
        results,
        orders=orders,
        rounds=rounds,
        stats=server.stats,
        clients=CLIENTS,
        what="validate-only order",
    )
    _targets(section, results, orders)
    _notes(section, results, server.stats, orders, rounds)
    if profile is not None:
        _profile_table(section, profile)
    return section


def _targets(section: Section, results: dict[str, dict[str, Any]], orders: int) -> None:
    peak = results.get("peak_trade")
    floor = results.get("raw_httpx")
    if peak is None or floor is None:
        section.targets.append(
            Target(f"CPU/order <= {TARGET_RATIO}x raw httpx", "not measured", None)
        )
        return
    peak_cpu = cpu_per_order(peak, orders)
    r = ratio(peak_cpu, cpu_per_order(floor, orders))
    section.targets.append(
        Target(
            f"CPU/order <= {TARGET_RATIO}x the raw-httpx floor (risk, rules, signing, "
            "limiter, mapping, run log included)",
            f"{fmt_num(peak_cpu.median)} us = {r:.2f}x",
            r <= TARGET_RATIO,
        )
    )
    for peer in PEERS:
        if peer not in results:
            section.targets.append(Target(f"faster than {peer}", "peer not measurable", None))
            continue
        peer_cpu = cpu_per_order(results[peer], orders)
        section.targets.append(
            Target(
                f"less CPU per order than {PEERS[peer]}",
                f"{fmt_num(peak_cpu.median)} vs {fmt_num(peer_cpu.median)} us",
                peak_cpu.median < peer_cpu.median,
            )
        )


def _notes(
    section: Section,
    results: dict[str, dict[str, Any]],
    stats: dict[str, Any],
    orders: int,
    rounds: int,
) -> None:
    peak = results.get("peak_trade")
    if peak is not None:
        per_order = peak.get("skipped", 0.0) / ((rounds * orders) + 20)
        section.notes.append(
            "peak_trade's rate limiter (Starter tier: REST counter 15 @ 0.33/s, order counter "
            "60 @ 1/s, rate_limit_ms = 1000) runs on every request; its waits go through the "
            "ClockPort, which the benchmark gives a clock that skips sleeping (the peers run "
            f"with their limiters off). It asked to wait {per_order:.2f} s per order on "
            "average; a real Starter key is limited to about one validate-only order per "
            "second by Kraken's counters, which no client can beat."
        )
    counts = stats.get("counts", {})
    tickers = counts.get("Ticker", 0)
    peak_orders = sum(1 for name in ("peak_trade", "peak_trade_nolog") if name in results) * (
        20 + rounds * orders
    ) + (20 + orders if "peak_trade" in results else 0)
    if tickers and peak_orders:
        section.notes.append(
            f"The server saw {tickers} Ticker requests for {peak_orders} peak_trade orders "
            f"({tickers / peak_orders:.1f} per order; the peers never ask for a ticker): each "
            "peak_trade order is a public Ticker round trip for the reference price plus the "
            "AddOrder, while the peers send AddOrder only. The executor's risk check and the "
            "adapter's minimum-cost check share that Ticker through the adapter's 1 s ticker "
            "cache; the next order cannot reuse it, because the Starter spacing "
            "(rate_limit_ms = 1000) puts every request at least 1 s after the previous one on "
            "the adapter's clock, so a ticker is always older than 1 s by then. Two HTTP "
            "round trips per order against the floor's one bound the CPU ratio at about 2x "
            "with httpx. The fsynced run-log events (risk_decision, order_intent, "
            "order_result, simulated_fill) are the other large part, as the two peak_trade "
            "rows and the profile show."
        )


def _profile_table(section: Section, profile: dict[str, Any]) -> None:
    section.tables.append(
        profile_table(
            profile,
            "Where peak_trade's order path spends its time: cProfile, top 15 by own time "
            "(wall clock, so waits such as fsync and socket reads show) over "
            f"{profile['orders']} orders in the client process:",
        )
    )
