"""Alerts: the Alert value, where alerts go (AlertSinkPort) and what the session asks of the
engine that decides them (AlertObserver, fed with SessionObservations)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

import attrs

from peak_trade.domain.timeutil import utc_validator
from peak_trade.domain.trading_state import Transition


class AlertLevel(enum.IntEnum):
    INFO = 10
    WARNING = 20
    CRITICAL = 30

    @classmethod
    def parse(cls, text: str) -> AlertLevel:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown alert level {text!r}; known: info, warning, critical"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


@attrs.frozen(kw_only=True)
class Alert:
    """One alert: when, how severe, which rule fired, a message and JSON-ready context."""

    ts: datetime = attrs.field(validator=utc_validator)
    level: AlertLevel
    rule: str
    message: str
    context: Mapping[str, Any] = attrs.field(factory=dict)


@runtime_checkable
class AlertSinkPort(Protocol):
    """Delivers alerts. `send` must never raise into the trading loop nor block for long;
    `close` releases what the sink holds (files, a delivery worker after a bounded drain)."""

    def send(self, alert: Alert) -> None: ...

    def close(self) -> None: ...


@attrs.frozen(kw_only=True)
class SessionObservation:
    """What the alert rules look at after a step; every figure comes from the session's ledger."""

    now: datetime = attrs.field(validator=utc_validator)
    equity: Decimal
    start_equity: Decimal
    peak_equity: Decimal
    daily_pnl: Decimal
    drawdown_pct: Decimal
    consecutive_exchange_errors: int
    last_closed_candle_time: datetime | None
    timeframe_seconds: int
    trading_state: str  # a TradingState value: "active" | "reducing" | "halted"
    base_currency: str = ""  # the currency of equity and the loss figures
    halt_reason: str = ""
    risk_blocked_total: int = 0  # cumulative count of risk-blocked orders
    last_risk_block_reason: str = ""
    last_risk_block_symbol: str = ""
    stale_symbol: str = ""  # the symbol whose newest closed candle is oldest
    session_failed: bool = False
    failure_message: str = ""
    venue_resets: int = 0  # cumulative count of venue account resets seen (a testnet's refill)
    last_venue_reset: str = ""  # what the latest one changed


@runtime_checkable
class AlertObserver(Protocol):
    """What the session needs from the alert engine: observe after each step, close at the end.

    `observe` returns the alerts that fired (delivered to every sink unless told not to);
    `enabled` is False when no observation can ever fire, so the session need not build them.
    """

    @property
    def enabled(self) -> bool: ...

    def observe(self, observation: SessionObservation, *, deliver: bool = True) -> list[Alert]:
        """The alerts that fire on `observation`; `deliver=False` evaluates the rules (their
        memory moves on) without sending anything (a resumed replay re-living its record)."""
        ...

    def note_transition(self, transition: Transition) -> None:
        """A trading state change (the trading core's `on_transition` hook); the next
        `observe` reports it."""
        ...

    def equity_watch(self) -> Callable[[Decimal, Decimal], bool] | None:
        """For a replay's calm stretch (the figures the rules read other than equity stand
        still, and each step's newest candle closes at its time): a check of (equity, peak
        equity) that stays True while every rule would find what it found at the last
        observation (the same conditions holding, none deeper), so skipped observations would
        fire nothing. None when something may fire regardless: a state change waits to be
        reported, or a holding condition is only held back by the debounce."""
        ...

    def close(self) -> None:
        """Close every sink; returns within the sinks' bounded close deadlines."""
        ...
