"""`session --resume` on the executing Binance testnet venue (loopback): a session killed right
after the venue filled an order and its first fill was booked, before the order's final result.
The resumed life takes the order over by client order id, books the rest of its fills exactly
once, never sends it again, and the ledger ends equal to what the account gained."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from tests.e2e.session_cli_support import crashing, peak_trade, summary
from tests.support.binance_cli import API_KEY, API_SECRET, binance_config, events_of, session_env
from tests.support.binance_server import BinanceLoopbackServer

pytestmark = pytest.mark.slow


@pytest.fixture
def binance() -> Iterator[BinanceLoopbackServer]:
    with BinanceLoopbackServer(speed=120, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        server.add_key(API_KEY, secret=API_SECRET)
        server.book.bnb_fees = True  # no base-asset dust: a steady stream of orders
        yield server


def test_an_executed_order_cut_off_by_a_crash_is_adopted_and_booked_once(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    runs = str(tmp_path / "runs")
    killed = crashing(
        "fill:1",
        *("session", "--config", str(config), "--max-steps", "40"),
        *("--log-dir", runs, "--run-id", "bin"),
        env=session_env(),
    )
    assert killed.returncode == -9, killed.stderr
    run = tmp_path / "runs" / "bin"
    cut = events_of(run)
    assert cut[-1]["type"] == "fill"
    orphan = cut[-1]["order_id"]

    done = peak_trade(
        "session", "--config", str(config), "--resume", "bin", "--log-dir", runs,
        cwd=tmp_path, env=session_env(),
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    ev = events_of(run)
    fills = [e for e in ev if e["type"] == "fill"]
    account = binance.account(API_KEY)
    venue_trades = sorted(str(t["id"]) for t in account.trades)
    assert sorted(f["trade_id"] for f in fills) == venue_trades  # every trade booked once
    sent = Counter(o["clientOrderId"] for o in account.orders.values())
    assert max(sent.values()) == 1  # no client order id placed twice
    intents = [e["client_order_id"] for e in ev if e["type"] == "order_intent"]
    assert len(intents) == len(set(intents))
    finals = [e for e in ev if e["type"] == "order_result" and e["final"]]
    (adopted,) = [r for r in finals if r["order_id"] == orphan]
    # its final result shows the whole fill, the trades booked before the crash included
    venue_filled = sum(
        (Decimal(str(t["qty"])) for t in account.trades if str(t["orderId"]) == orphan),
        Decimal(0),
    )
    assert Decimal(adopted["filled_quantity"]) == venue_filled > 0
    assert sum(Decimal(f["quantity"]) for f in fills if f["order_id"] == orphan) == venue_filled
    resumed = next(e for e in ev if e["type"] == "session_resumed")
    assert len(resumed["unresolved_orders"]) == 1
    s = summary(run)
    assert s["status"] == "completed"
    started = next(e for e in ev if e["type"] == "session_started")["account_balances"]
    ended = s["account_balances"]["end"]
    gained = sum(Decimal(ended["BTC"][k]) for k in ("free", "locked")) - sum(
        Decimal(started["BTC"][k]) for k in ("free", "locked")
    )
    assert Decimal(s["symbols"]["BTC/USDT"]["position"]) == gained
    assert [e["seq"] for e in ev] == list(range(1, len(ev) + 1))
