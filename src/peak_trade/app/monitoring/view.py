"""The summary view of a run (JSON-ready) from meta, summary, digest and round trips.

Which source decides each figure follows `run_facts.summary_is_current`: summary.json while it
is current, else the events, so the list, the detail view, the dashboard and the metrics all
show the run's true state.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from peak_trade.app.monitoring.digest import RunDigest, timeframe_seconds
from peak_trade.app.monitoring.display import fixed, money_places
from peak_trade.app.monitoring.headline import failure, headline
from peak_trade.app.monitoring.numbers import as_decimal, parse_utc
from peak_trade.app.monitoring.performance import RunPerformance, statistics_dict
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
from peak_trade.app.monitoring.symbol_view import symbol_view
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.runlog import ReadStats, RunListing

ORDER_COUNTERS = (
    "orders_submitted",
    "orders_validated",
    "orders_accepted",
    "orders_filled",
    "orders_rejected",
    "orders_risk_blocked",
    "orders_unknown",
)
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


def build_view(
    listing: RunListing,
    digest: RunDigest,
    stats: ReadStats,
    status: RunStatus,
    now: datetime,
    perf: RunPerformance,
    *,
    current: bool,
) -> dict[str, Any]:
    """The summary view: status and its cause, positions, equity, PnL, drawdown, orders, fills,
    statistics, lives, data freshness and the precision each figure is shown with."""
    meta, summary = listing.meta, listing.summary
    trusted = summary if current else None  # summary figures that decide
    latest = digest.latest
    symbols = run_symbols(meta, summary, digest)
    base = base_currency(meta, summary, digest)
    live_equity = digest.equity_exact[-1] if digest.equity_exact else None
    equity = first(
        get(trusted, "end_equity"), live_equity, latest.get("equity"), get(summary, "end_equity")
    )
    start_equity = first(
        get(summary, "start_equity"),
        digest.start_equity,
        get(digest.started, "start_equity"),
        get(meta, "session", "start_balance"),
    )
    per_symbol = {s: symbol_view(s, meta, trusted, digest, perf) for s in symbols}
    traded = [perf.by_symbol(s) for s in symbols]
    from_trips = any(traded)
    peak, max_dd, current_dd = _drawdowns(digest, as_decimal(start_equity))
    timeframe = text(
        first(get(meta, "timeframe"), get(summary, "timeframe"), get(digest.started, "timeframe"))
    )
    simulated_clock = get(meta, "clock") == "simulated"
    trading_state = (
        text(
            first(
                get(trusted, "trading_state"), digest.trading_state, get(summary, "trading_state")
            )
        )
        if current
        else text(first(digest.trading_state, get(summary, "trading_state")))
    )
    halt_reason = text(first(digest.halt_reason, get(summary, "halt_reason"))) or ""
    cause = failure(status, summary, digest)
    fresh_data = status.live and not simulated_clock
    for figures in per_symbol.values():
        figures["data_age_seconds"] = (
            _data_age(figures["last_candle_time"], timeframe, now) if fresh_data else None
        )
    total_pnl = _difference(equity, start_equity)
    view: dict[str, Any] = {
        "run_id": listing.run_id,
        "status": status.status,
        "live": status.live,
        "ended": status.ended,
        "status_note": status.note,
        "source": "summary.json" if current else _events_source(summary),
        "format_version": as_int(get(meta, "format_version")) or 1,
        "started_at": listing.started_at or digest.first_ts,
        "ended_at": text(get(summary, "ended_at")) if current or status.ended else None,
        "last_write": isoformat_utc(listing.last_modified) if listing.last_modified else None,
        "last_write_age_seconds": (
            max(0, int((now - listing.last_modified).total_seconds()))
            if listing.last_modified
            else None
        ),
        "clock": text(get(meta, "clock")),
        "session_clock_start": digest.first_ts,
        "last_event_ts": digest.last_ts,
        "last_seq": digest.last_seq,
        "events": digest.events,
        "exchange": text(first(get(meta, "exchange"), get(meta, "venue", "name"))),
        "venue": get(meta, "venue") if isinstance(get(meta, "venue"), Mapping) else None,
        "symbol": symbols[0] if symbols else None,
        "symbols": symbols,
        "timeframe": timeframe,
        "strategy": strategy_name(meta, summary),
        "strategy_params": _strategy_params(meta, digest),
        "base_currency": base,
        "simulated": _simulated(meta, summary, digest),
        "position": {s: per_symbol[s]["position"] or "0" for s in symbols},
        "position_text": position_text({s: per_symbol[s]["position"] or "0" for s in symbols}),
        "equity": text(equity),
        "start_equity": text(start_equity),
        "peak_equity": text(peak),
        "realized_pnl": text(
            first(
                get(trusted, "realized_pnl"),
                _sum(perf, "gross_pnl") if from_trips else None,
                latest.get("realized_pnl"),
                get(summary, "realized_pnl"),
            )
        ),
        "unrealized_pnl": text(
            first(
                get(trusted, "unrealized_pnl"),
                _unrealized(perf) if from_trips else None,
                latest.get("unrealized_pnl"),
                get(summary, "unrealized_pnl"),
            )
        ),
        "total_pnl": total_pnl,
        "total_return_pct": _return_pct(total_pnl, start_equity),
        "fees_paid": text(
            first(
                get(trusted, "fees_paid"),
                _sum(perf, "fees") if from_trips else None,
                latest.get("fees_paid"),
                get(summary, "fees_paid"),
            )
        ),
        "drawdown_pct": text(current_dd),
        "max_drawdown_pct": text(_max_drawdown(trusted, summary, max_dd)),
        "orders": _orders(trusted, summary, digest),
        "fills": {
            "total": len(digest.fills),
            "simulated": digest.fills.simulated,
            "real": digest.fills.real,
        },
        "signals": first(get(trusted, "signals"), digest.counts.get("signal", 0)),
        "steps": first(get(trusted, "steps"), latest.get("step"), get(summary, "steps")),
        "candles_processed": first(
            get(trusted, "candles_processed"),
            latest.get("candles_processed"),
            get(summary, "candles_processed"),
        ),
        "exchange_errors": first(
            get(trusted, "exchange_errors"),
            sum(digest.errors_by_kind.values()) if digest.errors_by_kind else None,
            latest.get("exchange_errors"),
            get(summary, "exchange_errors"),
            0,
        ),
        "errors_by_kind": dict(sorted(digest.errors_by_kind.items())),
        "rate_limit_wait_seconds": text(
            first(get(trusted, "rate_limit_wait_seconds"), latest.get("rate_limit_wait_seconds"))
        ),
        "alerts": digest.counts.get("alert", 0),
        "trading_state": trading_state,
        "trading_state_since": digest.state_since,
        "trading_state_reason": digest.state_reason or halt_reason,
        "trading_state_until": digest.state_until,
        "halt_reason": halt_reason,
        "last_error": digest.last_error,
        "failure": cause,
        "headline": headline(status, trading_state, halt_reason, cause, digest),
        "last_candle_time": _last_candle(per_symbol),
        "data_age_seconds": (
            _data_age(_last_candle(per_symbol), timeframe, now) if fresh_data else None
        ),
        "lives": _lives(digest, meta) or _summary_lives(summary),
        "per_symbol": per_symbol,
        "statistics": statistics_dict(perf.statistics),
        "round_trip_count": len(perf.trips),
        "performance_notes": list(perf.notes),
        "precision": {
            "money": money_places(base),
            "prices": {s: per_symbol[s]["price_places"] for s in symbols},
            "quantities": {s: per_symbol[s]["quantity_places"] for s in symbols},
        },
        "log": {"bad_lines": stats.bad_lines, "truncated_last_line": stats.partial_tail},
    }
    return view


def _events_source(summary: Mapping[str, Any] | None) -> str:
    if summary is None:
        return "events.jsonl (no summary.json)"
    return "events.jsonl (newer than summary.json)"


def _strategy_params(meta: Mapping[str, Any] | None, digest: RunDigest) -> Any:
    params = first(get(meta, "strategy", "params"), get(digest.started, "params"))
    return params if isinstance(params, Mapping) else None


def position_text(position: Mapping[str, str]) -> str:
    """`BTC/EUR 0.01`, or `flat` when every quantity is zero."""
    held = {k: v for k, v in position.items() if as_decimal(v) not in (None, Decimal(0))}
    return ", ".join(f"{k} {v}" for k, v in held.items()) if held else "flat"


def _simulated(
    meta: Mapping[str, Any] | None, summary: Mapping[str, Any] | None, digest: RunDigest
) -> bool | None:
    flag = get(summary, "simulated_fills")
    if isinstance(flag, bool):
        return flag or digest.fills.simulated > 0
    if len(digest.fills):
        return digest.fills.simulated > 0
    validate_only = get(meta, "venue", "validate_only")
    return True if validate_only is True else None


def display_amount(value: Any) -> str | None:
    """An amount for people with two places (the JSON keeps full precision)."""
    return (
        fixed(value, 2)
        if as_decimal(value) is not None
        else (None if value is None else str(value))
    )


def _sum(perf: RunPerformance, field: str) -> Decimal:
    return sum((getattr(t, field) for t in perf.trips), Decimal(0))


def _unrealized(perf: RunPerformance) -> Decimal | None:
    total = Decimal(0)
    for trip in perf.trips:
        if trip.is_open:
            if trip.unrealized_pnl is None:
                return None
            total += trip.unrealized_pnl
    return total


def _drawdowns(
    digest: RunDigest, start_equity: Decimal | None
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Peak equity, max and current drawdown (percent) over every equity sample."""
    if not digest.equity_exact or digest.peak_equity is None:
        return start_equity, None, None
    peak, last = digest.peak_equity, digest.equity_exact[-1]
    current = (peak - last) / peak * _HUNDRED if peak > 0 else Decimal(0)
    return peak, digest.max_drawdown_pct, current


