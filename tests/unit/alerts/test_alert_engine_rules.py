"""AlertEngine rules: each fires exactly when its condition starts to hold, once per episode."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.config import AlertRuleConfig, AlertsConfig
from peak_trade.ports.alerts import Alert, AlertLevel, SessionObservation

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
RULES = (
    "risk_blocked",
    "large_loss_abs",
    "large_loss_pct",
    "drawdown",
    "exchange_errors",
    "stale_data",
    "halted",
    "session_failed",
    "venue_reset",
)


class RecordingSink:
    def __init__(self) -> None:
        self.alerts: list[Alert] = []

    def send(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def close(self) -> None:
        self.closed = True


def only_rule(
    name: str,
    threshold: str | None = None,
    *,
    level: AlertLevel = AlertLevel.WARNING,
    debounce_seconds: int = 0,
    min_level: AlertLevel = AlertLevel.INFO,
) -> AlertsConfig:
    rules = {
        rule: AlertRuleConfig(
            enabled=rule == name,
            level=level,
            threshold=Decimal(threshold) if threshold is not None and rule == name else None,
        )
        for rule in RULES
    }
    return AlertsConfig(min_level=min_level, debounce_seconds=debounce_seconds, rules=rules)


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
    }
    return SessionObservation(**{**base, **changes})


def fired_steps(engine: AlertEngine, observations: list[SessionObservation]) -> list[int]:
    return [i for i, o in enumerate(observations) if engine.observe(o)]


def test_risk_blocked_fires_when_the_count_rises_and_once_per_run_of_blocks() -> None:
    engine = AlertEngine(only_rule("risk_blocked"), [RecordingSink()])
    totals = [0, 1, 2, 2, 2, 3, 3]
    steps = [
        obs(i, risk_blocked_total=t, last_risk_block_reason="max_order_notional")
        for i, t in enumerate(totals)
    ]
    assert fired_steps(engine, steps) == [1, 5]


def test_risk_blocked_alert_names_the_limit() -> None:
    engine = AlertEngine(only_rule("risk_blocked"), [])
    alerts = engine.observe(obs(risk_blocked_total=1, last_risk_block_reason="max_order_notional"))
    assert alerts[0].rule == "risk_blocked"
    assert "max_order_notional" in alerts[0].message
    assert alerts[0].context["blocked_total"] == 1


def test_large_loss_abs_fires_at_the_threshold_from_start_equity() -> None:
    engine = AlertEngine(only_rule("large_loss_abs", "500"), [])
    equities = ["10000", "9600", "9500.01", "9500", "9400", "9800", "9400"]
    steps = [obs(i, equity=Decimal(e)) for i, e in enumerate(equities)]
    assert fired_steps(engine, steps) == [3, 6]


def test_large_loss_abs_context_says_the_basis_is_start_equity() -> None:
    engine = AlertEngine(only_rule("large_loss_abs", "500"), [])
    [alert] = engine.observe(obs(equity=Decimal(9000)))
    assert alert.context["basis"] == "start_equity"
    assert alert.context["loss"] == "1000"


def test_large_loss_pct_fires_at_the_percentage_of_start_equity() -> None:
    engine = AlertEngine(only_rule("large_loss_pct", "5"), [])
    equities = ["10000", "9501", "9500", "9000", "10100", "9499"]
    steps = [obs(i, equity=Decimal(e)) for i, e in enumerate(equities)]
    assert fired_steps(engine, steps) == [2, 5]


def test_drawdown_follows_the_peak_of_a_known_equity_path() -> None:
    # peak 11000 at step 2; 10 % below it is 9900
    engine = AlertEngine(only_rule("drawdown", "10"), [])
    path = ["10000", "10500", "11000", "10000", "9901", "9900", "9000", "10950", "9800"]
    steps = [obs(i, equity=Decimal(e), peak_equity=Decimal(10000)) for i, e in enumerate(path)]
    fired = [(i, engine.observe(o)) for i, o in enumerate(steps)]
    hits = [(i, a[0].context["drawdown_pct"], a[0].context["peak_equity"]) for i, a in fired if a]
    assert hits == [(5, "10", "11000"), (8, "10.91", "11000")]


def test_drawdown_does_not_fire_on_a_loss_from_start_that_is_not_from_peak() -> None:
    engine = AlertEngine(only_rule("drawdown", "10"), [])
    assert engine.observe(obs(equity=Decimal(9100))) == []


def test_exchange_errors_fires_at_n_consecutive_failures() -> None:
    engine = AlertEngine(only_rule("exchange_errors", "3"), [])
    errors = [0, 1, 2, 3, 4, 5, 0, 3]
    steps = [obs(i, consecutive_exchange_errors=n) for i, n in enumerate(errors)]
    assert fired_steps(engine, steps) == [3, 7]


def test_stale_data_fires_after_threshold_timeframes_without_a_new_candle() -> None:
    engine = AlertEngine(only_rule("stale_data", "3"), [])
    last = T0  # closes at T0 + 1 min
    steps = [
        obs(0, now=T0 + timedelta(minutes=1), last_closed_candle_time=last),
        obs(0, now=T0 + timedelta(minutes=3, seconds=59), last_closed_candle_time=last),
        obs(0, now=T0 + timedelta(minutes=4), last_closed_candle_time=last),
        obs(0, now=T0 + timedelta(minutes=9), last_closed_candle_time=last),
        obs(0, now=T0 + timedelta(minutes=10), last_closed_candle_time=T0 + timedelta(minutes=9)),
        obs(0, now=T0 + timedelta(minutes=14), last_closed_candle_time=T0 + timedelta(minutes=9)),
    ]
    assert fired_steps(engine, steps) == [2, 5]


def test_stale_data_counts_from_the_first_observation_when_no_candle_was_seen() -> None:
    engine = AlertEngine(only_rule("stale_data", "2"), [])
    steps = [
        obs(0, last_closed_candle_time=None),
        obs(1, last_closed_candle_time=None),
        obs(2, last_closed_candle_time=None),
    ]
    assert fired_steps(engine, steps) == [2]


def test_halted_fires_when_trading_state_becomes_halted() -> None:
    engine = AlertEngine(only_rule("halted", level=AlertLevel.CRITICAL), [])
    states = ["active", "halted", "halted", "active", "halted"]
    steps = [
        obs(i, trading_state=s, halt_reason="max_daily_loss_abs") for i, s in enumerate(states)
    ]
    fired = [engine.observe(o) for o in steps]
    assert [i for i, a in enumerate(fired) if a] == [1, 4]
    assert fired[1][0].level is AlertLevel.CRITICAL
    assert "max_daily_loss_abs" in fired[1][0].message


def test_session_failed_fires_once() -> None:
    engine = AlertEngine(only_rule("session_failed"), [])
    steps = [
        obs(0),
        obs(1, session_failed=True, failure_message="auth"),
        obs(2, session_failed=True, failure_message="auth"),
    ]
    assert fired_steps(engine, steps) == [1]


def test_venue_reset_alerts_once_per_reset_and_says_what_changed() -> None:
    sink = RecordingSink()
    engine = AlertEngine(only_rule("venue_reset", level=AlertLevel.CRITICAL), [sink])
    first = "the account holds 10000 USDT where ... gives 9000"
    steps = [
        obs(0),
        obs(1, venue_resets=1, last_venue_reset=first),
        obs(2, venue_resets=1, last_venue_reset=first),  # the same reset: no second alert
        obs(3, venue_resets=2, last_venue_reset="order PT-7 is gone (-2013)"),
    ]
    assert fired_steps(engine, steps) == [1, 3]
    assert [a.level for a in sink.alerts] == [AlertLevel.CRITICAL] * 2
    assert sink.alerts[0].message == f"Venue account RESET: {first}"
    assert sink.alerts[1].context == {"resets": 2, "message": "order PT-7 is gone (-2013)"}


def test_a_persisting_condition_alerts_once_however_long_it_lasts() -> None:
    engine = AlertEngine(only_rule("exchange_errors", "1", debounce_seconds=300), [])
    steps = [obs(m, consecutive_exchange_errors=5) for m in range(0, 120, 1)]
    assert fired_steps(engine, steps) == [0]


def test_a_condition_that_returns_after_the_debounce_window_alerts_again() -> None:
    engine = AlertEngine(only_rule("halted", debounce_seconds=300), [])
    states = {0: "halted", 1: "active", 6: "halted"}
    steps = [obs(m, trading_state=states.get(m, "active")) for m in range(8)]
    assert fired_steps(engine, steps) == [0, 6]


def test_a_flapping_condition_alerts_at_most_once_per_debounce_window() -> None:
    engine = AlertEngine(only_rule("halted", debounce_seconds=300), [])
    # flaps every minute; returns at minute 2 and 4 are inside the window after minute 0
    pattern = ["halted", "active"] * 5
    steps = [obs(m, trading_state=s) for m, s in enumerate(pattern)]
    assert fired_steps(engine, steps) == [0, 6]


def test_a_condition_suppressed_by_the_window_alerts_when_the_window_ends() -> None:
    engine = AlertEngine(only_rule("halted", debounce_seconds=300), [])
    states = ["halted", "active", "halted", "halted", "halted", "halted", "halted"]
    steps = [obs(m, trading_state=s) for m, s in enumerate(states)]
    assert fired_steps(engine, steps) == [0, 5]


def test_zero_debounce_alerts_on_every_return() -> None:
    engine = AlertEngine(only_rule("halted", debounce_seconds=0), [])
    states = ["halted", "active", "halted", "active", "halted"]
    steps = [obs(m, trading_state=s) for m, s in enumerate(states)]
    assert fired_steps(engine, steps) == [0, 2, 4]


def test_alerts_below_min_level_are_neither_sent_nor_returned() -> None:
    sink = RecordingSink()
    config = only_rule("halted", level=AlertLevel.INFO, min_level=AlertLevel.WARNING)
    engine = AlertEngine(config, [sink])
    assert engine.observe(obs(trading_state="halted")) == []
    assert sink.alerts == []


def test_alerts_at_min_level_go_to_every_sink() -> None:
    sinks = [RecordingSink(), RecordingSink()]
    config = only_rule("halted", level=AlertLevel.WARNING, min_level=AlertLevel.WARNING)
    engine = AlertEngine(config, sinks)
    [alert] = engine.observe(obs(trading_state="halted"))
    assert [s.alerts for s in sinks] == [[alert], [alert]]
    assert alert.ts == T0


def test_disabled_alerts_fire_nothing() -> None:
    config = attrs.evolve(only_rule("halted"), enabled=False)
    engine = AlertEngine(config, [])
    assert engine.observe(obs(trading_state="halted")) == []


def test_a_disabled_rule_stays_silent_while_others_fire() -> None:
    engine = AlertEngine(only_rule("halted"), [])
    alerts = engine.observe(
        obs(trading_state="halted", session_failed=True, consecutive_exchange_errors=9)
    )
    assert [a.rule for a in alerts] == ["halted"]


def test_a_raising_sink_does_not_stop_the_others() -> None:
    class BrokenSink:
        def send(self, alert: Alert) -> None:
            raise OSError("disk full")

        def close(self) -> None:
            raise OSError("disk full")

    good = RecordingSink()
    engine = AlertEngine(only_rule("halted"), [BrokenSink(), good])
    engine.observe(obs(trading_state="halted"))
    assert len(good.alerts) == 1
    assert engine.sink_failures == 1


def test_unknown_rule_name_in_config_is_refused() -> None:
    config = AlertsConfig(rules={"moon_phase": AlertRuleConfig()})
    with pytest.raises(ValueError, match="moon_phase"):
        AlertEngine(config, [])


def test_default_config_rules_fire_on_a_crash_scenario() -> None:
    engine = AlertEngine(AlertsConfig(), [])
    alerts = engine.observe(
        obs(equity=Decimal(8000), consecutive_exchange_errors=5, trading_state="halted")
    )
    assert {a.rule for a in alerts} == {
        "large_loss_abs",
        "large_loss_pct",
        "drawdown",
        "exchange_errors",
        "halted",
    }


def test_engine_is_enabled_only_when_an_observation_could_fire() -> None:
    assert AlertEngine(only_rule("halted"), []).enabled
    assert not AlertEngine(attrs.evolve(only_rule("halted"), enabled=False), []).enabled
    assert not AlertEngine(only_rule("no_such_rule"), []).enabled  # every rule switched off
