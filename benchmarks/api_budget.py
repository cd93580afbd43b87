"""Section 4: REST calls per closed candle in a live-style session, and Kraken's counters.

A real `peak-trade session --exchange kraken_testnet` runs against the loopback server, whose
market runs SPEED x real time (a 1m candle closes every 0.1 real seconds at 600x). The session
polls once per candle of market time, like a live 1m session, with the benchmark's standard
strategy (ma_crossover 20/50, as in section 1); the client's minimum spacing (rate_limit_ms)
is scaled by the same factor. Requests are split into OHLC polling per candle and order calls
(Ticker + AddOrder) per order; the server's timeline, rescaled to market time, is replayed
against Kraken's Starter-tier counters.
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

SPEED = 600.0
TARGET_CALLS = 1.1
FAST, SLOW = 20, 50
WARMUP = 60
ORDER_ENDPOINTS = ("Ticker", "AddOrder")

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
warmup_candles = {warmup}
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


def _spacing_ms() -> int:
    """rate_limit_ms 1000 scaled to the market's speed (at least 1 ms)."""
    return max(1, round(1000 / SPEED))


def run_api_budget(
    work_dir: Path, seconds: int, progress: Callable[[str], None] = print
) -> Section:
    """Run the session for `seconds` of real time (SPEED x as many market seconds) and count."""
    candles = int(seconds * SPEED / 60)
    section = Section(
        title="API budget: REST calls per closed candle, Kraken Starter counters",
        intro=(
            "A real `peak-trade session --exchange kraken_testnet` (validate-only) against the "
            f"loopback server in its own process. The server's market runs {SPEED:g}x real "
            f"time, the session polls every {60 / SPEED:g} s real = 60 s market time (like a "
            f"live 1m session), rate_limit_ms 1000 is scaled to {_spacing_ms()} ms for the same "
            f"reason. Strategy ma_crossover {FAST}/{SLOW} (the benchmark's standard strategy, "
            f"section 1), {WARMUP} warm-up candles, about {candles} market minutes."
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
                    spacing_ms=_spacing_ms(),
                    state_dir=(root / "state").as_posix(),
                    poll=f"{60 / SPEED:g}",
                    warmup=WARMUP,
                    fast=FAST,
                    slow=SLOW,
                    log_dir=(root / "runs").as_posix(),
                ),
                encoding="utf-8",
            )
            minutes = seconds / 60  # --duration runs on the session's (real) clock
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
                f"--duration {minutes:.4f}   # against python -m benchmarks.loopback "
                f"--speed {SPEED:g}"
            )
            progress(f"  budget: live-style session for {seconds} s against the loopback server")
            env = bench_env({"BENCH_KRAKEN_KEY": key[0], "BENCH_KRAKEN_SECRET": key[1]})
            done = subprocess.run(
                argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds * 10 + 120
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
                f"The recorded request timeline, rescaled to market time (x{SPEED:g}), replayed "
                "against Kraken's counters (REST: +1 per private call, +2 for history calls, "
                "-0.33/s, max 15; orders: +1 per AddOrder incl. validate-only, -1/s, max 60):"
            ),
        )
    )
    if processed:
        _budget_target(section, counts, processed, orders)
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
        "The verdict counts every request after start-up, order calls included: OHLC polls "
        "(the warm-up request excluded) per closed candle, plus each order's Ticker (one per "
        "order: the executor's reference price and the adapter's minimum-cost check share it "
        "through the adapter's 1 s ticker cache) and its AddOrder. Polling once per candle "
        "length lands on a closed candle about once per poll; a poll that lands just before "
        "the server's candle closes finds nothing new and the next one finds two, so the "
        "OHLC rate converges to 1.0 per candle as the run gets longer."
    )
    section.notes.append(
        f"Time is compressed {SPEED:g}x: the adapter's 1 s ticker cache spans "
        f"{SPEED / 60:g} market minutes here, so two orders within that many candles could "
        "share a Ticker that a live session (1 candle = 60 s) would fetch twice; the table "
        "shows Ticker and AddOrder counts so that case is visible (Ticker < AddOrder)."
    )
    section.notes.append(
        "Only private calls count on Kraken's REST counter (public OHLC/Ticker are throttled "
        "per IP, without a published number); AddOrder, validate-only included, counts on the "
        "per-pair order counter instead. The third counter row charges every request, public "
        "ones included, to the REST counter: a stricter check than Kraken's own."
    )


def _budget_target(section: Section, counts: dict[str, int], processed: int, orders: int) -> None:
    """OHLC polls per candle, order calls per order, and their total per candle vs 1.1."""
    polling = counts.get("OHLC", 0) - 1  # the warm-up request is start-up
    order_calls = sum(counts.get(name, 0) for name in ORDER_ENDPOINTS)
    startup = counts.get("AssetPairs", 0) + 1
    steady = sum(counts.values()) - startup
    per_order = f"{order_calls / orders:.2f} calls per order" if orders else "no orders"
    section.targets.append(
        Target(
            f"REST calls per closed candle per symbol <= {TARGET_CALLS}",
            f"{steady / processed:.3f} after start-up = {polling / processed:.3f} OHLC polls "
            f"per candle + {order_calls / processed:.3f} for {orders} orders ({per_order}); "
            f"{(steady + startup) / processed:.3f} with start-up",
            steady / processed <= TARGET_CALLS,
        )
    )
