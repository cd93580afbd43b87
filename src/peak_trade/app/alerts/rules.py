"""The alert rules: each looks at one SessionObservation and says whether its condition holds.

Two kinds of rule. A condition (losses, drawdown, errors, stale data, a halt) holds for a while
and alerts once per episode; a rule with a `critical_threshold` escalates within an episode when
the condition deepens past it. An event rule (`trading_state`) alerts once for every trading
state change noted since the previous observation.

Every threshold rule fires when the observed value reaches the threshold (>=). Losses are
measured from the session's start equity (not per UTC day: the daily loss is a risk limit that
moves trading to REDUCING, which the `trading_state` rule reports); drawdown from the highest
equity seen. Messages are written for a trader: what happened, to which symbol, the figures in
the base currency and what it means for trading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.domain.trading_state import TradingState, Transition
from peak_trade.ports.alerts import AlertLevel

if TYPE_CHECKING:
    from peak_trade.ports.alerts import SessionObservation

_CENT = Decimal("0.01")


Describe = Callable[[], tuple[str, Mapping[str, Any]]]


@attrs.frozen(kw_only=True)
class Finding:
    """A rule's condition holds: how severe it is and, asked only for an alert that fires,
    what to say.

    `describe()` returns the message and the JSON-ready context: a condition that holds for
    thousands of candles (a replay's lasting loss) alerts once, so its words are written
    once, not at every observation. `level` overrides the rule's configured level (an
    escalated drawdown, a state change back to ACTIVE); `tier` orders the severity steps of
    one condition: a higher tier alerts again within the same episode.
    """

    describe: Describe
    level: AlertLevel | None = None
    tier: int = 0

    @classmethod
    def said(
        cls, message: str, context: Mapping[str, Any], level: AlertLevel | None = None
    ) -> Finding:
        """A finding whose words are already written (event rules: each one alerts)."""
        return cls(describe=lambda: (message, context), level=level)


@attrs.frozen(kw_only=True)
class Thresholds:
    """A rule's effective thresholds (None: the rule has none)."""

    threshold: Decimal | None = None
    critical: Decimal | None = None


@attrs.define
class RuleMemory:
    """What rules remember between observations (all derived from observations and the state
    changes noted since the previous one)."""

    previous_risk_blocked: int = 0
    risk_blocked_delta: int = 0
    peak_equity: Decimal | None = None
    first_seen: datetime | None = None
    transitions: tuple[Transition, ...] = ()
    previous_venue_resets: int = 0
    venue_resets_delta: int = 0

    def update(self, obs: SessionObservation, transitions: Sequence[Transition] = ()) -> None:
        """Advance the memory with `obs` (and the state changes before it) before the rules
        look at it."""
        self.risk_blocked_delta = max(0, obs.risk_blocked_total - self.previous_risk_blocked)
        self.previous_risk_blocked = max(self.previous_risk_blocked, obs.risk_blocked_total)
        self.venue_resets_delta = max(0, obs.venue_resets - self.previous_venue_resets)
        self.previous_venue_resets = max(self.previous_venue_resets, obs.venue_resets)
        peaks = [p for p in (self.peak_equity, obs.peak_equity, obs.equity) if p is not None]
        self.peak_equity = max(peaks)
        if self.first_seen is None:
            self.first_seen = obs.now
        self.transitions = tuple(transitions)


Rule = Callable[["SessionObservation", Thresholds, RuleMemory], Finding | None]
EventRule = Callable[["SessionObservation", RuleMemory], Sequence[Finding]]


def _d(value: Decimal) -> str:
    return format_decimal(value)


def _pct(value: Decimal) -> str:
    return format_decimal(value.quantize(_CENT))


def _percent(value: Decimal) -> str:
    """Two places, always shown, for messages (`20.50%`)."""
    return format(value.quantize(_CENT), "f")


def _money(value: Decimal, currency: str = "") -> str:
    """Two places, always shown (a trader reads `512.30 EUR`, not `512.3`)."""
    text = format(value.quantize(_CENT), "f")
    return f"{text} {currency}" if currency else text


def _when(value: datetime) -> str:
    return isoformat_utc(value.replace(microsecond=0)).replace("T", " ").replace("Z", " UTC")


_LONG_NUMBER = r"-?\d+\.\d{3,}"


