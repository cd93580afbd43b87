"""One row of `monitor --list` and /api/runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peak_trade.app.monitoring.run_facts import (
    as_int,
    base_currency,
    first,
    get,
    run_symbols,
    strategy_name,
    text,
)
from peak_trade.app.monitoring.status import RunStatus
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.runlog import RunListing


def build_list_row(
    listing: RunListing, status: RunStatus, view: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One row of `monitor --list` and /api/runs: from the detail view when the events decide,
    else from the current summary, so both always agree with the detail view."""
    meta, summary = listing.meta, listing.summary
    symbols = run_symbols(meta, summary, None)
    row: dict[str, Any] = {
        "run_id": listing.run_id,
        "status": status.status,
        "live": status.live,
        "symbol": ", ".join(symbols) or None,
        "symbols": symbols,
        "strategy": strategy_name(meta, summary),
        "exchange": text(first(get(meta, "exchange"), get(meta, "venue", "name"))),
        "started_at": listing.started_at or None,
        "ended_at": text(get(summary, "ended_at")),
        "base_currency": base_currency(meta, summary, None),
        "end_equity": text(get(summary, "end_equity")),
        "orders": as_int(get(summary, "orders_submitted")),
        "risk_blocked": as_int(get(summary, "orders_risk_blocked")),
        "last_write": isoformat_utc(listing.last_modified) if listing.last_modified else None,
    }
    if view is not None:
        row.update(
            {
                "symbol": ", ".join(view["symbols"]) or None,
                "symbols": view["symbols"],
                "ended_at": view["ended_at"],
                "end_equity": view["equity"],
                "orders": view["orders"]["sent"],
                "risk_blocked": view["orders"]["by_outcome"].get("risk_blocked", 0),
                "base_currency": view["base_currency"],
            }
        )
    return row
