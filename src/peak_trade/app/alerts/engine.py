"""Alert rules evaluated inside the session: SessionObservation in, Alerts out to every sink.

CONTRACT (shared by the session and the monitoring work):
- The session builds one `AlertEngine(config, sinks)` (see `build_alert_engine`) and calls
  `observe(observation)` after every step and once at the end; the engine returns the alerts it
  fired (already sent to every sink; alerts below `min_level` are neither sent nor returned).
  The session writes each returned alert as an `alert` event into events.jsonl and calls
  `close()` at the end so queued webhook deliveries get a short chance to finish.
- The engine never reads a clock: time is `observation.now`.
- Debounce per rule: a condition alerts once per episode (while it keeps holding it stays
  quiet); after it clears and returns it alerts again, but never sooner than `debounce_seconds`
  after that rule's previous alert: a condition flapping around its threshold alerts at most
  once per window, and if it still holds when the window ends it alerts then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.app.alerts.rules import RULES, RuleMemory
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.ports.alerts import Alert, AlertLevel, AlertSinkPort, SessionObservation

_log = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class ActiveRule:
    """One enabled rule with its level and effective threshold."""

    name: str
    level: AlertLevel
    threshold: Decimal | None


@attrs.define
class _Episode:
    alerted: bool = False  # this episode (the condition's current run of holding) has alerted
    last_fired: datetime | None = None


class AlertEngine:
    """Evaluates the enabled rules on each observation and delivers what fires to the sinks."""

    def __init__(self, config: AlertsConfig, sinks: Sequence[AlertSinkPort]) -> None:
        self._config = config
        self._sinks = tuple(sinks)
        self._rules = _active_rules(config)
        self._memory = RuleMemory()
        self._episodes = {rule.name: _Episode() for rule in self._rules}
        self.sink_failures = 0

    @property
    def rules(self) -> tuple[ActiveRule, ...]:
        return self._rules

    @property
    def enabled(self) -> bool:
        """False when no observation can ever fire (alerts off or no rule active)."""
        return self._config.enabled and bool(self._rules)

    @property
    def sinks(self) -> tuple[AlertSinkPort, ...]:
        return self._sinks

    def observe(self, observation: SessionObservation, *, deliver: bool = True) -> list[Alert]:
        """Evaluate every rule on `observation`; return (and, if `deliver`, send) the alerts
        that fire."""
        if not self._config.enabled:
            return []  # nothing can fire, so the rules' memory is not needed either
        self._memory.update(observation)
        fired: list[Alert] = []
        for rule in self._rules:
            finding = RULES[rule.name].check(observation, rule.threshold, self._memory)
            episode = self._episodes[rule.name]
            if finding is None:
                episode.alerted = False
                continue
            if episode.alerted or not self._debounce_over(episode.last_fired, observation.now):
                continue
            episode.alerted = True
            episode.last_fired = observation.now
            if rule.level < self._config.min_level:
                continue
            fired.append(
                Alert(
                    ts=observation.now,
                    level=rule.level,
                    rule=rule.name,
                    message=finding.message,
                    context=dict(finding.context),
                )
            )
        if deliver:
            for alert in fired:
                self._deliver(alert)
        return fired

    def close(self) -> None:
        """Close every sink (files, delivery workers after their bounded drain)."""
        for sink in self._sinks:
            try:
                sink.close()
            except Exception:
                _log.warning("alert sink %r failed to close", sink, exc_info=True)

    def _debounce_over(self, last_fired: datetime | None, now: datetime) -> bool:
        if last_fired is None:
            return True
        return (now - last_fired).total_seconds() >= self._config.debounce_seconds

    def _deliver(self, alert: Alert) -> None:
        for sink in self._sinks:
            try:
                sink.send(alert)
            except Exception:  # sinks must not raise; if one does, the session still goes on
                self.sink_failures += 1
                _log.warning("alert sink %r raised", sink, exc_info=True)


def _active_rules(config: AlertsConfig) -> tuple[ActiveRule, ...]:
    active = []
    for name, rule in config.rules.items():
        if name not in RULES:
            raise ValueError(f"unknown alert rule {name!r}; known: {', '.join(RULES)}")
        if not rule.enabled:
            continue
        threshold = rule.threshold if rule.threshold is not None else RULES[name].threshold
        active.append(ActiveRule(name=name, level=rule.level, threshold=threshold))
    return tuple(active)
