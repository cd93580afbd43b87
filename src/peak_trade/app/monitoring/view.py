"""JSON-ready views of a run (list row, summary view) built from meta, summary and the digest.

Figures come from summary.json once the run has ended; while it runs (or after a crash, when the
summary may be old or missing) the newest figures from events.jsonl win.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from peak_trade.app.monitoring.digest import RunDigest, as_decimal
from peak_trade.app.monitoring.status import RunStatus
from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.symbols import Timeframe
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


def _get(mapping: Mapping[str, Any] | None, *path: str) -> Any:
    value: Any = mapping
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None and v != ""), None)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    number = as_decimal(value) if not isinstance(value, str) else None
    return format_decimal(number) if number is not None else str(value)


def _strategy(meta: Mapping[str, Any] | None, summary: Mapping[str, Any] | None) -> str | None:
    strategy = _first(_get(meta, "strategy"), _get(summary, "strategy"))
    if isinstance(strategy, Mapping):
        return _text(strategy.get("name"))
    return _text(strategy)


def build_list_row(listing: RunListing, status: RunStatus) -> dict[str, Any]:
    """One row of `monitor --list` and /api/runs."""
    meta, summary = listing.meta, listing.summary
    orders = _get(summary, "orders_submitted")
    blocked = _get(summary, "orders_risk_blocked")
    return {
        "run_id": listing.run_id,
        "status": status.status,
        "live": status.live,
        "symbol": _text(_first(_get(meta, "symbol"), _get(summary, "symbol"))),
        "strategy": _strategy(meta, summary),
        "exchange": _text(_first(_get(meta, "exchange"), _get(meta, "venue", "name"))),
        "started_at": listing.started_at or None,
        "ended_at": _text(_get(summary, "ended_at")),
        "end_equity": _text(_get(summary, "end_equity")),
        "orders": orders if isinstance(orders, int) else None,
        "risk_blocked": blocked if isinstance(blocked, int) else None,
        "last_write": isoformat_utc(listing.last_modified) if listing.last_modified else None,
    }


def build_view(
    listing: RunListing,
    digest: RunDigest,
    stats: ReadStats,
    status: RunStatus,
    now: datetime,
) -> dict[str, Any]:
    """The summary view: status, position, equity, PnL, drawdown, orders, data freshness."""
    meta, summary = listing.meta, listing.summary
    final = status.ended and summary is not None
    latest = digest.latest
    live_equity = digest.equity.last[1] if digest.equity.last else None
    if final:
        equity = _first(_get(summary, "end_equity"), live_equity)
    else:
        equity = _first(live_equity, latest.get("equity"), _get(summary, "end_equity"))
    start_equity = _first(
        _get(summary, "start_equity"),
        _get(digest.started, "start_equity"),
        _get(meta, "session", "start_balance"),
    )
    peak, max_dd, current_dd = _drawdowns(digest, as_decimal(start_equity))
    timeframe = _text(_first(_get(meta, "timeframe"), _get(summary, "timeframe")))
    symbol = _text(_first(_get(meta, "symbol"), _get(summary, "symbol")))
    position = _position(final, summary, latest, digest, symbol)
    simulated_clock = _get(meta, "clock") == "simulated"
    view: dict[str, Any] = {
        "run_id": listing.run_id,
        "status": status.status,
        "live": status.live,
        "ended": status.ended,
        "status_note": status.note,
        "source": "summary.json" if summary is not None else "events.jsonl (no summary.json)",
        "started_at": listing.started_at or digest.first_ts,
        "ended_at": _text(_get(summary, "ended_at")),
        "last_write": isoformat_utc(listing.last_modified) if listing.last_modified else None,
        "last_write_age_seconds": (
            max(0, int((now - listing.last_modified).total_seconds()))
            if listing.last_modified
            else None
        ),
        "clock": _text(_get(meta, "clock")),
        "last_event_ts": digest.last_ts,
        "last_seq": digest.last_seq,
        "events": digest.events,
        "exchange": _text(_first(_get(meta, "exchange"), _get(meta, "venue", "name"))),
        "venue": _get(meta, "venue") if isinstance(_get(meta, "venue"), Mapping) else None,
        "symbol": symbol,
        "timeframe": timeframe,
        "strategy": _strategy(meta, summary),
        "simulated": _simulated(meta, summary, digest),
        "position": position,
        "position_text": position_text(position),
        "equity": _text(equity),
        "start_equity": _text(start_equity),
        "peak_equity": _text(peak),
        "realized_pnl": _text(_pick(final, summary, latest, "realized_pnl")),
        "unrealized_pnl": _text(_pick(final, summary, latest, "unrealized_pnl")),
        "total_pnl": _total_pnl(equity, start_equity),
        "fees_paid": _text(_pick(final, summary, latest, "fees_paid")),
        "drawdown_pct": _text(current_dd),
        "max_drawdown_pct": _text(
            _first(
                _get(summary, "max_drawdown_pct") if final else None,
                max_dd,
                _get(summary, "max_drawdown_pct"),
            )
        ),
        "orders": _orders(summary, digest),
        "exchange_errors": _pick(final, summary, latest, "exchange_errors"),
        "alerts": digest.counts.get("alert", 0),
        "trading_state": digest.trading_state or _text(_get(summary, "trading_state")),
        "halt_reason": digest.halt_reason or _text(_get(summary, "halt_reason")) or "",
        "last_error": digest.last_error,
        "last_candle_time": digest.last_candle_time,
        "data_age_seconds": _data_age(digest.last_candle_time, timeframe, now)
        if status.live and not simulated_clock
        else None,
        "log": {"bad_lines": stats.bad_lines, "truncated_last_line": stats.partial_tail},
    }
    return view


def _pick(
    final: bool, summary: Mapping[str, Any] | None, latest: Mapping[str, Any], key: str
) -> Any:
    if final:
        return _first(_get(summary, key), latest.get(key))
    return _first(latest.get(key), _get(summary, key))


def _position(
    final: bool,
    summary: Mapping[str, Any] | None,
    latest: Mapping[str, Any],
    digest: RunDigest,
    symbol: str | None,
) -> dict[str, str]:
    """Positions as {symbol: quantity}; summary.json once ended, else the newest event."""
    from_summary = _get(summary, "positions")
    live = digest.position.last[1] if digest.position.last else None
    if (final or live is None) and isinstance(from_summary, Mapping):
        return {
            str(sym): _text(_get(detail, "quantity") if isinstance(detail, Mapping) else detail)
            or "0"
            for sym, detail in from_summary.items()
        }
    if live is not None:
        return {symbol or "position": format_decimal(live)}
    return {}


def position_text(position: Mapping[str, str]) -> str:
    """`BTC/EUR 0.01`, or `flat` when every quantity is zero."""
    held = {k: v for k, v in position.items() if as_decimal(v) not in (None, Decimal(0))}
    return ", ".join(f"{k} {v}" for k, v in held.items()) if held else "flat"


def _simulated(
    meta: Mapping[str, Any] | None, summary: Mapping[str, Any] | None, digest: RunDigest
) -> bool | None:
    flag = _get(summary, "simulated_fills")
    if isinstance(flag, bool):
        return flag or digest.simulated_fills > 0
    if digest.simulated_fills or digest.real_fills:
        return digest.simulated_fills > 0
    validate_only = _get(meta, "venue", "validate_only")
    return True if validate_only is True else None


def display_amount(value: Any) -> str | None:
    """An amount or percentage for people: at most two decimals (the JSON keeps full precision)."""
    number = as_decimal(value)
    if number is None:
        return None if value is None else str(value)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        number = number.quantize(_CENT)
    return format_decimal(number)


def _drawdowns(
    digest: RunDigest, start_equity: Decimal | None
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Peak equity, max and current drawdown (percent) over every equity point seen."""
    last = digest.equity.last
    if last is None or digest.peak_equity is None:
        return start_equity, None, None
    peak = digest.peak_equity
    current = (peak - last[1]) / peak * 100 if peak > 0 else Decimal(0)
    return peak, digest.max_drawdown_pct.quantize(_CENT), current.quantize(_CENT)


def _total_pnl(equity: Any, start: Any) -> str | None:
    e, s = as_decimal(equity), as_decimal(start)
    return format_decimal(e - s) if e is not None and s is not None else None


def _orders(summary: Mapping[str, Any] | None, digest: RunDigest) -> dict[str, Any]:
    counters = {k: _get(summary, k) for k in ORDER_COUNTERS if isinstance(_get(summary, k), int)}
    outcomes = {k: v for k, v in sorted(digest.order_outcomes.items()) if v > 0}
    return {
        "intents": digest.counts.get("order_intent", 0),
        "by_outcome": outcomes,
        "summary_counters": counters,
    }


def _data_age(candle_time: str | None, timeframe: str | None, now: datetime) -> int | None:
    if not candle_time or not timeframe:
        return None
    try:
        opened = datetime.fromisoformat(candle_time.replace("Z", "+00:00"))
        seconds = Timeframe.parse(timeframe).seconds
    except ValueError:
        return None
    closed = opened.astimezone(UTC) + timedelta(seconds=seconds)
    return max(0, int((now - closed).total_seconds()))
