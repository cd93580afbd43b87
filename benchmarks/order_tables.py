"""The client-CPU table both order-path sections print (Kraken and Binance)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from benchmarks.procs import bench_env, run_worker
from benchmarks.report import Section, Table
from benchmarks.stats import Sample, fmt_ratio, fmt_sample, ratio


def time_clients(
    section: Section,
    *,
    worker: str,
    base_url: str,
    clients: Mapping[str, str],
    keys: Mapping[str, tuple[str, str]],
    orders: int,
    rounds: int,
    label: str,
    progress: Callable[[str], None],
) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """Each client's worker in its own process against the server at `base_url` (each with its
    own API key), then one profiled peak_trade run (key `profile`); a client that cannot be
    measured is a note in `section`. Returns (results by client, the profile or None)."""

    def env(key: tuple[str, str]) -> dict[str, str]:
        return bench_env({"BENCH_API_KEY": key[0], "BENCH_API_SECRET": key[1]})

    results: dict[str, dict[str, Any]] = {}
    for name in clients:
        progress(f"  {label}: {name} {rounds}x{orders}")
        args = [name, base_url, str(orders), str(rounds)]
        try:
            results[name] = run_worker(worker, args, timeout=900, env=env(keys[name]))
        except Exception as exc:
            section.notes.append(f"{clients[name]}: not measurable: {exc}")
    if "peak_trade" not in results:
        return results, None
    progress(f"  {label}: peak_trade profile")
    args = ["peak_trade", base_url, str(orders), "1", "--profile", "15"]
    try:
        return results, run_worker(worker, args, timeout=900, env=env(keys["profile"]))
    except Exception as exc:
        section.notes.append(f"profiling the {label} path failed: {exc}")
        return results, None


def cpu_per_order(result: dict[str, Any], orders: int) -> Sample:
    """A worker's client CPU per order, in microseconds, one value per round."""
    return Sample(tuple(c / orders for c in result["cpu"])).scaled(1e6, "us")


def client_table(
    section: Section,
    results: dict[str, dict[str, Any]],
    *,
    orders: int,
    rounds: int,
    stats: dict[str, Any],
    clients: Mapping[str, str],
    what: str,
) -> None:
    """CPU and throughput per client beside the raw-httpx floor, and the server's request
    counts; `what` names the orders in the caption ("validate-only order", "order")."""
    floor = results.get("raw_httpx")
    floor_cpu = cpu_per_order(floor, orders) if floor else None
    rows = []
    for name, result in results.items():
        cpu = cpu_per_order(result, orders)
        rate = Sample(tuple(orders / w for w in result["wall"]))
        cpu_med, cpu_spread = fmt_sample(cpu)
        rate_med, rate_spread = fmt_sample(rate)
        rows.append(
            (
                clients[name],
                cpu_med,
                cpu_spread,
                fmt_ratio(ratio(cpu, floor_cpu)) if floor_cpu else "n/a",
                rate_med,
                rate_spread,
                str(cpu.runs),
            )
        )
    section.tables.append(
        Table(
            headers=(
                "client",
                "CPU us/order (median)",
                "min - max",
                "CPU vs raw httpx",
                "orders/s (median)",
                "orders/s min - max",
                "rounds",
            ),
            rows=rows,
            caption=f"Client CPU per {what} ({rounds} rounds x {orders} orders):",
        )
    )
    counts = stats.get("counts", {})
    if counts:
        section.tables.append(
            Table(
                headers=("endpoint", "requests"),
                rows=sorted((k, str(v)) for k, v in counts.items()),
                caption=(
                    "Requests the server received from all clients together "
                    "(warm-up, timed rounds and the profile run included):"
                ),
            )
        )
