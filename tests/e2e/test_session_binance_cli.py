"""`peak-trade session --exchange binance_testnet` against the loopback Binance server, as a
user runs it: executing (real testnet fills) and test-order (simulated fills) mode, the
refusals, the account's capital and balances, a testnet reset, and no secret anywhere."""

from __future__ import annotations

import json
import signal
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.session_cli_support import only_run, peak_trade, spawn, summary
from tests.support.binance_cli import (
    API_KEY,
    API_SECRET,
    KEY_VAR,
    SECRET_VAR,
    binance_config,
    events_of,
    session_env,
    wait_for_run_dir,
    wait_until,
)
from tests.support.binance_server import BinanceLoopbackServer

NEW_ORDER, TEST_ORDER = "POST /api/v3/order", "POST /api/v3/order/test"


@pytest.fixture
def binance() -> Iterator[BinanceLoopbackServer]:
    # A 1m candle closes every 0.5 s; a fixed start makes the price path (a function of the
    # minute) the same every run.
    with BinanceLoopbackServer(speed=120, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        server.add_key(API_KEY, secret=API_SECRET)
        yield server


def run_session(
    tmp_path: Path, config: Path, *extra: str, env: dict[str, str] | None = None
) -> Any:
    return peak_trade(
        "session", "--config", str(config), "--log-dir", "runs", *extra,
        cwd=tmp_path, env=env if env is not None else session_env(),
    )  # fmt: skip


def total(amounts: dict[str, str]) -> Decimal:
    return Decimal(amounts["free"]) + Decimal(amounts["locked"])


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


@pytest.mark.slow
def test_executing_session_books_the_venues_real_fills(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    # "Pay fees with BNB": a fee in BTC would leave dust that keeps a flip strategy from
    # trading again, and this test wants a steady stream of orders.
    binance.book.bnb_fees = True
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    done = run_session(tmp_path, config, "--max-steps", "44")

    assert done.returncode == 0, done.stderr
    run = only_run(tmp_path / "runs")
    s, ev = summary(run), events_of(run)
    fills, results = of_type(ev, "fill"), of_type(ev, "order_result")
    venue_orders = binance.account(API_KEY).orders.values()
    venue_trades = binance.account(API_KEY).trades
    assert "sandbox fills" in done.stdout
    assert not of_type(ev, "simulated_fill")
    assert s["simulated_fills"] is False
    assert all(f["simulated"] is False for f in fills)
    assert binance.request_counts[TEST_ORDER] == 0
    assert of_type(ev, "error") == []  # the account moved by the session's fills only

    # every order the venue executed is in the run log, and nothing else
    assert len(fills) >= 4, [e["type"] for e in ev]
    assert s["orders_filled"] == len(venue_orders) == binance.request_counts[NEW_ORDER]
    assert {o["clientOrderId"] for o in venue_orders} == {
        r["client_order_id"] for r in results if r["status"] == "filled"
    }
    assert sorted(str(t["id"]) for t in venue_trades) == sorted(f["trade_id"] for f in fills)
    for fill in fills:
        trade = next(t for t in venue_trades if str(t["id"]) == fill["trade_id"])
        assert Decimal(fill["quantity"]) == Decimal(trade["qty"])
        assert Decimal(fill["price"]) == Decimal(trade["price"])
        assert trade["commissionAsset"] == fill["fee_asset"] == "BNB"
        assert Decimal(fill["fee_amount"]) == Decimal(trade["commission"])
        assert fill["fee_currency"] == "USDT"  # booked at its value in the quote currency
        assert Decimal(fill["fee"]) == Decimal(fill["fee_amount"]) * Decimal(fill["fee_rate"])
    assert Decimal(s["fees_paid"]) == sum(Decimal(f["fee"]) for f in fills) > 0

    # the ledger's position is what the account gained: balances at start and end agree
    balances = s["account_balances"]
    position = Decimal(s["symbols"]["BTC/USDT"]["position"])
    assert total(balances["end"]["BTC"]) - total(balances["start"]["BTC"]) == position
    started, ended = of_type(ev, "session_started")[0], of_type(ev, "session_ended")[0]
    assert started["account_balances"] == balances["start"]
    assert ended["account_balances"] == balances["end"]
    venue = json.loads((run / "meta.json").read_text())["venue"]
    assert venue == {"name": "binance", "host": "127.0.0.1", "production": False,
                     "validate_only": False}  # fmt: skip


@pytest.mark.slow
def test_test_order_mode_validates_on_the_venue_and_simulates_fills(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=True)
    done = run_session(tmp_path, config, "--max-steps", "30")

    assert done.returncode == 0, done.stderr
    run = only_run(tmp_path / "runs")
    s, ev = summary(run), events_of(run)
    fills, intents = of_type(ev, "simulated_fill"), of_type(ev, "order_intent")
    sent = binance.params_sent(TEST_ORDER)
    assert "validate-only, fills simulated" in done.stdout
    assert len(fills) >= 1
    assert s["orders_validated"] == len(fills) == len(intents) == len(sent)
    assert [p["newClientOrderId"] for p in sent] == [e["client_order_id"] for e in intents]
    assert binance.request_counts[NEW_ORDER] == 0
    assert binance.account(API_KEY).orders == {}
    assert not of_type(ev, "fill")
    assert all(f["simulated"] is True for f in fills)
    assert s["simulated_fills"] is True
    assert "account_balances" not in s  # nothing real moves: the account is not watched


def test_a_production_host_that_would_execute_is_refused_before_any_request(
    tmp_path: Path,
) -> None:
    connections: list[object] = []
    with socket.socket() as proxy:  # every request (through the proxy) would land here
        proxy.bind(("127.0.0.1", 0))
        proxy.listen()
        proxy.settimeout(0.2)
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    connections.append(proxy.accept()[0])
                except TimeoutError:
                    continue

        watcher = threading.Thread(target=accept, daemon=True)
        watcher.start()
        url = f"http://127.0.0.1:{proxy.getsockname()[1]}"
        env = session_env(HTTP_PROXY=url, HTTPS_PROXY=url, ALL_PROXY=url, NO_PROXY="")
        config = binance_config(tmp_path / "b.toml", "https://api.binance.com", validate_only=False)
        done = run_session(tmp_path, config, env=env)
        dry = run_session(tmp_path, config, "--dry-run", env=env)
        stop.set()
        watcher.join()

    for answer in (done, dry):
        assert answer.returncode == 3, answer.stderr
        assert "refused for safety" in answer.stderr
        assert "api.binance.com" in answer.stderr
        assert "production" in answer.stderr
    assert connections == []
    assert not (tmp_path / "runs").exists()


def test_missing_credentials_are_named_with_exit_2(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    done = run_session(tmp_path, config, env=session_env(keys=False))
    only_key = run_session(tmp_path, config, env=session_env(keys=False, **{KEY_VAR: API_KEY}))

    assert done.returncode == 2, done.stderr
    assert f"set {KEY_VAR} and {SECRET_VAR}" in done.stderr
    assert "testnet.binance.vision" in done.stderr  # where the keys come from
    assert only_key.returncode == 2, only_key.stderr
    assert f"set {SECRET_VAR} (" in only_key.stderr
    assert sum(binance.request_counts.values()) == 0
    assert not (tmp_path / "runs").exists()


def test_dry_run_shows_the_plan_and_sends_nothing(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    before = sorted(p.name for p in tmp_path.iterdir())
    done = run_session(tmp_path, config, "--dry-run")

    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert sum(binance.request_counts.values()) == 0
    for expected in ("binance_testnet", "BTC/USDT", "ma_crossover", f"{KEY_VAR} set",
                     f"{SECRET_VAR} set"):  # fmt: skip
        assert expected in done.stdout, expected


@pytest.mark.slow
def test_a_start_balance_above_the_free_quote_balance_is_refused_with_exit_2(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    binance.add_key(API_KEY, secret=API_SECRET, balances={"USDT": "2500", "BTC": "1"})
    config = binance_config(
        tmp_path / "b.toml", binance.base_url, validate_only=False, start_balance="3000"
    )
    done = run_session(tmp_path, config, "--max-steps", "20")

    assert done.returncode == 2, done.stderr
    assert "[testnet_session]:start_balance: 3000 USDT is more than the free USDT" in done.stderr
    assert "2500 free, 0 locked" in done.stderr
    assert binance.request_counts[NEW_ORDER] == binance.request_counts["GET /api/v3/klines"] == 0
    run = only_run(tmp_path / "runs")
    s, ev = summary(run), events_of(run)
    assert s["status"] == "failed"
    assert s["account_balances"]["start"]["USDT"] == {"free": "2500", "locked": "0"}
    (error,) = of_type(ev, "error")
    assert error["error"] == "InsufficientCapitalError"
    assert error["fatal"] is True


@pytest.mark.slow
def test_a_testnet_reset_is_reported_and_the_session_goes_on(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    alerts_on = config.read_text().replace("[alerts]\nenabled = false", "[alerts]\nenabled = true")
    config.write_text(alerts_on)
    process = spawn(
        "session", "--config", str(config), "--log-dir", "runs", cwd=tmp_path, env=session_env()
    )
    try:
        run = wait_for_run_dir(tmp_path / "runs")
        wait_until(lambda: of_type(events_of(run), "fill"), "a real fill")

        def probed() -> bool:  # the session has looked up an order of its own by client id
            sent = binance.params_sent("GET /api/v3/order")
            return any("origClientOrderId" in p for p in sent)

        wait_until(probed, "an order lookup by client id")
        binance.reset_testnet()
        reported = wait_until(
            lambda: [e for e in of_type(events_of(run), "error") if e.get("kind") == "venue_reset"],
            "a venue_reset error",
        )
        heartbeats = len(of_type(events_of(run), "heartbeat"))
        wait_until(
            lambda: len(of_type(events_of(run), "heartbeat")) >= heartbeats + 2,
            "two more heartbeats",
        )
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, err
    ev = events_of(run)
    (reset,) = [e for e in of_type(ev, "error") if e.get("kind") == "venue_reset"]
    assert reset == reported[0]
    assert reset["fatal"] is False
    assert "probably reset" in reset["message"]
    alerts = [e for e in of_type(ev, "alert") if e["rule"] == "venue_reset"]
    assert len(alerts) == 1
    assert alerts[0]["level"] == "critical"
    assert alerts[0]["message"] == f"Venue account RESET: {reset['message']}"
    sent = [json.loads(line) for line in (run / "alerts.jsonl").read_text().splitlines()]
    assert [a["rule"] for a in sent].count("venue_reset") == 1  # delivered through the sinks
    assert summary(run)["status"] == "interrupted"
    assert "Session summary" in out


@pytest.mark.slow
def test_no_written_byte_or_printed_line_contains_the_key_or_secret(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    done = run_session(tmp_path, config, "--max-steps", "16", "--log-level", "debug")
    dry = run_session(tmp_path, config, "--dry-run", "--log-level", "debug")
    short = binance_config(
        tmp_path / "short.toml", binance.base_url, validate_only=False, start_balance="1000000"
    )
    refused = peak_trade(
        "session", "--config", str(short), "--log-dir", "refused", "--log-level", "debug",
        cwd=tmp_path, env=session_env(),
    )  # fmt: skip

    assert done.returncode == dry.returncode == 0, done.stderr + dry.stderr
    assert refused.returncode == 2, refused.stderr
    assert of_type(events_of(only_run(tmp_path / "runs")), "fill")
    outputs = "".join(p.stdout + p.stderr for p in (done, dry, refused))
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".toml"]
    assert any(p.name == "events.jsonl" for p in files)
    for needle in (API_KEY, API_SECRET):
        assert needle not in outputs
        for path in files:
            assert needle.encode() not in path.read_bytes(), path
