"""Alerts a trader acts on: the drawdown alert escalates with depth, every trading state change
is reported once at its level, and alerts name the symbol they concern."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.rules import RULE_NAMES
from peak_trade.app.alerts.settings import DEFAULT_ALERT_RULES
from peak_trade.app.config import AlertRuleConfig, AlertsConfig
from peak_trade.domain.trading_state import TradingState, Transition
from peak_trade.ports.alerts import Alert, AlertLevel, SessionObservation

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
MIDNIGHT = datetime(2026, 1, 6, tzinfo=UTC)
ACTIVE, REDUCING, HALTED = TradingState.ACTIVE, TradingState.REDUCING, TradingState.HALTED


def rules_only(*names: str, **settings: AlertRuleConfig) -> AlertsConfig:
    rules = {
        name: attrs.evolve(DEFAULT_ALERT_RULES[name], enabled=name in names) for name in RULE_NAMES
    }
    rules |= settings
    return AlertsConfig(min_level=AlertLevel.INFO, debounce_seconds=300, rules=rules)


def obs(minute: int = 0, **changes: Any) -> SessionObservation:
    base: Mapping[str, Any] = {
        "now": T0 + timedelta(minutes=minute),
        "equity": Decimal(10000),
        "start_equity": Decimal(10000),
        "peak_equity": Decimal(10000),
        "daily_pnl": Decimal(0),
        "drawdown_pct": Decimal(0),
        "consecutive_exchange_errors": 0,
        "last_closed_candle_time": T0 + timedelta(minutes=minute - 1),
        "timeframe_seconds": 60,
        "trading_state": "active",
        "base_currency": "EUR",
    }
    return SessionObservation(**{**base, **changes})


def drawdown_engine(threshold: str = "10", critical: str | None = "20") -> AlertEngine:
    rule = AlertRuleConfig(
        level=AlertLevel.WARNING,
        threshold=Decimal(threshold),
        critical_threshold=Decimal(critical) if critical is not None else None,
    )
    return AlertEngine(rules_only("drawdown", drawdown=rule), [])


def levels(engine: AlertEngine, equities: list[str]) -> list[tuple[int, str]]:
    fired = [engine.observe(obs(m, equity=Decimal(e))) for m, e in enumerate(equities)]
    return [(m, str(alert.level)) for m, alerts in enumerate(fired) for alert in alerts]


def test_drawdown_warns_at_its_threshold_and_turns_critical_deeper_in_the_same_episode() -> None:
    engine = drawdown_engine()
    path = ["10000", "9000", "8500", "8000", "7000", "8100", "10000"]
    assert levels(engine, path) == [(1, "warning"), (3, "critical")]


def test_the_escalation_is_not_held_back_by_the_debounce_window() -> None:
    engine = drawdown_engine()
    # warning at minute 1, critical one minute later: well inside the 300 s window
    assert levels(engine, ["10000", "8900", "7900"]) == [(1, "warning"), (2, "critical")]


def test_a_drawdown_that_jumps_past_both_thresholds_alerts_once_as_critical() -> None:
    engine = drawdown_engine()
    assert levels(engine, ["10000", "7500", "7000", "8500", "7600"]) == [(1, "critical")]


def test_a_recovered_and_returning_drawdown_warns_again_after_the_window() -> None:
    engine = drawdown_engine()
    path = ["10000", "8900"] + ["10000"] * 5 + ["8900", "7900"]
    assert levels(engine, path) == [(1, "warning"), (7, "warning"), (8, "critical")]


def test_the_default_critical_threshold_applies_when_none_is_configured() -> None:
    engine = AlertEngine(
        rules_only("drawdown", drawdown=AlertRuleConfig(threshold=Decimal(10))), []
    )
    assert levels(engine, ["10000", "8500", "8100", "7900"]) == [(1, "warning"), (3, "critical")]


def test_a_warning_threshold_past_the_critical_one_leaves_a_single_step() -> None:
    engine = drawdown_engine(threshold="25", critical="20")
    assert levels(engine, ["10000", "7900", "7400", "5000"]) == [(2, "warning")]


def test_the_drawdown_message_reads_with_money_places_and_currency() -> None:
    [alert] = drawdown_engine().observe(obs(equity=Decimal("7950.5")))
    assert alert.level is AlertLevel.CRITICAL
    assert alert.message == (
        "Drawdown 20.50% from the peak equity of 10000.00 EUR (equity now 7950.50 EUR) "
        "reached the critical threshold of 20%"
    )
    assert alert.context["critical_threshold_pct"] == "20"


def transitions_engine(min_level: AlertLevel = AlertLevel.INFO) -> AlertEngine:
    config = rules_only("trading_state", "halted")
    return AlertEngine(AlertsConfig(min_level=min_level, rules=config.rules), [])


def test_every_state_change_alerts_once_at_its_level() -> None:
    engine = transitions_engine()
    engine.note_transition(
        Transition(before=ACTIVE, after=REDUCING, reason="max_daily_loss_pct", until=MIDNIGHT)
    )
    first = engine.observe(obs(0, trading_state="reducing"))
    assert engine.observe(obs(1, trading_state="reducing")) == []  # reported once
    engine.note_transition(Transition(before=REDUCING, after=ACTIVE, reason="UTC midnight"))
    back = engine.observe(obs(2))
    engine.note_transition(Transition(before=ACTIVE, after=HALTED, reason="3 order failures"))
    halt = engine.observe(obs(3, trading_state="halted", halt_reason="3 order failures"))

    assert [(a.rule, a.level) for a in first] == [("trading_state", AlertLevel.WARNING)]
    assert [(a.rule, a.level) for a in back] == [("trading_state", AlertLevel.INFO)]
    # to HALTED: one critical alert (the halted rule), not a second one from trading_state
    assert [(a.rule, a.level) for a in halt] == [("halted", AlertLevel.CRITICAL)]


def test_state_change_messages_say_what_trading_may_still_do() -> None:
    engine = transitions_engine()
    engine.note_transition(
        Transition(before=ACTIVE, after=REDUCING, reason="daily loss 5.2% > 5%", until=MIDNIGHT)
    )
    engine.note_transition(Transition(before=REDUCING, after=REDUCING, reason="stop: drawdown"))
    engine.note_transition(Transition(before=REDUCING, after=ACTIVE, reason="reset at midnight"))
    alerts = engine.observe(obs())
    assert [a.message for a in alerts] == [
        "Trading state active → reducing: daily loss 5.2% > 5%; only orders that reduce "
        "exposure go out until 2026-01-06 00:00:00 UTC",
        "Trading state reducing → reducing: stop: drawdown; only orders that reduce exposure "
        "go out for the rest of the run",
        "Trading state reducing → active: reset at midnight; new positions may be opened again",
    ]
    assert alerts[0].context == {
        "from": "active",
        "to": "reducing",
        "reason": "daily loss 5.2% > 5%",
        "until": "2026-01-06T00:00:00Z",
    }


def test_back_to_active_is_info_and_left_out_below_min_level() -> None:
    engine = transitions_engine(min_level=AlertLevel.WARNING)
    engine.note_transition(Transition(before=ACTIVE, after=REDUCING, reason="loss"))
    engine.note_transition(Transition(before=REDUCING, after=ACTIVE, reason="reset"))
    assert [a.context["to"] for a in engine.observe(obs())] == ["reducing"]


def test_state_changes_are_not_kept_when_the_rule_is_off() -> None:
    engine = AlertEngine(rules_only("halted"), [])
    engine.note_transition(Transition(before=ACTIVE, after=REDUCING, reason="loss"))
    assert engine.observe(obs()) == []
    on = AlertEngine(rules_only("trading_state"), [])
    on.note_transition(Transition(before=ACTIVE, after=REDUCING, reason="loss"))
    assert len(on.observe(obs())) == 1


def test_state_changes_evaluated_without_delivery_are_not_sent_later() -> None:
    sent: list[Alert] = []

    class Sink:
        def send(self, alert: Alert) -> None:
            sent.append(alert)

        def close(self) -> None:
            pass

    config = rules_only("trading_state")
    engine = AlertEngine(config, [Sink()])
    engine.note_transition(Transition(before=ACTIVE, after=REDUCING, reason="loss"))
    assert len(engine.observe(obs(0), deliver=False)) == 1  # a resumed replay re-living it
    assert engine.observe(obs(1)) == []
    assert sent == []


def test_a_risk_block_alert_names_its_symbol_once() -> None:
    engine = AlertEngine(rules_only("risk_blocked"), [])
    reason = "ETH/EUR: max_symbol_exposure_notional breached: 2600 EUR > 2500 EUR"
    [alert] = engine.observe(
        obs(risk_blocked_total=3, last_risk_block_reason=reason, last_risk_block_symbol="ETH/EUR")
    )
    assert alert.message == (
        "ETH/EUR order blocked by a risk limit: max_symbol_exposure_notional breached: "
        "2600 EUR > 2500 EUR (3 orders blocked so far)"
    )
    assert alert.context["symbol"] == "ETH/EUR"


def test_a_stale_data_alert_names_the_symbol_whose_data_is_oldest() -> None:
    engine = AlertEngine(rules_only("stale_data"), [])
    [alert] = engine.observe(
        obs(10, last_closed_candle_time=T0, stale_symbol="ETH/EUR", timeframe_seconds=60)
    )
    assert alert.message.startswith("ETH/EUR market data stale: the last candle closed at ")
    assert "2026-01-05 12:01:00 UTC, 540s ago" in alert.message
    assert alert.context["symbol"] == "ETH/EUR"


def test_loss_alerts_show_money_with_two_places_and_the_currency() -> None:
    engine = AlertEngine(
        rules_only(
            "large_loss_abs",
            "large_loss_pct",
            large_loss_abs=AlertRuleConfig(threshold=Decimal(500)),
            large_loss_pct=AlertRuleConfig(threshold=Decimal(5)),
        ),
        [],
    )
    alerts = {a.rule: a.message for a in engine.observe(obs(equity=Decimal("9487.7")))}
    assert alerts == {
        "large_loss_abs": "Loss since the session started is 512.30 EUR, at or above the alert "
        "threshold of 500.00 EUR (equity 9487.70 EUR, started with 10000.00 EUR)",
        "large_loss_pct": "Loss since the session started is 5.12% (512.30 EUR), at or above "
        "the alert threshold of 5% (equity 9487.70 EUR)",
    }


def test_limit_reasons_read_with_two_places_for_percentages_and_money_only() -> None:
    engine = transitions_engine()
    engine.note_transition(
        Transition(
            before=ACTIVE,
            after=REDUCING,
            reason="max_daily_loss_pct breached: 0.527724973339427966% > 0.5%; "
            "exposure 2600.123456 EUR > 2500 EUR; position 0.01620014 BTC",
        )
    )
    [alert] = engine.observe(obs())
    assert (
        "max_daily_loss_pct breached: 0.53% > 0.5%; exposure 2600.12 EUR > 2500 EUR; "
        "position 0.01620014 BTC;" in alert.message
    )
    assert alert.context["reason"].startswith("max_daily_loss_pct breached: 0.5277249733")
