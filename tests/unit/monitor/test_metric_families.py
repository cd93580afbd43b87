"""Metric families from a summary.json-shaped mapping (what a session's exporter passes) and
from run views (what the dashboard passes): names, kinds, labels, base units."""

from __future__ import annotations

from peak_trade.app.monitoring.metrics import run_families

SUMMARY = {
    "status": "running",
    "trading_state": "reducing",
    "end_equity": "10050.5",
    "start_equity": "10000",
    "max_drawdown_pct": "4.39",
    "orders_submitted": 12,
    "exchange_errors": 2,
    "candles_processed": 300,
    "signals": 7,
    "symbols": {
        "BTC/EUR": {
            "position": "-0.01",
            "mark_price": "60000",
            "realized_pnl": "12.5",
            "unrealized_pnl": "-3",
            "fees_paid": "1.3",
            "fills": 11,
        }
    },
}


def samples(
    name: str, summary: dict[str, object] | None = None
) -> dict[tuple[tuple[str, str], ...], float]:
    families = {f.name: f for f in run_families([("r1", summary or SUMMARY)])}
    return {tuple(sorted(labels.items())): value for labels, value in families[name].samples}


def test_a_running_summary_maps_to_gauges_and_counters() -> None:
    families = {f.name: f for f in run_families([("r1", SUMMARY)])}
    assert families["peak_trade_fees_paid"].kind == "counter"
    assert families["peak_trade_equity"].kind == "gauge"
    assert samples("peak_trade_session_up") == {(("run_id", "r1"),): 1.0}
    assert samples("peak_trade_equity") == {(("run_id", "r1"),): 10050.5}
    assert samples("peak_trade_exposure") == {(("run_id", "r1"), ("symbol", "BTC/EUR")): 600.0}
    assert samples("peak_trade_max_drawdown_ratio") == {(("run_id", "r1"),): 0.0439}
    states = samples("peak_trade_trading_state")
    assert states[(("run_id", "r1"), ("state", "reducing"))] == 1.0
    assert sum(states.values()) == 1.0
    assert samples("peak_trade_exchange_errors") == {(("kind", "all"), ("run_id", "r1")): 2.0}


def test_rate_limit_waits_are_omitted_unless_the_run_has_them() -> None:
    names = {f.name for f in run_families([("r1", SUMMARY)])}
    assert "peak_trade_rate_limit_wait_seconds" not in names
    with_waits = {**SUMMARY, "rate_limit_wait_seconds": "3.5"}
    assert samples("peak_trade_rate_limit_wait_seconds", with_waits) == {(("run_id", "r1"),): 3.5}


def test_an_ended_run_is_down_and_stopped() -> None:
    ended = {**SUMMARY, "status": "completed"}
    assert samples("peak_trade_session_up", ended) == {(("run_id", "r1"),): 0.0}
    assert (
        samples("peak_trade_trading_state", ended)[(("run_id", "r1"), ("state", "stopped"))] == 1.0
    )
