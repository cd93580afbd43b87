"""The alert rules: each looks at one SessionObservation and says whether its condition holds.

Every threshold rule fires when the observed value reaches the threshold (>=). Losses are
measured from the session's start equity (not per UTC day: the daily loss is a risk limit that
halts trading, which the `halted` rule reports); drawdown from the highest equity seen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.alerts import AlertLevel

if TYPE_CHECKING:
    from peak_trade.ports.alerts import SessionObservation

_CENT = Decimal("0.01")


@attrs.frozen(kw_only=True)
class Finding:
    """A rule's condition holds: what to say and the JSON-ready context."""

    message: str
    context: Mapping[str, Any]


@attrs.define
class RuleMemory:
    """What rules remember between observations (all derived from observations only)."""

    previous_risk_blocked: int = 0
    risk_blocked_delta: int = 0
    peak_equity: Decimal | None = None
    first_seen: datetime | None = None

    def update(self, obs: SessionObservation) -> None:
        """Advance the memory with `obs` before the rules look at it."""
        self.risk_blocked_delta = max(0, obs.risk_blocked_total - self.previous_risk_blocked)
        self.previous_risk_blocked = max(self.previous_risk_blocked, obs.risk_blocked_total)
        peaks = [p for p in (self.peak_equity, obs.peak_equity, obs.equity) if p is not None]
        self.peak_equity = max(peaks)
        if self.first_seen is None:
            self.first_seen = obs.now


Rule = Callable[["SessionObservation", Decimal | None, RuleMemory], Finding | None]


def _d(value: Decimal) -> str:
    return format_decimal(value)


def _pct(value: Decimal) -> str:
    return format_decimal(value.quantize(_CENT))


def _money(value: Decimal) -> str:
    return format_decimal(value.quantize(_CENT))


def risk_blocked(obs: SessionObservation, _t: Decimal | None, mem: RuleMemory) -> Finding | None:
    """New risk-blocked orders since the previous observation."""
    if mem.risk_blocked_delta <= 0:
        return None
    reason = obs.last_risk_block_reason or "risk limit"
    return Finding(
        message=(
            f"order blocked by a risk limit: {reason} ({obs.risk_blocked_total} blocked so far)"
        ),
        context={
            "new_blocks": mem.risk_blocked_delta,
            "blocked_total": obs.risk_blocked_total,
            "reason": obs.last_risk_block_reason,
        },
    )


def large_loss_abs(obs: SessionObservation, t: Decimal | None, _m: RuleMemory) -> Finding | None:
    """Loss since the start of the session, in the quote currency."""
    loss = obs.start_equity - obs.equity
    if t is None or loss < t:
        return None
    return Finding(
        message=f"loss since session start {_money(loss)} reached the threshold {_d(t)}",
        context=_loss_context(obs, loss, t),
    )


def large_loss_pct(obs: SessionObservation, t: Decimal | None, _m: RuleMemory) -> Finding | None:
    """Loss since the start of the session, in percent of the start equity."""
    if t is None or obs.start_equity <= 0:
        return None
    loss = obs.start_equity - obs.equity
    pct = loss / obs.start_equity * 100
    if pct < t:
        return None
    return Finding(
        message=f"loss since session start {_pct(pct)}% reached the threshold {_d(t)}%",
        context={**_loss_context(obs, loss, t), "loss_pct": _pct(pct)},
    )


def _loss_context(obs: SessionObservation, loss: Decimal, t: Decimal) -> dict[str, str]:
    return {
        "basis": "start_equity",
        "equity": _d(obs.equity),
        "start_equity": _d(obs.start_equity),
        "loss": _d(loss),
        "threshold": _d(t),
    }