def _max_drawdown(
    trusted: Mapping[str, Any] | None, summary: Mapping[str, Any] | None, seen: Decimal | None
) -> Decimal | None:
    """The summary's once it is current (the ledger marks every candle); else the larger of
    the events' and the last summary's (both were true when written)."""
    from_summary = as_decimal(get(trusted, "max_drawdown_pct"))
    if from_summary is not None:
        return from_summary
    older = as_decimal(get(summary, "max_drawdown_pct"))
    candidates = [v for v in (seen, older) if v is not None]
    return max(candidates) if candidates else None


def _difference(equity: Any, start: Any) -> str | None:
    e, s = as_decimal(equity), as_decimal(start)
    return format_decimal(e - s) if e is not None and s is not None else None


def _return_pct(total: str | None, start: Any) -> str | None:
    t, s = as_decimal(total), as_decimal(start)
    return format_decimal(t / s * _HUNDRED) if t is not None and s is not None and s > 0 else None


def _orders(
    trusted: Mapping[str, Any] | None, summary: Mapping[str, Any] | None, digest: RunDigest
) -> dict[str, Any]:
    counters = {k: get(summary, k) for k in ORDER_COUNTERS if as_int(get(summary, k)) is not None}
    sent = first(as_int(get(trusted, "orders_submitted")), digest.orders.intents)
    return {
        "listed": len(digest.orders),
        "sent": sent,
        "intents": digest.orders.intents,
        "by_outcome": digest.orders.outcome_counts(),
        "risk_blocked_by_limit": dict(sorted(digest.orders.risk_blocks_by_limit().items())),
        "sizing_skips": sum(digest.orders.sizing_skips.values()),
        "summary_counters": counters,
    }


