"""`peak-trade session` trading several symbols against the loopback Kraken server in
validate-only mode, as a user runs it: every symbol polled (about once per candle close),
orders validated per symbol, every request under the adapter's one rate limiter per API key,
Kraken's Starter counters never tripped; and symbols the portfolio cannot hold together are
refused with a clear message."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.session_cli_support import (
    FAKE_KEY,
    FAKE_SECRET,
    events,
    kraken_env,
    only_run,
    peak_trade,
    summary,
    write_config,
)
from tests.support.kraken_server import KrakenLoopbackServer

CONFIG = """
[environment]
mode = "testnet"

[exchange.kraken_testnet]
base_url = "{base_url}"
validate_only = true
tier = "starter"
rate_limit_ms = {spacing_ms}
state_dir = "{state_dir}"

[testnet_session]
default_exchange = "kraken_testnet"
symbols = ["BTC/EUR", "ETH/EUR", "SOL/EUR"]
poll_interval_seconds = 0.25
warmup_candles = 30
position_fraction = 0.05

[live_risk]
max_orders_per_minute = 600

[strategy.ma_crossover]
fast_window = 2
slow_window = 5

[strategy.ma_crossover."SOL/EUR"]
fast_window = 3
slow_window = 6

[run_logging]
heartbeat_every_steps = 4
"""
SPACING_MS = 50
PAIRS = {"XXBTZEUR": "BTC/EUR", "XETHZEUR": "ETH/EUR", "SOLEUR": "SOL/EUR"}
ORDER_COUNTER = (60.0, 1.0)  # Starter: per pair, AddOrder +1 (validate-only too), -1/s


class TimedRequests(list):  # type: ignore[type-arg]
    """The server's request log with the wall time of each request."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[float] = []

    def append(self, item: Any) -> None:
        self.stamps.append(time.monotonic())
        super().append(item)


@pytest.fixture
def kraken() -> Iterator[KrakenLoopbackServer]:
    # A 1m candle closes every 0.5 s; a fixed start makes the price path the same every run.
    with KrakenLoopbackServer(speed=120, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        server.add_key(FAKE_KEY, FAKE_SECRET)
        server.requests = TimedRequests()
        yield server


def counter_peak(stamps: list[float], maximum: float, decay: float) -> float:
    level, last, top = 0.0, None, 0.0
    for stamp in stamps:
        level = level if last is None else max(0.0, level - decay * (stamp - last))
        last, level = stamp, level + 1
        top = max(top, level)
    assert top <= maximum, f"Kraken's counter would trip: {top} > {maximum}"
    return top


@pytest.mark.slow
def test_a_three_symbol_validate_only_session_polls_and_validates_every_symbol(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = write_config(
        tmp_path / "kraken.toml",
        CONFIG,
        base_url=kraken.base_url,
        spacing_ms=SPACING_MS,
        state_dir=tmp_path / "state",
    )
    done = peak_trade(
        "session", "--config", str(config), "--max-steps", "40", "--log-dir", "runs",
        cwd=tmp_path, env=kraken_env(),
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    run = only_run(tmp_path / "runs")
    s, ev = summary(run), events(run)
    requests: TimedRequests = kraken.requests  # type: ignore[assignment]
    methods = [name for name, _ in requests]
    assert s["status"] == "completed"
    assert list(s["symbols"]) == list(PAIRS.values())

    # every symbol polled; its candles in the run log; about one request per candle close
    polls = [params for name, params in requests if name == "OHLC" and "since" in params]
    assert {params["pair"] for params in polls} == set(PAIRS)
    candles = [e for e in ev if e["type"] == "candle"]
    for symbol, figures in s["symbols"].items():
        assert figures["candles"] == sum(e["symbol"] == symbol for e in candles) >= 8
    # the market closes a candle every two polls; asking every symbol every tick would cost
    # two requests per candle, one probe per tick plus one poll per symbol and close is less
    assert len(polls) <= s["candles_processed"] * 1.5 + len(PAIRS)

    # orders validated per symbol, each under its own pair
    sent = [params for name, params in requests if name == "AddOrder"]
    assert all(params["validate"] == "true" for params in sent)
    intents = [e for e in ev if e["type"] == "order_intent"]
    assert [p["cl_ord_id"] for p in sent] == [e["client_order_id"] for e in intents]
    for pair, symbol in PAIRS.items():
        mine = [p for p in sent if p["pair"] == pair]
        assert len(mine) == s["symbols"][symbol]["orders_submitted"]
    assert sum(1 for f in s["symbols"].values() if f["orders_submitted"]) >= 2
    fills = [e for e in ev if e["type"] == "simulated_fill"]
    assert Decimal(s["fees_paid"]) == sum(Decimal(f["fee"]) for f in fills)

    # one rate limiter per API key: polls, tickers and orders all rate_limit_ms apart (as the
    # server sees them: the first request's connection set-up is left out, jitter allowed)
    gaps = [b - a for a, b in itertools.pairwise(requests.stamps[1:])]
    assert min(gaps) >= SPACING_MS / 1000 * 0.7, min(gaps)
    assert "Balance" not in methods  # validate-only: no private call on the REST counter
    for pair in PAIRS:
        counter_peak(
            [t for t, (m, p) in zip(requests.stamps, requests, strict=True)
             if m == "AddOrder" and p["pair"] == pair],
            *ORDER_COUNTER,
        )  # fmt: skip

    # the summary table has a row per symbol; a pipe gets no status line
    assert "\r" not in done.stdout
    table = done.stdout[done.stdout.index("per symbol (simulated)") :].splitlines()
    assert [line.split()[0] for line in table[1:4]] == list(PAIRS.values())
    started = ev[0]
    assert started["params_by_symbol"]["SOL/EUR"] == {"fast_window": 3, "slow_window": 6}


def test_symbols_quoted_in_different_currencies_are_refused_before_anything_runs(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = write_config(
        tmp_path / "kraken.toml",
        CONFIG.replace(
            '\n[strategy.ma_crossover."SOL/EUR"]\nfast_window = 3\nslow_window = 6\n', ""
        ),
        base_url=kraken.base_url,
        spacing_ms=SPACING_MS,
        state_dir=tmp_path / "state",
    )
    done = peak_trade(
        "session", "--config", str(config), "--symbol", "BTC/EUR", "--symbol", "ETH/USD",
        "--log-dir", "runs", cwd=tmp_path, env=kraken_env(),
    )  # fmt: skip

    assert done.returncode == 2
    assert "quoted in EUR and USD" in done.stderr
    assert "never converted" in done.stderr
    assert "one session per quote currency" in done.stderr
    assert not (tmp_path / "runs").exists()
    assert kraken.request_counts == {}  # refused before any request


def test_a_base_currency_other_than_the_symbols_quote_is_refused(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    text = CONFIG.replace("[live_risk]\n", '[live_risk]\nbase_currency = "USD"\n')
    config = write_config(
        tmp_path / "kraken.toml",
        text,
        base_url=kraken.base_url,
        spacing_ms=SPACING_MS,
        state_dir=tmp_path / "state",
    )
    done = peak_trade("session", "--config", str(config), cwd=tmp_path, env=kraken_env())

    assert done.returncode == 2
    assert 'set base_currency = "EUR"' in done.stderr
    assert kraken.request_counts == {}
