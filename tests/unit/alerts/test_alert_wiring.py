"""The composition root builds the configured alert services from the environment variables the
config names, never shows a secret, and reports every trading state change of a session."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from tests.unit.app.fakes import MemoryRunLog

from peak_trade.adapters.alerts.delivery import HttpAlertSink
from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink
from peak_trade.app.alerts.engine import AlertEngine
from peak_trade.app.alerts.settings import AlertsConfig, DeliverySettings
from peak_trade.app.bootstrap import build_alert_sinks, build_session
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.ports.alerts import Alert, AlertLevel

REPO = Path(__file__).resolve().parents[3]
TOKEN = "123456:SECRET-bot-token"
DISCORD = "http://127.0.0.1:9/api/webhooks/42/SECRET-discord"
HOOK = "http://127.0.0.1:9/hook/SECRET-hook"
SERVICES = AlertsConfig(
    webhook_url_env_var="PT_HOOK",
    discord_webhook_url_env_var="PT_DISCORD",
    telegram_bot_token_env_var="PT_TG_TOKEN",
    telegram_chat_id_env_var="PT_TG_CHAT",
    telegram_api_url="http://127.0.0.1:9",
    delivery=DeliverySettings(close_timeout_seconds=Decimal("0.5")),
)
ENVIRON = {"PT_HOOK": HOOK, "PT_DISCORD": DISCORD, "PT_TG_TOKEN": TOKEN, "PT_TG_CHAT": "-100"}


def labels(sinks: list[object]) -> list[str]:
    return [repr(s) for s in sinks]


def test_every_configured_service_with_its_variables_set_gets_a_sink(tmp_path: Path) -> None:
    sinks = build_alert_sinks(SERVICES, run_dir=tmp_path / "run", environ=ENVIRON, run_id="r1")
    try:
        assert [type(s).__name__ for s in sinks[:2]] == ["LogAlertSink", "JsonlAlertSink"]
        assert isinstance(sinks[2], WebhookAlertSink)
        assert labels(sinks[2:]) == [
            "WebhookAlertSink(webhook http://127.0.0.1:9)",
            "HttpAlertSink(discord http://127.0.0.1:9)",
            "HttpAlertSink(telegram http://127.0.0.1:9)",
        ]
        assert not any("SECRET" in text for text in labels(sinks))
    finally:
        for sink in sinks:
            sink.close()


def test_unset_variables_are_named_and_their_service_stays_off(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    environ = {"PT_TG_TOKEN": TOKEN}  # the chat id and the Discord URL are missing
    sinks = build_alert_sinks(SERVICES, run_dir=None, environ=environ)
    assert [type(s).__name__ for s in sinks] == ["LogAlertSink"]
    assert "PT_HOOK is not set; webhook alerts are off" in caplog.text
    assert "PT_DISCORD is not set; Discord alerts are off" in caplog.text
    assert "PT_TG_CHAT is not set; Telegram alerts are off" in caplog.text
    assert "SECRET" not in caplog.text


def test_a_value_a_service_refuses_is_reported_by_variable_name_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    environ = {**ENVIRON, "PT_DISCORD": "discord.com/api/webhooks/42/SECRET", "PT_TG_TOKEN": "x/y"}
    sinks = build_alert_sinks(SERVICES, run_dir=None, environ=environ)
    try:
        assert labels(sinks[1:]) == ["WebhookAlertSink(webhook http://127.0.0.1:9)"]
        assert "PT_DISCORD: Discord webhook URL must be an absolute http(s) URL" in caplog.text
        assert "PT_TG_TOKEN / PT_TG_CHAT: Telegram bot token" in caplog.text
        assert "SECRET" not in caplog.text
        assert "x/y" not in caplog.text
    finally:
        for sink in sinks:
            sink.close()


def test_the_delivery_settings_reach_every_service() -> None:
    config = attrs.evolve(
        SERVICES,
        delivery=DeliverySettings(
            timeout_seconds=Decimal("1.5"),
            max_retries=7,
            max_wait_seconds=Decimal(9),
            queue_size=3,
            close_timeout_seconds=Decimal("0.25"),
        ),
    )
    sinks = build_alert_sinks(config, run_dir=None, environ=ENVIRON)
    http = [s for s in sinks if isinstance(s, HttpAlertSink)]
    assert len(http) == 3
    for sink in http:
        settings = sink.settings
        assert (settings.timeout_seconds, settings.queue_size) == (1.5, 3)
        assert (settings.retry.max_retries, settings.retry.max_wait_seconds) == (7, 9)
        assert settings.retry.max_backoff_seconds == 9  # no backoff longer than the longest wait
        assert settings.close_timeout_seconds == 0.25


class RecordingSink:
    def __init__(self) -> None:
        self.alerts: list[Alert] = []

    def send(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def close(self) -> None:
        pass


def test_a_session_reports_each_trading_state_change_as_an_alert() -> None:
    sink = RecordingSink()
    log = MemoryRunLog()
    session = build_session(
        replay_files={"BTC/EUR": REPO / "data" / "btc_eur_1m_synthetic.csv"},
        strategy_params={"fast_window": 15, "slow_window": 60},
        risk_limits=LiveRiskLimits(base_currency="EUR", max_daily_loss_pct=Decimal("0.5")),
        alerts=AlertEngine(AlertsConfig(), [sink]),
        event_log=log,
    )
    session.run()
    changes = [e for e in log.of_type("state_changed") if e["from"] != "warmup"]
    alerts = [a for a in sink.alerts if a.rule == "trading_state"]
    assert len(changes) >= 2  # the daily loss limit bound, and lifted at UTC midnight
    assert [(a.context["from"], a.context["to"]) for a in alerts] == [
        (e["from"], e["to"]) for e in changes
    ]
    levels = {a.context["to"]: a.level for a in alerts}
    assert levels == {"reducing": AlertLevel.WARNING, "active": AlertLevel.INFO}
    assert "max_daily_loss_pct breached: 0.5" in alerts[0].message
    assert re.search(r"breached: \d+\.\d\d% > 0\.5%;", alerts[0].message)
    assert alerts[0].message.endswith(" 00:00:00 UTC")  # until the next UTC midnight


def test_a_failed_sessions_alert_adds_no_second_error_line_to_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The CLI reports a failure as one line; the alert still goes to the services."""
    caplog.set_level(logging.DEBUG)
    missing = tmp_path / "gone" / "run"  # alerts.jsonl cannot be written (like a full disk)
    sinks = build_alert_sinks(AlertsConfig(), run_dir=missing, environ={})
    stamp = datetime(2026, 1, 5, tzinfo=UTC)
    failed = Alert(ts=stamp, level=AlertLevel.CRITICAL, rule="session_failed", message="boom")
    drawdown = Alert(ts=stamp, level=AlertLevel.WARNING, rule="drawdown", message="deep")
    for sink in sinks:
        sink.send(failed)
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert loud == []
    assert [r.levelno for r in caplog.records] == [logging.DEBUG, logging.DEBUG]
    for sink in sinks:
        sink.send(drawdown)
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert loud[0] == "ALERT [WARNING] drawdown: deep"
    assert loud[1].startswith("could not write alert to ")
