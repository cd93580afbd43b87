"""`session --resume` of a live Kraken validate-only session killed mid-run: the paper ledger,
counters and order numbering go on from the run log; an order whose validation answer the
killed life never recorded is settled (never placed, nothing booked), never sent again.
(Executing venues reconcile such orders with the venue: tests/integration/session.)"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.session_cli_support import (
    FAKE_KEY,
    FAKE_SECRET,
    KRAKEN,
    crashing,
    events,
    kraken_env,
    peak_trade,
    summary,
    write_config,
)
from tests.support.kraken_server import KrakenLoopbackServer

pytestmark = pytest.mark.slow


@pytest.fixture
def kraken() -> Iterator[KrakenLoopbackServer]:
    with KrakenLoopbackServer(speed=120, start=datetime(2026, 1, 1, tzinfo=UTC)) as server:
        server.add_key(FAKE_KEY, FAKE_SECRET)
        yield server


def killed_session(tmp_path: Path, config: Path, spec: str) -> subprocess.CompletedProcess[str]:
    args = ["session", "--config", str(config), "--max-steps", "40"]
    runs = str(tmp_path / "runs")
    return crashing(spec, *args, "--log-dir", runs, "--run-id", "live", env=kraken_env())


def resumed_session(tmp_path: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """`peak-trade session --resume live` of the run `killed_session` left behind."""
    args = ["session", "--config", str(config), "--resume", "live", "--log-dir", "runs"]
    return peak_trade(*args, cwd=tmp_path, env=kraken_env())


def config_for(tmp_path: Path, server: KrakenLoopbackServer) -> Path:
    return write_config(
        tmp_path / "kraken.toml",
        KRAKEN,
        base_url=server.base_url,
        validate_only="true",
        state_dir=tmp_path / "state",
        poll="0.25",
    )


def ledger_check(recorded: list[dict[str, Any]], start: Decimal) -> None:
    """Every fill's recorded cash_after follows from the fills before it, across lives."""
    cash = start
    for fill in (e for e in recorded if e["type"] == "simulated_fill"):
        signed = Decimal(fill["quantity"]) * (1 if fill["side"] == "buy" else -1)
        cash -= signed * Decimal(fill["price"]) + Decimal(fill["fee"])
        assert Decimal(fill["cash_after"]) == cash, fill["seq"]


def test_a_killed_live_session_resumes_its_paper_ledger(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = config_for(tmp_path, kraken)
    assert killed_session(tmp_path, config, "simulated_fill:2").returncode == -9
    run = tmp_path / "runs" / "live"
    before = events(run)
    fills_before = sum(1 for e in before if e["type"] == "simulated_fill")

    done = resumed_session(tmp_path, config)

    assert done.returncode == 0, done.stderr
    assert "resuming as life 2 after a crash" in done.stdout
    recorded = events(run)
    assert recorded[: len(before)] == before  # the first life's record is untouched
    assert [e["seq"] for e in recorded] == list(range(1, len(recorded) + 1))
    resumed = next(e for e in recorded if e["type"] == "session_resumed")
    assert resumed["mode"] == "rebuilt from events"
    assert resumed["fills_rebuilt"] == fills_before
    ledger_check(recorded, Decimal(summary(run)["start_equity"]))
    fills = [e for e in recorded if e["type"] == "simulated_fill"]
    s = summary(run)
    assert s["status"] == "completed"
    assert s["orders_validated"] == len(fills)
    assert Decimal(s["fees_paid"]) == sum(Decimal(f["fee"]) for f in fills)
    intents = [e["client_order_id"] for e in recorded if e["type"] == "order_intent"]
    assert s["orders_submitted"] == len(intents)
    assert len(intents) == len(set(intents))  # no client order id reused by the new life
    numbers = [e["order_no"] for e in recorded if e["type"] == "order_intent"]
    assert numbers == sorted(numbers)
    assert [life["cause"] for life in s["lives"]] == ["start", "crash"]


def test_a_validation_with_no_recorded_answer_is_settled_and_never_resent(
    tmp_path: Path, kraken: KrakenLoopbackServer
) -> None:
    config = config_for(tmp_path, kraken)
    assert killed_session(tmp_path, config, "order_intent:1").returncode == -9
    run = tmp_path / "runs" / "live"
    orphan = [e for e in events(run) if e["type"] == "order_intent"][-1]["client_order_id"]
    sent_before = len(kraken.params_sent("AddOrder"))

    done = resumed_session(tmp_path, config)

    assert done.returncode == 0, done.stderr
    sent = [p.get("cl_ord_id") for p in kraken.params_sent("AddOrder")[sent_before:]]
    assert orphan not in sent
    results = [
        e for e in events(run) if e["type"] == "order_result" and e["client_order_id"] == orphan
    ]
    assert [(r["final"], r["status"]) for r in results] == [(True, "cancelled")]
    assert "never placed, so nothing was booked" in results[0]["message"]
    resumed = next(e for e in events(run) if e["type"] == "session_resumed")
    assert resumed["unresolved_orders"] == [orphan]