def drawdown(obs: SessionObservation, t: Decimal | None, mem: RuleMemory) -> Finding | None:
    """Drawdown from the highest equity seen, in percent."""
    peak = mem.peak_equity
    if t is None or peak is None or peak <= 0:
        return None
    pct = (peak - obs.equity) / peak * 100
    if pct < t:
        return None
    return Finding(
        message=f"drawdown {_pct(pct)}% from peak equity {_money(peak)} reached {_d(t)}%",
        context={
            "equity": _d(obs.equity),
            "peak_equity": _d(peak),
            "drawdown_pct": _pct(pct),
            "threshold_pct": _d(t),
        },
    )


def exchange_errors(obs: SessionObservation, t: Decimal | None, _m: RuleMemory) -> Finding | None:
    """N consecutive failed exchange calls."""
    if t is None or obs.consecutive_exchange_errors < t:
        return None
    return Finding(
        message=f"{obs.consecutive_exchange_errors} consecutive exchange errors",
        context={"consecutive_errors": obs.consecutive_exchange_errors, "threshold": _d(t)},
    )


def stale_data(obs: SessionObservation, t: Decimal | None, mem: RuleMemory) -> Finding | None:
    """No new closed candle for threshold x timeframe (since the last close, or the start)."""
    if t is None or obs.timeframe_seconds <= 0:
        return None
    if obs.last_closed_candle_time is not None:
        since = obs.last_closed_candle_time + timedelta(seconds=obs.timeframe_seconds)
        what = f"last candle closed at {isoformat_utc(since)}"
    else:
        since = mem.first_seen if mem.first_seen is not None else obs.now
        what = "no closed candle since the session started"
    waited = Decimal((obs.now - since).total_seconds())
    limit = t * obs.timeframe_seconds
    if waited < limit:
        return None
    return Finding(
        message=f"market data stale: {what}, {_d(waited.quantize(Decimal(1)))}s ago",
        context={
            "last_closed_candle_time": (
                isoformat_utc(obs.last_closed_candle_time) if obs.last_closed_candle_time else None
            ),
            "seconds_without_candle": _d(waited.quantize(Decimal(1))),
            "timeframe_seconds": obs.timeframe_seconds,
            "threshold_timeframes": _d(t),
        },
    )


def halted(obs: SessionObservation, _t: Decimal | None, _m: RuleMemory) -> Finding | None:
    """Trading state is HALTED."""
    if obs.trading_state.strip().lower() != "halted":
        return None
    reason = obs.halt_reason or "no reason given"
    return Finding(message=f"trading halted: {reason}", context={"reason": obs.halt_reason})


def session_failed(obs: SessionObservation, _t: Decimal | None, _m: RuleMemory) -> Finding | None:
    """The session failed."""
    if not obs.session_failed:
        return None
    text = obs.failure_message or "no message"
    return Finding(message=f"session failed: {text}", context={"message": obs.failure_message})


@attrs.frozen(kw_only=True)
class RuleSpec:
    """A rule, its default level and threshold (config.toml documents the same defaults)."""

    check: Rule
    level: AlertLevel
    threshold: Decimal | None = None  # None: the rule has no threshold


# The one list of alert rules: config keys, defaults and the engine all come from here.
RULES: Mapping[str, RuleSpec] = {
    "risk_blocked": RuleSpec(check=risk_blocked, level=AlertLevel.WARNING),
    "large_loss_abs": RuleSpec(
        check=large_loss_abs, level=AlertLevel.CRITICAL, threshold=Decimal(500)
    ),
    "large_loss_pct": RuleSpec(
        check=large_loss_pct, level=AlertLevel.CRITICAL, threshold=Decimal(5)
    ),
    "drawdown": RuleSpec(check=drawdown, level=AlertLevel.WARNING, threshold=Decimal(10)),
    "exchange_errors": RuleSpec(
        check=exchange_errors, level=AlertLevel.WARNING, threshold=Decimal(3)
    ),
    "stale_data": RuleSpec(check=stale_data, level=AlertLevel.WARNING, threshold=Decimal(3)),
    "halted": RuleSpec(check=halted, level=AlertLevel.CRITICAL),
    "session_failed": RuleSpec(check=session_failed, level=AlertLevel.CRITICAL),
}
RULE_NAMES = tuple(RULES)
