"""AlertSinkPort and the Alert value every sink receives."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from peak_trade.domain.timeutil import utc_validator


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
    """Delivers alerts. Must never raise into the trading loop and never block for long."""

    def send(self, alert: Alert) -> None: ...
