"""`peak-trade session` replaying several symbols from separate files under one portfolio, run
as a user runs it: merged by time, per-symbol figures that add up to the totals, per-symbol
strategy parameters, and portfolio limits that bind across symbols."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.e2e.session_cli_support import (
    REPO,
    events,
    only_run,
    peak_trade,
    summary,
    write_config,
)

CONFIG = """
[environment]
mode = "testnet"

[exchange.in_memory]
validate_only = true

[testnet_session]
default_exchange = "in_memory"
symbols = ["BTC/EUR", "ETH/EUR", "SOL/EUR"]
warmup_candles = 30
start_balance = 10000
position_fraction = 0.2

[live_risk]
max_order_notional = 5000
{limits}

[strategy.ma_crossover]
fast_window = 5
slow_window = 20

[strategy.ma_crossover."ETH/EUR"]
fast_window = 3
slow_window = 10

[run_logging]
heartbeat_every_steps = 50
"""
# (symbol, seed, first open, first price): SOL's file starts five minutes after the others
FILES = (
    ("BTC/EUR", 11, "2026-01-01T00:00:00Z", "60000"),
    ("ETH/EUR", 12, "2026-01-01T00:00:00Z", "3000"),
    ("SOL/EUR", 13, "2026-01-01T00:05:00Z", "150"),
)
CANDLES = 400
ADDING_UP = (
    "candles_processed:candles",
    "signals",
    "orders_submitted",
    "orders_risk_blocked",
    "orders_validated:fills",
)
MONEY = ("fees_paid", "realized_pnl", "unrealized_pnl")


def synth(directory: Path, symbol: str, seed: int, start: str, price: str) -> Path:
    path = directory / f"{symbol.split('/')[0].lower()}.csv"
    done = peak_trade(
        "data", "synth", "--out", str(path), "--symbol", symbol, "--candles", str(CANDLES),
        "--seed", str(seed), "--start", start, "--start-price", price, cwd=directory,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return path


def replay(tmp_path: Path, limits: str, *extra: str) -> tuple[Any, Path]:
    files = [synth(tmp_path, *spec) for spec in FILES]
    config = write_config(tmp_path / "multi.toml", CONFIG, limits=limits)
    done = peak_trade(
        "session", "--config", str(config), "--exchange", "in_memory",
        "--replay", str(files[0]), "--replay", str(files[1]),  # symbols from the file headers
        "--replay", f"SOL/EUR={files[2]}",  # and given explicitly
        "--log-dir", "runs", *extra, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done, only_run(tmp_path / "runs")


def positions_over_time(ev: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], set[str]]]:
    """Each event with the symbols holding a position once it happened."""
    held: dict[str, Decimal] = {}
    for event in ev:
        if event["type"] == "simulated_fill":
            held[event["symbol"]] = Decimal(event["position_after"])
        yield event, {symbol for symbol, quantity in held.items() if quantity != 0}


def test_three_files_are_merged_by_time_and_the_symbols_add_up_to_the_totals(
    tmp_path: Path,
) -> None:
    done, run = replay(tmp_path, "max_open_positions = 3")
    s, ev = summary(run), events(run)
    per = s["symbols"]

    assert s["status"] == "completed"
    assert list(per) == ["BTC/EUR", "ETH/EUR", "SOL/EUR"]
    stamps = [e["ts"] for e in ev]
    assert stamps == sorted(stamps)  # one clock over all three files
    signals = [e["symbol"] for e in ev if e["type"] == "signal"]
    first_sol = signals.index("SOL/EUR")
    assert {"BTC/EUR", "ETH/EUR"} <= set(signals[first_sol:])  # interleaved, not file by file
    assert per["SOL/EUR"]["last_candle_time"] > per["BTC/EUR"]["last_candle_time"]
    for figures in per.values():
        assert figures["candles"] > CANDLES - 40  # warmup and the start offset only
        assert figures["orders_submitted"] > 0
    for field in ADDING_UP:
        total, _, own = field.partition(":")
        assert s[total] == sum(f[own or total] for f in per.values()), field
    for field in MONEY:
        assert Decimal(s[field]) == sum(Decimal(f[field]) for f in per.values()), field
    fills = [e for e in ev if e["type"] == "simulated_fill"]
    for symbol, figures in per.items():
        own = [f for f in fills if f["symbol"] == symbol]
        assert figures["fills"] == len(own)
        assert Decimal(figures["fees_paid"]) == sum(Decimal(f["fee"]) for f in own)
        assert Decimal(figures["position"]) == (Decimal(own[-1]["position_after"]) if own else 0)
    # the summary table shows one row per symbol under the totals
    table = done.stdout[done.stdout.index("Session summary") :]
    rows = [line for line in table.splitlines() if line.split()[:1] in (["BTC/EUR"], ["ETH/EUR"])]
    assert len(rows) == 2
    assert "per symbol (simulated)" in table


def test_each_symbol_trades_with_its_own_strategy_parameters(tmp_path: Path) -> None:
    _, run = replay(tmp_path, "max_open_positions = 3")
    eth_alone = write_config(
        tmp_path / "eth.toml",
        CONFIG.replace('symbols = ["BTC/EUR", "ETH/EUR", "SOL/EUR"]', 'symbols = ["ETH/EUR"]')
        .replace('[strategy.ma_crossover."ETH/EUR"]\n', "")
        .replace("fast_window = 5\nslow_window = 20\n", ""),
        limits="",
    )
    alone = peak_trade(
        "session", "--config", str(eth_alone), "--exchange", "in_memory",
        "--replay", str(tmp_path / "eth.csv"), "--log-dir", "alone", cwd=tmp_path,
    )  # fmt: skip
    assert alone.returncode == 0, alone.stderr

    def eth_signals(run_dir: Path) -> list[tuple[str, str]]:
        return [
            (e["candle_time"], e["target"])
            for e in events(run_dir)
            if e["type"] == "signal" and e["symbol"] == "ETH/EUR"
        ]

    started = events(run)[0]
    assert started["params_by_symbol"]["ETH/EUR"] == {"fast_window": 3, "slow_window": 10}
    assert started["params_by_symbol"]["BTC/EUR"] == {"fast_window": 5, "slow_window": 20}
    # the same signals as ETH/EUR alone with fast 3 / slow 10 (the shared 5/20 would differ)
    assert eth_signals(run) == eth_signals(only_run(tmp_path / "alone"))
    assert len(eth_signals(run)) > summary(run)["symbols"]["BTC/EUR"]["signals"]


def test_max_open_positions_refuses_a_second_entry_while_exits_still_go_out(
    tmp_path: Path,
) -> None:
    _, run = replay(tmp_path, "max_open_positions = 1")
    ev = events(run)
    blocked_while_other_open = 0
    for event, held in positions_over_time(ev):
        assert len(held) <= 1, event  # never two symbols open at once
        if event["type"] == "risk_decision" and not event["allowed"]:
            limits = {v["limit"] for v in event["violations"]}
            if "max_open_positions" in limits and held - {event["symbol"]}:
                blocked_while_other_open += 1
    assert blocked_while_other_open >= 3
    closes = [e for e in ev if e["type"] == "order_result" and e.get("intent") == "close"]
    assert len(closes) >= 3
    assert all(e["status"] == "validated" for e in closes)  # exits are never refused
    symbols = summary(run)["symbols"]
    assert sum(f["orders_risk_blocked"] for f in symbols.values()) >= blocked_while_other_open
    assert sum(1 for f in symbols.values() if f["orders_submitted"] > 0) >= 2


def test_total_exposure_limit_sizes_a_second_entry_down_to_what_is_left(
    tmp_path: Path,
) -> None:
    _, run = replay(tmp_path, "max_total_exposure_notional = 3000\nmax_open_positions = 3")
    ev = events(run)
    sized = [e for e in ev if e["type"] == "risk_decision" and "sized_down_to" in e]
    assert sized, "no entry was sized down"
    for event in sized:
        assert Decimal(event["sized_down_to"]) < Decimal(event["quantity"])
        assert "max_total_exposure_notional" in {v["limit"] for v in event["violations"]}
    entries = [
        e for e in ev if e["type"] == "risk_decision" and e["allowed"] and e["intent"] == "open"
    ]
    assert all(Decimal(e["metrics"]["total_exposure_after"]) <= 3000 for e in entries)
    # a sized-down entry went out while another symbol was open
    opened_beside = 0
    for event, held in positions_over_time(ev):
        if event["type"] == "order_intent" and event["intent"] == "open":
            opened_beside += bool(held - {event["symbol"]})
    assert opened_beside >= 1


def test_the_demo_config_replays_several_files_each_under_its_headers_symbol(
    tmp_path: Path,
) -> None:
    # config/demo.toml names one symbol (BTC/EUR); bare files still take their own headers'
    files = [synth(tmp_path, *spec) for spec in FILES]
    done = peak_trade(
        "session", "--config", str(REPO / "config/demo.toml"), "--exchange", "in_memory",
        "--replay", str(files[0]), "--replay", str(files[1]), "--replay", str(files[2]),
        "--log-dir", "runs", cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    s = summary(only_run(tmp_path / "runs"))
    assert list(s["symbols"]) == ["BTC/EUR", "ETH/EUR", "SOL/EUR"]
    assert all(f["candles"] > 0 for f in s["symbols"].values())


def test_a_file_that_ends_early_is_not_reported_as_stale_data(tmp_path: Path) -> None:
    # ETH's file ends 100 minutes before BTC's: its data ended, nothing is missing, so the
    # stale_data rule (on by default: 3 candles without a new one) must not call it stale.
    files = []
    for symbol, seed, candles in (("BTC/EUR", 11, 400), ("ETH/EUR", 12, 300)):
        path = tmp_path / f"{symbol[:3].lower()}.csv"
        done = peak_trade(
            "data", "synth", "--out", str(path), "--symbol", symbol, "--candles", str(candles),
            "--seed", str(seed), "--start", "2026-01-01T00:00:00Z", cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        files.append(path)
    config = write_config(
        tmp_path / "two.toml",
        CONFIG.replace('"ETH/EUR", "SOL/EUR"]', '"ETH/EUR"]'),
        limits="max_open_positions = 3",
    )
    done = peak_trade(
        "session", "--config", str(config), "--exchange", "in_memory",
        "--replay", str(files[0]), "--replay", str(files[1]), "--log-dir", "runs", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    run = only_run(tmp_path / "runs")
    per = summary(run)["symbols"]
    assert (per["BTC/EUR"]["candles"], per["ETH/EUR"]["candles"]) == (370, 270)  # after warmup
    rules = [e["rule"] for e in events(run) if e["type"] == "alert"]
    assert "stale_data" not in rules, rules
    assert "stale_data" not in done.stderr
