"""Section 4: REST calls per closed candle per symbol in live-style sessions of 1, 5 and 20
symbols, and Kraken's Starter-tier counters (the live-clock part: benchmarks/budget_live.py).

A real `peak-trade session --exchange kraken_testnet` runs against the loopback server, whose
market runs SPEED x real time (a 1m candle closes every 0.1 real seconds at 600x). The session
polls once per candle of market time, like a live 1m session, with the benchmark's standard
strategy (ma_crossover 20/50, as in section 1); the client's minimum spacing (rate_limit_ms)
is scaled by the same factor. Portfolios of 5 and 20 symbols run at a lower speed, so that a
poll of every symbol still fits in one candle's share of real time. Requests are split into
OHLC polling per candle and order calls (Ticker + AddOrder) per order; the server's timeline,
rescaled to market time, is replayed against Kraken's Starter-tier counters.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from benchmarks.budget_live import run_live_budget
from benchmarks.budget_markets import BUNDLED, TEMPLATE_PAIR, budget_symbols, extra_pairs
from benchmarks.budget_report import SETUPS, BudgetRun, BudgetSetup, report
from benchmarks.loopback import loopback_server, new_key
from benchmarks.procs import ROOT, bench_env
from benchmarks.report import Section, Target
from benchmarks.startup import peak_trade_command

POLL_MARKET_SECONDS = 60  # every session polls once a minute of market time
FAST, SLOW = 20, 50
WARMUP = 60

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
symbols = [{symbols}]
timeframe = "{timeframe}"
poll_interval_seconds = {poll}
warmup_candles = {warmup}
strategy = "ma_crossover"
position_fraction = 0.04

[strategy.ma_crossover]
fast_window = {fast}
slow_window = {slow}

[live_risk]
# 10 orders per market minute; the session's clock runs in real time ({speed:g}x slower)
max_orders_per_minute = {orders_per_minute}
max_open_positions = {count}
max_total_exposure_notional = 10000

[run_logging]
enabled = true
base_dir = "{log_dir}"

[alerts]
enabled = false
"""


def _spacing_ms(speed: float) -> int:
    """rate_limit_ms 1000 scaled to the market's speed (at least 1 ms)."""
    return max(1, round(1000 / speed))


def run_api_budget(
    work_dir: Path, seconds: int, progress: Callable[[str], None] = print
) -> Section:
    """One session per setup (1, 5, 20 symbols), each for `seconds` of real time."""
    section = Section(
        title="API budget: REST calls per closed candle per symbol, Kraken Starter counters",
        intro=(
            "Real `peak-trade session --exchange kraken_testnet` runs (validate-only) against "
            "the loopback server in its own process, trading 1, 5 and 20 EUR symbols under one "
            "portfolio. The server's market runs faster than real time ("
            + ", ".join(f"{setup.label}: {setup.speed:g}x" for setup in SETUPS)
            + f"); every session polls each {POLL_MARKET_SECONDS} s of market time, like a live "
            "session with poll_interval_seconds = 60, and rate_limit_ms 1000 is scaled by the "
            f"same factor. Strategy ma_crossover {FAST}/{SLOW} (the benchmark's standard "
            f"strategy, section 1) per symbol, {WARMUP} warm-up candles, position_fraction 0.04, "
            f"{seconds} s of real time per run. Compressed time cannot show how polls line "
            "up with candle closes on a live clock, so a second part runs the same session "
            "in virtual time against a market that follows the session's clock (below)."
        ),
    )
    runs: list[BudgetRun] = []
    for setup in SETUPS:
        progress(f"  budget: {setup.label} session for {seconds} s against the loopback server")
        run = _run_session(section, work_dir, setup, seconds)
        if run is not None:
            runs.append(run)
    if runs:
        report(section, runs)
    run_live_budget(section, seconds, progress)
    return section


def _run_session(
    section: Section, work_dir: Path, setup: BudgetSetup, seconds: int
) -> BudgetRun | None:
    key = new_key("session")
    count, speed = setup.symbols, setup.speed
    symbols = budget_symbols(count)
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-budget-", dir=work_dir) as tmp:
        root = Path(tmp)
        pairs = extra_pairs(_template_pair()) if count > len(BUNDLED) else None
        with loopback_server([key], root / "server.json", speed, pairs) as server:
            config = root / "session.toml"
            config.write_text(
                CONFIG_TEMPLATE.format(
                    base_url=server.base_url,
                    spacing_ms=_spacing_ms(speed),
                    state_dir=(root / "state").as_posix(),
                    symbols=", ".join(f'"{s}"' for s in symbols),
                    timeframe=setup.timeframe,
                    poll=f"{POLL_MARKET_SECONDS / speed:g}",
                    warmup=WARMUP,
                    fast=FAST,
                    slow=SLOW,
                    speed=speed,
                    orders_per_minute=round(10 * speed),
                    count=count,
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
                f"peak-trade session --config session-{count}-{setup.timeframe}.toml "
                f"--exchange kraken_testnet --duration {minutes:.4f}   # {setup.label}, "
                f"against python -m benchmarks.loopback --speed {speed:g}"
            )
            env = bench_env({"BENCH_KRAKEN_KEY": key[0], "BENCH_KRAKEN_SECRET": key[1]})
            done = subprocess.run(
                argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds * 10 + 120
            )
        summaries = list((root / "runs").glob("*/summary.json"))
        if done.returncode != 0 or not summaries:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            section.notes.append(
                f"the {setup.label} session exited {done.returncode}: {' '.join(tail)}"
            )
            section.targets.append(
                Target(f"{setup.label}: REST calls per closed candle", "no run", None)
            )
            return None
        summary = json.loads(summaries[0].read_text(encoding="utf-8"))
    stats = server.stats
    timeline = [(t * speed, method, private) for t, method, private in stats.get("timeline", [])]
    return BudgetRun(setup, dict(stats.get("counts", {})), timeline, summary)


def _template_pair() -> dict[str, Any]:
    raw = resources.files("peak_trade.adapters.kraken.data").joinpath("asset_pairs.json")
    pair: dict[str, Any] = json.loads(raw.read_bytes())["result"][TEMPLATE_PAIR]
    return pair
