"""A replay with alerts on runs calm stretches while flat and quiet: the same alerts, at the same
times, and the same run log as looking at every candle, with far fewer observations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from tests.unit.app.session_harness import build, synthetic

from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import DEFAULT_ALERT_RULES, AlertsConfig
from peak_trade.ports.alerts import Alert, SessionObservation


def tight_config(drawdown_pct: str, critical_pct: str, debounce_seconds: int) -> AlertsConfig:
    """Thresholds a few fee-free trades reach: drawdowns fire, clear at new peaks and come
    back, some of them within the debounce window (held back while the session is flat)."""
    tight = {
        "large_loss_abs": Decimal(5),
        "large_loss_pct": Decimal("0.05"),
        "drawdown": Decimal(drawdown_pct),
    }
    rules = {
        name: attrs.evolve(rule, threshold=tight.get(name, rule.threshold))
        for name, rule in DEFAULT_ALERT_RULES.items()
    }
    rules["drawdown"] = attrs.evolve(rules["drawdown"], critical_threshold=Decimal(critical_pct))
    return AlertsConfig(rules=rules, debounce_seconds=debounce_seconds)


class CountingEngine(AlertEngine):
    """The real engine, counting observations; `always_look` makes it never quiet (the
    session then observes every candle, as before calm stretches)."""

    def __init__(self, config: AlertsConfig, *, always_look: bool) -> None:
        self.sent: list[Alert] = []
        super().__init__(config, [self])
        self.always_look = always_look
        self.observations = 0

    def send(self, alert: Alert) -> None:
        self.sent.append(alert)

    def close(self) -> None:
        pass

    def observe(self, observation: SessionObservation, *, deliver: bool = True) -> list[Alert]:
        self.observations += 1
        return super().observe(observation, deliver=deliver)

    def quiet(self) -> bool:
        return False if self.always_look else super().quiet()


def run(engine: CountingEngine) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    h = build(
        synthetic(4000),
        replay=True,
        warmup=20,
        heartbeat=200,
        alerts=engine,
        fee_rate=Decimal(0),
        slippage_bps=Decimal(0),
    )
    return h.session.run(), h.log.events


@pytest.mark.parametrize(
    ("drawdown_pct", "critical_pct", "debounce_seconds"),
    [("0.1", "20", 300), ("0.2", "20", 1800), ("0.1", "0.3", 300)],
)
def test_calm_stretches_with_alerts_give_the_same_alerts_and_run_log(
    drawdown_pct: str, critical_pct: str, debounce_seconds: int
) -> None:
    config = tight_config(drawdown_pct, critical_pct, debounce_seconds)
    batched = CountingEngine(config, always_look=False)
    every = CountingEngine(config, always_look=True)
    summary, events = run(batched)
    summary_every, events_every = run(every)

    rules = {alert.rule for alert in every.sent}
    assert {"large_loss_abs", "drawdown"} <= rules  # the scenario does fire
    assert len(every.sent) >= 9
    assert batched.sent == every.sent  # same rule, level, time, message and context
    assert events == events_every
    assert summary["steps"] == summary_every["steps"]
    assert every.observations == summary["steps"] + 1  # each step, and once at the end
    assert batched.observations < every.observations * 3 // 4  # flat about half the time
