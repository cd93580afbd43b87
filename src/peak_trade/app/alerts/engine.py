"""Alert rules evaluated inside the session: SessionObservation in, Alerts out to every sink.

CONTRACT (shared by the session and the monitoring work):
- The session builds one `AlertEngine(config, sinks)` (see `build_alert_engine`) and calls
  `observe(observation)` after every step and once at the end; the engine returns the alerts it
  fired (already sent to every sink; alerts below `min_level` are neither sent nor returned).
  The session writes each returned alert as an `alert` event into events.jsonl and calls
  `close()` at the end so queued webhook deliveries get a short chance to finish.
- The engine never reads a clock: time is `observation.now`.
- Trading state changes reach the engine through `note_transition` (the trading core's
  `on_transition` hook); the next `observe` reports each of them once (`trading_state` rule).
- Debounce per rule: a condition alerts once per episode (while it keeps holding it stays
  quiet); after it clears and returns it alerts again, but never sooner than `debounce_seconds`
  after that rule's previous alert: a condition flapping around its threshold alerts at most
  once per window, and if it still holds when the window ends it alerts then. A condition that
  deepens past its `critical_threshold` within an episode alerts again at once (escalation is
  never debounced); state changes are events and are never debounced either.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.app.alerts.rules import EQUITY_TIERS, RULES, Finding, RuleMemory, Thresholds
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.domain.trading_state import Transition
from peak_trade.ports.alerts import Alert, AlertLevel, AlertSinkPort, SessionObservation

_log = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class ActiveRule:
    """One enabled rule with its level and effective threshold."""

    name: str
    level: AlertLevel
    threshold: Decimal | None
    critical_threshold: Decimal | None = None

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(threshold=self.threshold, critical=self.critical_threshold)


@attrs.define
class _Episode:
    holding: bool = False  # the condition held at the last observation
    alerted: bool = False  # this episode (the condition's current run of holding) has alerted
    tier: int = -1  # the highest severity step alerted in this episode
    last_fired: datetime | None = None


class AlertEngine:
    """Evaluates the enabled rules on each observation and delivers what fires to the sinks."""

    def __init__(self, config: AlertsConfig, sinks: Sequence[AlertSinkPort]) -> None:
        self._config = config
        self._sinks = tuple(sinks)
        self._rules = _active_rules(config)
        self._memory = RuleMemory()
        self._episodes = {rule.name: _Episode() for rule in self._rules}
        # each rule's spec and thresholds, looked up once (observe runs after every step)
        self._specs = [(rule, RULES[rule.name], rule.thresholds) for rule in self._rules]
        self._start_equity: Decimal | None = None  # of the last observation
        self._transitions: list[Transition] = []
        self._watch_transitions = config.enabled and any(
            RULES[rule.name].events is not None for rule in self._rules
        )
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
        transitions, self._transitions = self._transitions, []
        self._start_equity = observation.start_equity
        self._memory.update(observation, transitions)
        fired: list[Alert] = []
        for rule, spec, thresholds in self._specs:
            if spec.events is not None:
                findings = spec.events(observation, self._memory)
                fired += [self._alert(rule, f, observation) for f in findings]
                continue
            assert spec.check is not None
            finding = spec.check(observation, thresholds, self._memory)
            if self._fires(self._episodes[rule.name], finding, observation.now):
                assert finding is not None
                fired.append(self._alert(rule, finding, observation))
        fired = [alert for alert in fired if alert.level >= self._config.min_level]
        if deliver:
            for alert in fired:
                self._deliver(alert)
        return fired

    def quiet(self) -> bool:
        """Nothing can fire while the figures stand still: no state change noted, and every
        condition that holds has alerted (none waits for its debounce to pass)."""
        if self._transitions:
            return False
        return all(not episode.holding or episode.alerted for episode in self._episodes.values())

    def equity_watch(self) -> Callable[[Decimal, Decimal], bool] | None:
        """See AlertObserver.equity_watch: each equity rule's tier (EQUITY_TIERS) must stay
        what its episode holds, or none while it does not hold; the peak is the one the
        rules' memory would keep."""
        start, memory = self._start_equity, self._memory
        if start is None or memory.peak_equity is None or not self.quiet():
            return None
        watched = []
        for rule, _spec, thresholds in self._specs:
            tier_of = EQUITY_TIERS.get(rule.name)
            if tier_of is not None:
                episode = self._episodes[rule.name]
                watched.append((tier_of, thresholds, episode.tier if episode.holding else None))
        remembered = memory.peak_equity

        def unchanged(equity: Decimal, peak: Decimal) -> bool:
            top = max(remembered, peak, equity)
            for tier_of, thresholds, held in watched:
                tier = tier_of(start, equity, top, thresholds)
                if tier is None or held is None:
                    if tier is not held:
                        return False  # a condition starts or clears here
                elif tier > held:
                    return False  # it deepens past what it alerted
            return True

        return unchanged

    def note_transition(self, transition: Transition) -> None:
        """A trading state change (the core's `on_transition` hook): the next `observe`
        reports it."""
        if self._watch_transitions:
            self._transitions.append(transition)

    def close(self) -> None:
        """Close every sink (files, delivery workers after their bounded drain) at the same
        time: closing takes as long as the slowest sink, not the sum of them."""
        closers = [
            threading.Thread(target=self._close_sink, args=(sink,), daemon=True)
            for sink in self._sinks
        ]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join()

    @staticmethod
    def _close_sink(sink: AlertSinkPort) -> None:
        try:
            sink.close()
        except Exception:
            _log.warning("alert sink %r failed to close", sink, exc_info=True)

    def _fires(self, episode: _Episode, finding: Finding | None, now: datetime) -> bool:
        """Whether a condition's finding alerts now (episodes, escalation and debounce)."""
        episode.holding = finding is not None
        if finding is None:
            episode.alerted, episode.tier = False, -1
            return False
        escalated = episode.alerted and finding.tier > episode.tier
        if not escalated and (episode.alerted or not self._debounce_over(episode.last_fired, now)):
            return False
        episode.alerted = True
        episode.tier = max(episode.tier, finding.tier)
        episode.last_fired = now
        return True

    @staticmethod
    def _alert(rule: ActiveRule, finding: Finding, observation: SessionObservation) -> Alert:
        message, context = finding.describe()
        return Alert(
            ts=observation.now,
            level=finding.level if finding.level is not None else rule.level,
            rule=rule.name,
            message=message,
            context=dict(context),
        )

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
        spec = RULES[name]
        threshold = rule.threshold if rule.threshold is not None else spec.threshold
        critical = (
            rule.critical_threshold
            if rule.critical_threshold is not None
            else spec.critical_threshold
        )
        if critical is not None and threshold is not None and critical <= threshold:
            critical = None  # a warning threshold at or past the critical one: no second step
        active.append(
            ActiveRule(
                name=name, level=rule.level, threshold=threshold, critical_threshold=critical
            )
        )
    return tuple(active)