def _last_candle(per_symbol: Mapping[str, Mapping[str, Any]]) -> str | None:
    times = [v["last_candle_time"] for v in per_symbol.values() if v.get("last_candle_time")]
    return max(times) if times else None


def _lives(digest: RunDigest, meta: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The run's lives from its events, on the wall clock: the first life started when the
    run did (meta.json), later ones when they resumed (their events' `ts` is the session
    clock, which a replay simulates)."""
    lives = [life.as_dict() for life in digest.lives.items]
    started = text(get(meta, "started_at"))
    if lives and started and lives[0].get("life") == 1:
        lives[0]["started_at"] = started
    for life in lives[1:]:
        life["started_at"] = life.get("resumed_at") or life.get("started_at")
    return lives


def _summary_lives(summary: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    lives = get(summary, "lives")
    return (
        [dict(life) for life in lives if isinstance(life, Mapping)]
        if isinstance(lives, list)
        else []
    )


def _data_age(candle_time: str | None, timeframe: str | None, now: datetime) -> int | None:
    opened = parse_utc(candle_time)
    seconds = timeframe_seconds(timeframe)
    if opened is None or seconds is None:
        return None
    closed = opened + timedelta(seconds=seconds)
    return max(0, int((now.astimezone(UTC) - closed).total_seconds()))