def _readable(reason: str, currency: str) -> str:
    """A limit's reason with percentages and base-currency amounts at two places (the risk
    limits state the exact figures: `0.527724973339427966% > 0.5%` reads `0.53% > 0.5%`);
    other numbers (quantities, prices) are left as they are."""
    units = "%" + (f"| {re.escape(currency)}\\b" if currency else "")
    return re.sub(
        f"({_LONG_NUMBER})(?=(?:{units}))",
        lambda m: _percent(Decimal(m.group(1))),
        reason,
    )


def _without_symbol(reason: str, symbol: str) -> str:
    """A risk message without its own `SYMBOL: ` prefix (the alert names the symbol first)."""
    prefix = f"{symbol}: "
    return reason[len(prefix) :] if symbol and reason.startswith(prefix) else reason


def risk_blocked(obs: SessionObservation, _t: Thresholds, mem: RuleMemory) -> Finding | None:
    """New risk-blocked orders since the previous observation."""
    if mem.risk_blocked_delta <= 0:
        return None
    new_blocks = mem.risk_blocked_delta

    def describe() -> tuple[str, Mapping[str, Any]]:
        symbol = obs.last_risk_block_symbol
        reason = _without_symbol(obs.last_risk_block_reason, symbol)
        reason = _readable(reason, obs.base_currency) or "a risk limit"
        subject = f"{symbol} order blocked" if symbol else "Order blocked"
        total = obs.risk_blocked_total
        message = (
            f"{subject} by a risk limit: {reason} "
            f"({total} order{'s' if total != 1 else ''} blocked so far)"
        )
        return message, {
            "symbol": symbol or None,
            "new_blocks": new_blocks,
            "blocked_total": total,
            "reason": obs.last_risk_block_reason,
        }

    return Finding(describe=describe)


def _loss_abs_tier(start: Decimal, equity: Decimal, _peak: Decimal, t: Thresholds) -> int | None:
    """0 while large_loss_abs holds, else None."""
    return None if t.threshold is None or start - equity < t.threshold else 0


def large_loss_abs(obs: SessionObservation, t: Thresholds, _m: RuleMemory) -> Finding | None:
    """Loss since the start of the session, in the base currency."""
    if _loss_abs_tier(obs.start_equity, obs.equity, obs.peak_equity, t) is None:
        return None
    limit = t.threshold
    assert limit is not None
    loss = obs.start_equity - obs.equity

    def describe() -> tuple[str, Mapping[str, Any]]:
        cur = obs.base_currency
        message = (
            f"Loss since the session started is {_money(loss, cur)}, at or above the alert "
            f"threshold of {_money(limit, cur)} (equity {_money(obs.equity, cur)}, started "
            f"with {_money(obs.start_equity, cur)})"
        )
        return message, _loss_context(obs, loss, limit)

    return Finding(describe=describe)


def _loss_pct_tier(start: Decimal, equity: Decimal, _peak: Decimal, t: Thresholds) -> int | None:
    """0 while large_loss_pct holds, else None."""
    if t.threshold is None or start <= 0:
        return None
    return None if (start - equity) / start * 100 < t.threshold else 0


def large_loss_pct(obs: SessionObservation, t: Thresholds, _m: RuleMemory) -> Finding | None:
    """Loss since the start of the session, in percent of the start equity."""
    if _loss_pct_tier(obs.start_equity, obs.equity, obs.peak_equity, t) is None:
        return None
    limit = t.threshold
    assert limit is not None
    loss = obs.start_equity - obs.equity
    pct = loss / obs.start_equity * 100

    def describe() -> tuple[str, Mapping[str, Any]]:
        cur = obs.base_currency
        message = (
            f"Loss since the session started is {_percent(pct)}% ({_money(loss, cur)}), at or "
            f"above the alert threshold of {_d(limit)}% (equity {_money(obs.equity, cur)})"
        )
        return message, {**_loss_context(obs, loss, limit), "loss_pct": _pct(pct)}

    return Finding(describe=describe)


def _loss_context(obs: SessionObservation, loss: Decimal, t: Decimal) -> dict[str, str]:
    return {
        "basis": "start_equity",
        "equity": _d(obs.equity),
        "start_equity": _d(obs.start_equity),
        "loss": _d(loss),
        "threshold": _d(t),
    }


