"""A live Kraken session of N symbols in virtual time: the API-budget benchmark's live-clock part.

`python -m benchmarks.budget_live --symbols 20 --timeframe 5m --poll 60 --minutes 360` runs
the real session (container, LivePoller, executor) with the real Kraken adapter (Starter tier,
rate_limit_ms 1000, validate-only) over HTTP against the loopback server, whose market follows
the session's SimulatedClock at 1x: the venue's candle clock and the session's agree, as they
do live, and every wait (the poll schedule, the rate limiter) passes instantly. Prints one JSON
line: request counts, the request timeline in session seconds, and the run's figures.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from benchmarks.budget_markets import TEMPLATE_PAIR, budget_symbols, extra_pairs
from benchmarks.procs import run_worker
from benchmarks.rate_counter import replay_kraken_counters
from benchmarks.report import Section, Table, Target

START = datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC)
KEY = "bench-budget-live"
SECRET = base64.b64encode(b"bench budget live secret").decode()
MODULE = "benchmarks.budget_live"


class _TimedRequests(list):  # type: ignore[type-arg]
    """The server's request log, stamped with the session clock."""

    def __init__(self, clock: Any) -> None:
        super().__init__()
        self.clock = clock
        self.stamps: list[float] = []

    def append(self, item: Any) -> None:
        self.stamps.append(self.clock.monotonic())
        super().append(item)


def measure(symbols: int, timeframe: str, poll: int, minutes: int) -> dict[str, Any]:
    """Run the session and return its requests and figures."""
    from tests.support.kraken_routes import PRIVATE_ROUTES
    from tests.support.kraken_server import KrakenLoopbackServer, bundled_pairs

    from peak_trade.adapters.clocks import SimulatedClock
    from peak_trade.adapters.kraken import (
        KrakenCredentials,
        KrakenTestnetClient,
        KrakenTestnetConfig,
    )
    from peak_trade.app.bootstrap.embedding import build_session
    from peak_trade.app.config import TestnetSessionConfig
    from peak_trade.domain.risk import LiveRiskLimits

    names = budget_symbols(symbols)
    raw = resources.files("peak_trade.adapters.kraken.data").joinpath("asset_pairs.json")
    template = json.loads(raw.read_bytes())["result"][TEMPLATE_PAIR]
    clock = SimulatedClock(START)
    pairs = {**bundled_pairs(), **extra_pairs(template)}
    with (
        tempfile.TemporaryDirectory(prefix="bench-budget-live-") as state,
        KrakenLoopbackServer(start=START, time_source=clock.monotonic, pairs=pairs) as server,
    ):
        server.add_key(KEY, SECRET)
        requests = server.requests = _TimedRequests(clock)
        config = KrakenTestnetConfig(
            base_url=server.base_url, validate_only=True, state_dir=Path(state)
        )
        client = KrakenTestnetClient(
            config, clock, credentials=KrakenCredentials.from_values(KEY, SECRET)
        )
        session = build_session(
            exchange=client,
            clock=clock,
            symbols=names,
            timeframe=timeframe,
            strategy="ma_crossover",
            strategy_params={"fast_window": 20, "slow_window": 50},
            settings=TestnetSessionConfig(
                poll_interval_seconds=Decimal(poll),
                warmup_candles=60,
                position_fraction=Decimal("0.04"),
            ),
            risk_limits=LiveRiskLimits(
                base_currency="EUR",
                max_order_notional=Decimal(1500),
                max_total_exposure_notional=Decimal(10000),
                max_open_positions=symbols,
                max_orders_per_minute=10,
            ),
            duration_minutes=Decimal(minutes),
        )
        try:
            summary = session.run()
        finally:
            session.close()
        with server.lock:
            timeline = [
                (stamp, method, method in PRIVATE_ROUTES)
                for stamp, (method, _params) in zip(requests.stamps, list(requests), strict=True)
            ]
            counts = dict(server.request_counts)
    return {
        "counts": counts,
        "timeline": timeline,
        "summary": {
            "candles_processed": summary["candles_processed"],
            "orders_submitted": summary["orders_submitted"],
            "steps": summary["steps"],
            "status": summary["status"],
        },
    }


