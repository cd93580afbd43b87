"""Section 4: REST calls per closed candle in a live-style session, and Kraken's counters.

A real `peak-trade session --exchange kraken_testnet` runs against the loopback server, whose
market runs 60x real time (a 1m candle closes every real second). The session polls every real
second, i.e. every 60 s of market time, like a live 1m session; the client's minimum spacing
(rate_limit_ms) is scaled by the same factor. The server's timeline, rescaled to market time,
is then replayed against Kraken's Starter-tier counters.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.loopback import loopback_server, new_key
from benchmarks.procs import ROOT, bench_env
from benchmarks.rate_counter import replay_kraken_counters
from benchmarks.report import Section, Table, Target
from benchmarks.startup import peak_trade_command

SPEED = 60.0
TARGET_CALLS = 1.1
FAST, SLOW = 3, 8

CONFIG_TEMPLATE = """\
# Written by benchmarks/api_budget.py: a live-style session against the loopback server.
[environment]
mode = "testnet"

[exchange.kraken_testnet]
base_url = "{base_url}"
api_key_env_var = "BENCH_KRAKEN_KEY"
api_secret_env_var = "BENCH_KRAKEN_SECRET"
validate_only = true
tier = "starter"
rate_limit_ms = {spacing_ms}
state_dir = "{state_dir}"

[testnet_session]
default_exchange = "kraken_testnet"
symbol = "BTC/EUR"
timeframe = "1m"
poll_interval_seconds = {poll}
warmup_candles = 30
strategy = "ma_crossover"

[strategy.ma_crossover]
fast_window = {fast}
slow_window = {slow}

[live_risk]
max_orders_per_minute = 10

[run_logging]
enabled = true
base_dir = "{log_dir}"

[alerts]
enabled = false
"""


def run_api_budget(
    work_dir: Path, candles: int, progress: Callable[[str], None] = print
) -> Section:
    """Run the session for about `candles` market minutes and count what it asked for."""
    section = Section(
        title="API budget: REST calls per closed candle, Kraken Starter counters",
        intro=(
            "A real `peak-trade session --exchange kraken_testnet` (validate-only) against the "
            "loopback server in its own process. The server's market runs 60x real time, the "
            "session polls every 1 s real = 60 s market time (like a live 1m session), "
            "rate_limit_ms 1000 is scaled to 16 ms for the same reason. Strategy "
            f"ma_crossover {FAST}/{SLOW} so that orders happen within a short run; "
            "30 warm-up candles."
        ),
    )
    key = new_key("session")
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-budget-", dir=work_dir) as tmp:
        root = Path(tmp)
        with loopback_server([key], root / "server.json", speed=SPEED) as server:
            config = root / "session.toml"
            config.write_text(
                CONFIG_TEMPLATE.format(
                    base_url=server.base_url,
                    spacing_ms=int(1000 / SPEED),
                    state_dir=(root / "state").as_posix(),
                    poll=1,
                    fast=FAST,
                    slow=SLOW,
                    log_dir=(root / "runs").as_posix(),
                ),
                encoding="utf-8",
            )
            minutes = candles / 60
            argv = [
                *peak_trade_command(),
                "session",
                "--config",
                str(config),
                "--exchange",
                "kraken_testnet",
                "--duration",
                f"{minutes:.4f}",
            ]
            section.commands.append(
                f"peak-trade session --config session.toml --exchange kraken_testnet "
                f"--duration {minutes:.4f}   # against python -m benchmarks.loopback --speed 60"
            )
            progress(f"  budget: live-style session for {candles} s against the loopback server")
            env = bench_env({"BENCH_KRAKEN_KEY": key[0], "BENCH_KRAKEN_SECRET": key[1]})
            done = subprocess.run(
                argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=candles * 10 + 120
            )
        summaries = list((root / "runs").glob("*/summary.json"))
        if done.returncode != 0 or not summaries:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            section.notes.append(f"the session exited {done.returncode}: {' '.join(tail)}")
            section.targets.append(Target("REST calls per closed candle <= 1.1", "no run", None))
            return section
        summary = json.loads(summaries[0].read_text(encoding="utf-8"))
    _report(section, server.stats, summary)
    return section


def _report(section: Section, stats: dict, summary: dict) -> None:  # type: ignore[type-arg]
    counts: dict[str, int] = stats.get("counts", {})
    processed = int(summary.get("candles_processed", 0))
    total = sum(counts.values())
    orders = int(summary.get("orders_submitted", 0))
    section.tables.append(
        Table(
            headers=("endpoint", "requests", "per closed candle"),
            rows=[
                (name, str(n), f"{n / processed:.2f}" if processed else "n/a")
                for name, n in sorted(counts.items(), key=lambda kv: -kv[1])
            ]
            + [("all", str(total), f"{total / processed:.2f}" if processed else "n/a")],
            caption=(
                f"Requests the server received ({processed} closed candles processed after "
                f"warm-up, {orders} orders submitted, status {summary.get('status')}):"
            ),
        )
    )
    timeline = [(t * SPEED, method, private) for t, method, private in stats.get("timeline", [])]
    replays = replay_kraken_counters(timeline, "starter")
    section.tables.append(
        Table(
            headers=(
                "counter (Starter tier)",
                "requests counted",
                "peak level",
                "maximum",
                "tripped",
            ),
            rows=[
                (
                    r.name,
                    str(r.requests),
                    f"{r.peak:.2f}",
                    f"{r.maximum:g}",
                    "yes" if r.tripped else "no",
                )
                for r in replays
            ],
            caption=(
                "The recorded request timeline, rescaled to market time (x60), replayed against "
                "Kraken's counters (REST: +1 per private call, +2 for history calls, -0.33/s, "
                "max 15; orders: +1 per AddOrder incl. validate-only, -1/s, max 60):"
            ),
        )
    )
    if processed:
        # One-time calls: the AssetPairs load and the warm-up OHLC request.
        steady = total - counts.get("AssetPairs", 0) - 1
        polling = counts.get("OHLC", 0) - 1
        order_calls = steady - polling
        section.targets.append(
            Target(
                f"REST calls per closed candle per symbol <= {TARGET_CALLS}",
                f"{steady / processed:.2f} after start-up ({polling / processed:.2f} polling "
                f"OHLC + {order_calls / processed:.2f} for {orders} orders, i.e. "
                f"{order_calls / orders if orders else 0:.1f} calls per order); "
                f"{total / processed:.2f} with start-up",
                steady / processed <= TARGET_CALLS,
            )
        )
    else:
        section.targets.append(Target("REST calls per closed candle <= 1.1", "no candles", None))
    section.targets.append(
        Target(
            "a Starter-tier session never trips Kraken's counters",
            "; ".join(
                f"{r.name.split(' (')[0]}: peak {r.peak:.2f}/{r.maximum:g}" for r in replays[:2]
            ),
            not any(r.tripped for r in replays[:2]),
        )
    )
    section.notes.append(
        "The verdict counts every request after start-up, order calls included. Polling alone "
        "stays near one OHLC call per candle; each order adds its Ticker request(s) and the "
        "AddOrder. The ma_crossover 3/8 used here orders far more often than the 20/50 of "
        "section 1 (about one order per 45 candles there), so this run is a busy case."
    )
    section.notes.append(
        "Only private calls count on Kraken's REST counter (public OHLC/Ticker are throttled "
        "per IP, without a published number); AddOrder, validate-only included, counts on the "
        "per-pair order counter instead. The third counter row charges every request, public "
        "ones included, to the REST counter: a stricter check than Kraken's own."
    )