def _drawdown_tier(_start: Decimal, equity: Decimal, peak: Decimal, t: Thresholds) -> int | None:
    """While the drawdown rule holds its tier (1: critical), else None."""
    if t.threshold is None or peak <= 0:
        return None
    pct = (peak - equity) / peak * 100
    if pct < t.threshold:
        return None
    return 1 if t.critical is not None and pct >= t.critical else 0


def drawdown(obs: SessionObservation, t: Thresholds, mem: RuleMemory) -> Finding | None:
    """Drawdown from the highest equity seen, in percent; critical past `critical_threshold`."""
    peak = mem.peak_equity
    if peak is None:
        return None
    tier = _drawdown_tier(obs.start_equity, obs.equity, peak, t)
    if tier is None:
        return None
    assert t.threshold is not None
    pct = (peak - obs.equity) / peak * 100
    critical = tier == 1
    limit = t.critical if critical and t.critical is not None else t.threshold
    warning = t.threshold

    def describe() -> tuple[str, Mapping[str, Any]]:
        cur = obs.base_currency
        context: dict[str, Any] = {
            "equity": _d(obs.equity),
            "peak_equity": _d(peak),
            "drawdown_pct": _pct(pct),
            "threshold_pct": _d(warning),
        }
        if t.critical is not None:
            context["critical_threshold_pct"] = _d(t.critical)
        message = (
            f"Drawdown {_percent(pct)}% from the peak equity of {_money(peak, cur)} (equity now "
            f"{_money(obs.equity, cur)}) reached the {'critical' if critical else 'warning'} "
            f"threshold of {_d(limit)}%"
        )
        return message, context

    return Finding(
        describe=describe,
        level=AlertLevel.CRITICAL if critical else None,
        tier=1 if critical else 0,
    )


def exchange_errors(obs: SessionObservation, t: Thresholds, _m: RuleMemory) -> Finding | None:
    """N consecutive failed exchange calls."""
    limit = t.threshold
    count = obs.consecutive_exchange_errors
    if limit is None or count < limit:
        return None

    def describe() -> tuple[str, Mapping[str, Any]]:
        message = (
            f"{count} exchange calls in a row failed (alert at {_d(limit)}); market data or "
            "orders may be missing until the exchange answers again"
        )
        return message, {"consecutive_errors": count, "threshold": _d(limit)}

    return Finding(describe=describe)


def stale_data(obs: SessionObservation, t: Thresholds, mem: RuleMemory) -> Finding | None:
    """No new closed candle for threshold x timeframe (since the last close, or the start)."""
    limit = t.threshold
    if limit is None or obs.timeframe_seconds <= 0:
        return None
    last = obs.last_closed_candle_time
    if last is not None:
        since = last + timedelta(seconds=obs.timeframe_seconds)
    else:
        since = mem.first_seen if mem.first_seen is not None else obs.now
    waited = Decimal((obs.now - since).total_seconds())
    if waited < limit * obs.timeframe_seconds:
        return None

    def describe() -> tuple[str, Mapping[str, Any]]:
        what = (
            f"the last candle closed at {_when(since)}"
            if last is not None
            else "no closed candle since the session started"
        )
        symbol = obs.stale_symbol
        seconds = waited.quantize(Decimal(1))
        message = (
            f"{symbol + ' ' if symbol else ''}market data stale: {what}, {_d(seconds)}s ago "
            f"(alert after {_d(limit)} candles of {obs.timeframe_seconds}s); the strategy sees "
            "no new prices"
        )
        return message, {
            "symbol": symbol or None,
            "last_closed_candle_time": isoformat_utc(last) if last else None,
            "seconds_without_candle": _d(seconds),
            "timeframe_seconds": obs.timeframe_seconds,
            "threshold_timeframes": _d(limit),
        }

    return Finding(describe=describe)


def halted(obs: SessionObservation, _t: Thresholds, _m: RuleMemory) -> Finding | None:
    """Trading state is HALTED."""
    if obs.trading_state.strip().lower() != TradingState.HALTED.value:
        return None

    def describe() -> tuple[str, Mapping[str, Any]]:
        reason = _readable(obs.halt_reason, obs.base_currency) or "no reason given"
        message = f"Trading HALTED: {reason}. No new orders for the rest of the run (cancels only)"
        return message, {"state": TradingState.HALTED.value, "reason": obs.halt_reason}

    return Finding(describe=describe)


