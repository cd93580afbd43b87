"""Dust, end to end over the loopback Binance server: with the commission charged in the base
asset (BTC on a buy), every round trip leaves a sliver of BTC below the lot step. The session
keeps it in its ledger and shows it, but trades as if flat: a strategy that flips keeps
trading after its first round trip."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.session_cli_support import only_run, peak_trade, summary
from tests.support.binance_cli import API_KEY, API_SECRET, binance_config, events_of, session_env
from tests.support.binance_server import BinanceLoopbackServer

LOT_STEP = Decimal("0.00001")  # BTCUSDT's LOT_SIZE step on the loopback server


@pytest.fixture
def binance() -> Iterator[BinanceLoopbackServer]:
    with BinanceLoopbackServer(speed=120, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        server.add_key(API_KEY, secret=API_SECRET)
        server.book.bnb_fees = False  # the commission of a buy is taken in BTC
        yield server


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


@pytest.mark.slow
def test_a_flipping_strategy_keeps_trading_over_base_asset_fee_dust(
    tmp_path: Path, binance: BinanceLoopbackServer
) -> None:
    config = binance_config(tmp_path / "b.toml", binance.base_url, validate_only=False)
    done = peak_trade(
        "session", "--config", str(config), "--log-dir", "runs", "--max-steps", "44",
        cwd=tmp_path, env=session_env(),
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    run = only_run(tmp_path / "runs")
    s, ev = summary(run), events_of(run)
    fills = of_type(ev, "fill")
    assert all(f["fee_currency"] == "BTC" for f in fills if f["side"] == "buy")

    # several round trips, not one: the dust left by the first did not look like a position
    sells = [f for f in fills if f["side"] == "sell"]
    buys = [f for f in fills if f["side"] == "buy"]
    assert len(buys) >= 3, [(f["side"], f["quantity"]) for f in fills]
    assert len(sells) >= 2
    intents = of_type(ev, "order_intent")
    assert [e["intent"] for e in intents][:4] == ["open", "close", "open", "close"]
    skipped = [e for e in of_type(ev, "risk_decision") if e.get("stage") == "sizing"]
    assert skipped == []  # no close of a sliver was ever attempted

    # after each sell only a sliver below the lot step remains, and it is kept in the ledger
    for sell in sells:
        left = Decimal(sell["position_after"])
        assert 0 < left < LOT_STEP, sell
    figures = s["symbols"]["BTC/USDT"]
    position, dust = Decimal(figures["position"]), Decimal(figures["dust"])
    assert 0 < dust < LOT_STEP
    assert position == Decimal(fills[-1]["position_after"])
    if position < LOT_STEP:  # ended flat as far as trading goes: the position is all dust
        assert dust == position
    # the summary table shows it beside the position
    row = next(line for line in done.stdout.splitlines() if line.startswith("position BTC/USDT"))
    assert f"(dust {figures['dust']}: below the venue's minimums)" in row
    balances = s["account_balances"]
    gained = sum(Decimal(balances["end"]["BTC"][k]) for k in ("free", "locked")) - sum(
        Decimal(balances["start"]["BTC"][k]) for k in ("free", "locked")
    )
    assert gained == position  # the dust is real: the account holds it too
