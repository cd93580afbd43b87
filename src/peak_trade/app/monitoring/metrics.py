"""Prometheus metric families of runs, as plain data (the CLI turns them into exposition).

`run_families` reads a summary.json-shaped mapping (docs/run-log.md) plus optional breakdowns
the summary does not carry, so the dashboard (from its run views, see `view_as_summary`) and a
session's own `--metrics-port` exporter (from the summary it is about to write) expose the
same names. Conventions: `peak_trade_` prefix, counters end in `_total` (added by the
exposition), seconds and ratios in base units, labels run_id, symbol, outcome, limit, state.

Optional keys beside the summary fields: `session_up` (bool), `orders_by_outcome`
{outcome: n}, `risk_blocks_by_limit` {limit: n}, `errors_by_kind` {kind: n},
`rate_limit_wait_seconds` (omitted when unknown), `last_candle_age_seconds` {symbol: s},
`drawdown_pct` (current), `exchange`, `strategy`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from peak_trade.app.monitoring.numbers import as_decimal, as_float

PREFIX = "peak_trade_"
STATES = ("warmup", "active", "reducing", "halted", "stopped")
ENDED = frozenset({"completed", "interrupted", "halted", "failed"})


@attrs.frozen
class Family:
    """One metric family: name (counters without `_total`), kind, help text and samples."""

    name: str
    kind: str  # "gauge" or "counter"
    help: str
    samples: list[tuple[dict[str, str], float]] = attrs.field(factory=list, eq=False)


FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("session_up", "gauge", "1 while the run's session is alive (writing its run log), else 0"),
    ("run_info", "gauge", "Always 1; labels describe the run"),
    ("trading_state", "gauge", "1 for the run's trading state, 0 for the others"),
    ("equity", "gauge", "Portfolio equity in the run's base currency"),
    ("start_equity", "gauge", "Equity the run started with, in the base currency"),
    ("realized_pnl", "gauge", "Realized PnL per symbol, in the symbol's quote currency"),
    ("unrealized_pnl", "gauge", "Unrealized PnL per symbol at its mark, in its quote currency"),
    ("fees_paid", "counter", "Fees paid per symbol, in the symbol's quote currency"),
    ("position", "gauge", "Position per symbol in base-asset units (negative: short)"),
    ("mark_price", "gauge", "Latest mark price per symbol"),
    ("exposure", "gauge", "Absolute position times mark price per symbol (quote currency)"),
    ("drawdown_ratio", "gauge", "Current drawdown from peak equity (0.05 = 5 %)"),
    ("max_drawdown_ratio", "gauge", "Largest drawdown from peak equity so far (ratio)"),
    ("orders_submitted", "counter", "Orders sent to the exchange (order_intent events)"),
    ("orders", "counter", "Orders by final outcome (validated, filled, rejected, ...)"),
    ("fills", "counter", "Fills booked per symbol (simulated or real)"),
    ("risk_blocks", "counter", "Orders refused by a risk limit, per breached limit"),
    ("exchange_errors", "counter", "Failed steps by error kind"),
    ("rate_limit_wait_seconds", "counter", "Seconds spent waiting for exchange rate limits"),
    ("last_candle_age_seconds", "gauge", "Seconds since the symbol's last closed candle"),
    ("candles_processed", "counter", "Candles the strategy has seen"),
    ("signals", "counter", "Target-position changes of the strategy"),
)


def run_families(runs: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Family]:
    """Every family, with one sample set per (run_id, summary-shaped mapping)."""
    families = {name: Family(PREFIX + name, kind, text) for name, kind, text in FAMILIES}
    for run_id, summary in runs:
        _add_run(families, run_id, summary)
    return [f for f in families.values() if f.samples or f.name.endswith("session_up")]


def _add_run(families: dict[str, Family], run_id: str, summary: Mapping[str, Any]) -> None:
    def put(name: str, value: object, **labels: str) -> None:
        number = value if isinstance(value, float) else as_float(value)
        if number is not None:
            families[name].samples.append(({"run_id": run_id, **labels}, number))

    status = str(summary.get("status") or "")
    up = summary.get("session_up")
    alive = up if isinstance(up, bool) else status == "running"
    put("session_up", 1.0 if alive else 0.0)
    put(
        "run_info",
        1.0,
        status=status or "unknown",
        exchange=str(summary.get("exchange") or ""),
        strategy=str(summary.get("strategy") or ""),
        base_currency=str(summary.get("base_currency") or ""),
    )
    state = str(summary.get("trading_state") or "") if alive and status not in ENDED else "stopped"
    for name in (*STATES, *(() if state in STATES or not state else (state,))):
        put("trading_state", 1.0 if name == state else 0.0, state=name)
    put("equity", summary.get("end_equity"))
    put("start_equity", summary.get("start_equity"))
    for symbol, figures in _symbols(summary).items():
        put("realized_pnl", figures.get("realized_pnl"), symbol=symbol)
        put("unrealized_pnl", figures.get("unrealized_pnl"), symbol=symbol)
        put("fees_paid", figures.get("fees_paid"), symbol=symbol)
        put("position", figures.get("position"), symbol=symbol)
        put("mark_price", figures.get("mark_price"), symbol=symbol)
        position, mark = as_float(figures.get("position")), as_float(figures.get("mark_price"))
        if position is not None and mark is not None:
            put("exposure", abs(position) * mark, symbol=symbol)
        put("fills", figures.get("fills"), symbol=symbol)
    put("drawdown_ratio", _ratio(summary.get("drawdown_pct")))
    put("max_drawdown_ratio", _ratio(summary.get("max_drawdown_pct")))
    put("orders_submitted", summary.get("orders_submitted"))
    for outcome, count in _counts(summary.get("orders_by_outcome")).items():
        put("orders", count, outcome=outcome)
    for limit, count in _counts(summary.get("risk_blocks_by_limit")).items():
        put("risk_blocks", count, limit=limit)
    kinds = _counts(summary.get("errors_by_kind"))
    if not kinds and as_float(summary.get("exchange_errors")) is not None:
        kinds = {"all": summary["exchange_errors"]}
    for kind, count in kinds.items():
        put("exchange_errors", count, kind=kind)
    put("rate_limit_wait_seconds", summary.get("rate_limit_wait_seconds"))
    for symbol, age in _counts(summary.get("last_candle_age_seconds")).items():
        put("last_candle_age_seconds", age, symbol=symbol)
    put("candles_processed", summary.get("candles_processed"))
    put("signals", summary.get("signals"))


def _symbols(summary: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    symbols = summary.get("symbols")
    if isinstance(symbols, Mapping):
        return {str(k): v for k, v in symbols.items() if isinstance(v, Mapping)}
    return {}


def _counts(value: object) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _ratio(percent: object) -> float | None:
    value = as_decimal(percent)
    return None if value is None else float(value / 100)


def view_as_summary(view: Mapping[str, Any]) -> dict[str, Any]:
    """A run view (RunMonitor.view) as the summary-shaped mapping `run_families` reads."""
    orders = view.get("orders") or {}
    per_symbol = view.get("per_symbol") or {}
    return {
        "status": "running" if view.get("live") else str(view.get("status") or ""),
        "session_up": bool(view.get("live")),
        "exchange": view.get("exchange"),
        "strategy": view.get("strategy"),
        "base_currency": view.get("base_currency"),
        "trading_state": view.get("trading_state"),
        "end_equity": view.get("equity"),
        "start_equity": view.get("start_equity"),
        "drawdown_pct": view.get("drawdown_pct"),
        "max_drawdown_pct": view.get("max_drawdown_pct"),
        "orders_submitted": orders.get("sent"),
        "orders_by_outcome": orders.get("by_outcome"),
        "risk_blocks_by_limit": orders.get("risk_blocked_by_limit"),
        "errors_by_kind": view.get("errors_by_kind") or None,
        "exchange_errors": view.get("exchange_errors"),
        "rate_limit_wait_seconds": view.get("rate_limit_wait_seconds"),
        "candles_processed": view.get("candles_processed"),
        "signals": view.get("signals"),
        "last_candle_age_seconds": {
            symbol: figures["data_age_seconds"]
            for symbol, figures in per_symbol.items()
            if figures.get("data_age_seconds") is not None
        },
        "symbols": {
            symbol: {
                key: figures.get(key)
                for key in (
                    "realized_pnl",
                    "unrealized_pnl",
                    "fees_paid",
                    "position",
                    "mark_price",
                    "fills",
                )
            }
            for symbol, figures in per_symbol.items()
        },
    }