def session_failed(obs: SessionObservation, _t: Thresholds, _m: RuleMemory) -> Finding | None:
    """The session failed."""
    if not obs.session_failed:
        return None
    text = obs.failure_message or "no message"
    return Finding.said(
        f"Session FAILED and stopped trading: {text}", {"message": obs.failure_message}
    )


def venue_reset(obs: SessionObservation, mem: RuleMemory) -> Sequence[Finding]:
    """The venue account changed outside the session since the previous observation (a
    testnet reset: orders erased, balances refilled); once for each reset seen."""
    if not mem.venue_resets_delta:
        return []
    text = obs.last_venue_reset or "the venue account changed outside this session"
    context = {"resets": obs.venue_resets, "message": obs.last_venue_reset}
    return [Finding.said(f"Venue account RESET: {text}", context)]


_AFTER = {
    TradingState.REDUCING: "only orders that reduce exposure go out",
    TradingState.ACTIVE: "new positions may be opened again",
}


def trading_state(obs: SessionObservation, mem: RuleMemory) -> Sequence[Finding]:
    """Every change of the trading state since the previous observation, except to HALTED
    (the `halted` rule reports that, critical): to REDUCING at the rule's level (warning),
    back to ACTIVE as info."""
    findings = []
    for change in mem.transitions:
        if change.after is TradingState.HALTED:
            continue
        meaning = _AFTER[change.after]
        if change.after is TradingState.REDUCING:
            until = change.until
            meaning += f" until {_when(until)}" if until else " for the rest of the run"
        findings.append(
            Finding.said(
                (
                    f"Trading state {change.before.value} → {change.after.value}: "
                    f"{_readable(change.reason, obs.base_currency)}; {meaning}"
                ),
                {
                    "from": change.before.value,
                    "to": change.after.value,
                    "reason": change.reason,
                    "until": isoformat_utc(change.until) if change.until else None,
                },
                level=AlertLevel.INFO if change.after is TradingState.ACTIVE else None,
            )
        )
    return findings


@attrs.frozen(kw_only=True)
class RuleSpec:
    """A rule, its default level and thresholds (config.toml documents the same defaults).

    Exactly one of `check` (a condition) and `events` (an event rule) is set.
    """

    level: AlertLevel
    check: Rule | None = None
    events: EventRule | None = None
    threshold: Decimal | None = None  # None: the rule has no threshold
    critical_threshold: Decimal | None = None  # None: the rule does not escalate


EquityTier = Callable[[Decimal, Decimal, Decimal, Thresholds], "int | None"]
# The rules whose condition moves with equity alone (start equity, equity, peak equity): the
# tier at which each holds, None while it does not (AlertEngine.equity_watch).
EQUITY_TIERS: Mapping[str, EquityTier] = {
    "large_loss_abs": _loss_abs_tier,
    "large_loss_pct": _loss_pct_tier,
    "drawdown": _drawdown_tier,
}

# The one list of alert rules: config keys, defaults and the engine all come from here.
RULES: Mapping[str, RuleSpec] = {
    "risk_blocked": RuleSpec(check=risk_blocked, level=AlertLevel.WARNING),
    "large_loss_abs": RuleSpec(
        check=large_loss_abs, level=AlertLevel.CRITICAL, threshold=Decimal(500)
    ),
    "large_loss_pct": RuleSpec(
        check=large_loss_pct, level=AlertLevel.CRITICAL, threshold=Decimal(5)
    ),
    "drawdown": RuleSpec(
        check=drawdown,
        level=AlertLevel.WARNING,
        threshold=Decimal(10),
        critical_threshold=Decimal(20),
    ),
    "exchange_errors": RuleSpec(
        check=exchange_errors, level=AlertLevel.WARNING, threshold=Decimal(3)
    ),
    "stale_data": RuleSpec(check=stale_data, level=AlertLevel.WARNING, threshold=Decimal(3)),
    "trading_state": RuleSpec(events=trading_state, level=AlertLevel.WARNING),
    "halted": RuleSpec(check=halted, level=AlertLevel.CRITICAL),
    "session_failed": RuleSpec(check=session_failed, level=AlertLevel.CRITICAL),
    "venue_reset": RuleSpec(events=venue_reset, level=AlertLevel.CRITICAL),
}
RULE_NAMES = tuple(RULES)
ESCALATING_RULES = tuple(name for name, spec in RULES.items() if spec.critical_threshold)
