"""WebhookAlertSink against a webhook receiver on loopback: payload, failures, a hanging hook."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from tests.support.alert_receivers import AlertReceiver, RecordedWaits, Reply

from peak_trade.adapters.alerts.delivery import DeliveryStats
from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertRuleConfig, AlertsConfig
from peak_trade.ports.alerts import Alert, AlertLevel, SessionObservation

SECRET_PATH = "/services/T0001/B0002/SECRETTOKEN42"
QUERY = "?token=abc"


def make_alert(rule: str = "halted") -> Alert:
    return Alert(
        ts=datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
        level=AlertLevel.CRITICAL,
        rule=rule,
        message="trading halted: max_daily_loss_abs",
        context={"reason": "max_daily_loss_abs", "equity": Decimal("9400.5")},
    )


def halted_observation() -> SessionObservation:
    return SessionObservation(
        now=datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
        equity=Decimal(10000),
        start_equity=Decimal(10000),
        peak_equity=Decimal(10000),
        daily_pnl=Decimal(0),
        drawdown_pct=Decimal(0),
        consecutive_exchange_errors=0,
        last_closed_candle_time=None,
        timeframe_seconds=60,
        trading_state="halted",
        halt_reason="max_daily_loss_abs",
    )


def halted_only_config() -> AlertsConfig:
    return AlertsConfig(
        min_level=AlertLevel.INFO,
        rules={"halted": AlertRuleConfig(level=AlertLevel.CRITICAL)},
    )


def test_receiver_gets_slack_text_and_structured_fields() -> None:
    with AlertReceiver() as receiver:
        sink = WebhookAlertSink(
            receiver.url(SECRET_PATH + QUERY), timeout_seconds=5, extra_fields={"run_id": "r1"}
        )
        sink.send(make_alert())
        assert sink.drain(10)
        sink.close()
    [request] = receiver.requests
    assert request.json() == {
        "text": "[CRITICAL] halted: trading halted: max_daily_loss_abs",
        "ts": "2026-01-05T12:00:00Z",
        "level": "critical",
        "rule": "halted",
        "message": "trading halted: max_daily_loss_abs",
        "context": {"reason": "max_daily_loss_abs", "equity": "9400.5"},
        "run_id": "r1",
    }
    assert request.path == SECRET_PATH + QUERY
    assert sink.stats() == DeliveryStats(delivered=1)


def test_engine_delivers_fired_alerts_to_the_webhook() -> None:
    with AlertReceiver() as receiver:
        sink = WebhookAlertSink(receiver.url(SECRET_PATH), timeout_seconds=5)
        engine = AlertEngine(halted_only_config(), [sink])
        engine.observe(halted_observation())
        assert sink.drain(10)
        engine.close()
    assert [b["rule"] for b in receiver.bodies()] == ["halted"]


def test_failed_delivery_is_retried_counted_and_logged_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    waits = RecordedWaits()
    with AlertReceiver(otherwise=Reply.http(500)) as failing:
        sink = WebhookAlertSink(failing.url(SECRET_PATH + QUERY), timeout_seconds=5, wait=waits)
        sink.send(make_alert())
        assert sink.drain(10)
        sink.close()
    assert sink.stats() == DeliveryStats(failed=1, retries=3)
    assert len(waits.seconds) == 3
    assert f"webhook {failing.base_url}: alert halted not delivered (HTTP 500)" in caplog.text
    assert "SECRETTOKEN42" not in caplog.text
    assert "token=abc" not in caplog.text


def test_unreachable_webhook_is_counted_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with AlertReceiver() as closed:
        url = closed.url(SECRET_PATH + QUERY)
    sink = WebhookAlertSink(url, timeout_seconds=2, wait=RecordedWaits())
    sink.send(make_alert())
    assert sink.drain(10)
    assert sink.stats().failed == 1
    assert "SECRETTOKEN42" not in caplog.text


def test_a_hanging_webhook_does_not_block_observe() -> None:
    with AlertReceiver(Reply.hang()) as hanging:
        sink = WebhookAlertSink(hanging.url(SECRET_PATH), timeout_seconds=60)
        engine = AlertEngine(halted_only_config(), [sink])
        returned = threading.Event()
        fired: list[Alert] = []

        def session_step() -> None:
            fired.extend(engine.observe(halted_observation()))
            returned.set()

        threading.Thread(target=session_step, daemon=True).start()
        assert hanging.wait_for(1), "the webhook request never arrived"
        # The receiver still holds the request open (it waits for `release`), yet observe is done.
        assert returned.wait(10), "observe() waited for the hanging webhook"
        assert not hanging.release.is_set()
        assert [a.rule for a in fired] == ["halted"]
        hanging.release.set()
        assert sink.drain(10)
        assert sink.stats().delivered == 1
        engine.close()


def test_a_full_queue_drops_and_counts_instead_of_blocking() -> None:
    with AlertReceiver(Reply.hang()) as hanging:
        sink = WebhookAlertSink(hanging.url(SECRET_PATH), timeout_seconds=60, queue_size=1)
        sink.send(make_alert("first"))
        assert hanging.wait_for(1)  # the worker is stuck on the first alert
        sink.send(make_alert("second"))  # fills the queue
        sink.send(make_alert("third"))  # dropped
        assert sink.stats().dropped == 1
        hanging.release.set()
        assert sink.drain(10)
        sink.close()
    assert [b["rule"] for b in hanging.bodies()] == ["first", "second"]