@dataclass(frozen=True)
class LiveSetup:
    """A live-clock measurement: symbols, timeframe and poll interval (seconds)."""

    symbols: int
    timeframe: str
    poll: int

    @property
    def label(self) -> str:
        return f"{self.symbols} x {self.timeframe}, poll {self.poll} s"


LIVE_SETUPS = (
    LiveSetup(5, "1m", 60),
    LiveSetup(20, "1m", 60),
    LiveSetup(20, "5m", 60),  # polls every minute, candles close every five
    LiveSetup(20, "1m", 15),  # polls four times a candle
)


def run_live_budget(section: Section, seconds: int, progress: Callable[[str], None]) -> None:
    """Add the live-clock part to `section`: each setup run for M and 2M market minutes (M =
    6 x `seconds`), so that the difference is the steady cost per candle without start-up."""
    minutes = max(10, 6 * seconds)
    rows: list[tuple[str, ...]] = []
    counter_rows: list[tuple[str, ...]] = []
    for setup in LIVE_SETUPS:
        progress(f"  budget: live clock, {setup.label}, {minutes} and {2 * minutes} minutes")
        args = ["--symbols", str(setup.symbols), "--timeframe", setup.timeframe]
        args += ["--poll", str(setup.poll)]
        short = run_worker(MODULE, [*args, "--minutes", str(minutes)], timeout=900)
        long = run_worker(MODULE, [*args, "--minutes", str(2 * minutes)], timeout=1800)
        candles = _candles(long) - _candles(short)
        ohlc = long["counts"].get("OHLC", 0) - short["counts"].get("OHLC", 0)
        calls = sum(long["counts"].values()) - sum(short["counts"].values())
        total = sum(long["counts"].values())
        per_candle = calls / candles if candles else float("inf")
        rows.append(
            (
                setup.label,
                str(_candles(long)),
                str(long["summary"]["orders_submitted"]),
                f"{ohlc / candles:.3f}" if candles else "n/a",
                f"{per_candle:.3f}",
                f"{total / _candles(long):.3f}" if _candles(long) else "n/a",
            )
        )
        timeline = [(t, m, bool(private)) for t, m, private in long["timeline"]]
        replays = replay_kraken_counters(timeline, "starter")
        counter_rows += [
            (setup.label, r.name, f"{r.peak:.2f}", f"{r.maximum:g}", "yes" if r.tripped else "no")
            for r in replays
        ]
        section.targets.append(
            Target(
                f"live clock, {setup.label}: REST calls per closed candle per symbol <= 1.1",
                f"{per_candle:.3f} in steady state ({ohlc / max(candles, 1):.3f} OHLC)",
                per_candle <= 1.1,
            )
        )
        section.targets.append(
            Target(
                f"live clock, {setup.label}: a Starter key never trips Kraken's counters",
                "; ".join(
                    f"{r.name.split(' (')[0]}: peak {r.peak:.2f}/{r.maximum:g}" for r in replays[:2]
                ),
                not any(r.tripped for r in replays[:2]),
            )
        )
    section.tables.append(
        Table(
            headers=(
                "live clock",
                f"closed candles ({2 * minutes} min)",
                "orders",
                "OHLC per candle per symbol (steady)",
                "REST calls per candle per symbol (steady)",
                "with start-up",
            ),
            rows=rows,
            caption=(
                "Live clock, virtual time (`python -m benchmarks.budget_live`): the real session "
                "and Kraken adapter (Starter tier, rate_limit_ms 1000) against the loopback "
                "server, whose market follows the session's simulated clock at 1x, as a live "
                f"venue's does. Each setup runs {minutes} and {2 * minutes} market minutes; "
                "steady = the difference of the two runs per candle, start-up left out:"
            ),
        )
    )
    section.tables.append(
        Table(
            headers=("live clock", "counter (Starter tier)", "peak level", "maximum", "tripped"),
            rows=counter_rows,
            caption=f"The {2 * minutes}-minute runs' request timelines against Kraken's counters:",
        )
    )


def _candles(result: dict[str, Any]) -> int:
    return int(result["summary"]["candles_processed"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--symbols", type=int, required=True)
    parser.add_argument("--timeframe", default="1m")
    parser.add_argument("--poll", type=int, default=60)
    parser.add_argument("--minutes", type=int, default=360)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(measure(args.symbols, args.timeframe, args.poll, args.minutes)))


if __name__ == "__main__":
    main()
