"""Log and JSONL alert sinks, the URL redaction and the sink wiring from config and environment."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from peak_trade.adapters.alerts.factories import discord_sink, telegram_sink, webhook_sink
from peak_trade.adapters.alerts.jsonl_sink import JsonlAlertSink
from peak_trade.adapters.alerts.log_sink import LogAlertSink
from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink, redact_url
from peak_trade.app.alerts.settings import AlertsConfig
from peak_trade.app.bootstrap import build_alert_sinks
from peak_trade.ports.alerts import Alert, AlertLevel, AlertSinkPort


def make_alert(rule: str = "drawdown", level: AlertLevel = AlertLevel.WARNING) -> Alert:
    return Alert(
        ts=datetime(2026, 1, 5, 12, 30, tzinfo=UTC),
        level=level,
        rule=rule,
        message="drawdown 12% from peak equity 11000 reached 10%",
        context={"drawdown_pct": Decimal("12.00"), "peak_equity": Decimal("11000")},
    )


def test_jsonl_sink_writes_one_alert_per_line_in_the_contract_shape(tmp_path: Path) -> None:
    sink = JsonlAlertSink(tmp_path / "alerts.jsonl")
    sink.send(make_alert("drawdown"))
    sink.send(make_alert("halted", AlertLevel.CRITICAL))
    sink.close()
    lines = (tmp_path / "alerts.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0] == {
        "ts": "2026-01-05T12:30:00Z",
        "level": "warning",
        "rule": "drawdown",
        "message": "drawdown 12% from peak equity 11000 reached 10%",
        "context": {"drawdown_pct": "12", "peak_equity": "11000"},
    }
    assert [r["level"] for r in records] == ["warning", "critical"]


def test_jsonl_sink_appends_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    path.write_text(
        '{"ts":"2026-01-01T00:00:00Z","level":"info","rule":"x","message":"m","context":{}}\n'
    )
    JsonlAlertSink(path).send(make_alert())
    assert len(path.read_text().splitlines()) == 2


def test_jsonl_sink_counts_a_write_failure_instead_of_raising(tmp_path: Path) -> None:
    sink = JsonlAlertSink(tmp_path / "missing-dir" / "alerts.jsonl")
    sink.send(make_alert())
    assert (sink.written, sink.failures) == (0, 1)


def test_log_sink_logs_at_the_alert_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="peak_trade.alerts")
    LogAlertSink().send(make_alert("halted", AlertLevel.CRITICAL))
    [record] = caplog.records
    assert record.levelno == logging.CRITICAL
    assert "[CRITICAL] halted:" in record.getMessage()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com"),
        ("http://user:pw@127.0.0.1:9000/hook?token=abc", "http://127.0.0.1:9000"),
        ("http://[::1]:8080/x/secret", "http://[::1]:8080"),
        ("not a url", "<invalid url>"),
    ],
)
def test_redact_url_keeps_scheme_and_host_only(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_webhook_sink_repr_hides_the_secret_path() -> None:
    sink = WebhookAlertSink("https://hooks.example.com/T0/B0/SECRETTOKEN")
    assert "SECRETTOKEN" not in repr(sink)
    assert sink.destination == "https://hooks.example.com"


def test_sinks_implement_the_port_and_close(tmp_path: Path) -> None:
    sinks: list[AlertSinkPort] = [
        LogAlertSink(),
        JsonlAlertSink(tmp_path / "a.jsonl"),
        WebhookAlertSink("http://127.0.0.1:1/x"),
        discord_sink("http://127.0.0.1:1/api/webhooks/1/x"),
        telegram_sink("1:T", "42"),
    ]
    assert all(isinstance(s, AlertSinkPort) for s in sinks)
    for sink in sinks:
        sink.close()  # nothing was sent: closing starts and holds nothing


def test_log_sink_close_is_a_no_op(caplog: pytest.LogCaptureFixture) -> None:
    sink = LogAlertSink()
    sink.close()
    sink.send(make_alert())
    assert "[WARNING] drawdown:" in caplog.text


def test_telegram_and_discord_sinks_hide_token_and_webhook_path() -> None:
    telegram = telegram_sink("123456:SECRETBOTTOKEN", "-100999")
    discord = discord_sink("https://discord.com/api/webhooks/42/SECRETHOOK")
    assert repr(telegram) == "HttpAlertSink(telegram https://api.telegram.org)"
    assert repr(discord) == "HttpAlertSink(discord https://discord.com)"
    assert "SECRET" not in repr(telegram._service) + repr(discord._service)


@pytest.mark.parametrize(
    "build",
    [
        lambda: discord_sink("ftp://discord.com/api/webhooks/42/SECRETHOOK"),
        lambda: webhook_sink("hooks.slack.com/services/SECRETHOOK"),
        lambda: telegram_sink("123:SECRET/../x", "1"),
        lambda: telegram_sink("123:SECRET", "1", base_url="file:///SECRET"),
        lambda: telegram_sink("123:SECRET", " "),
    ],
)
def test_bad_secrets_are_refused_without_quoting_them(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError) as refused:
        build()
    assert "SECRET" not in str(refused.value)


def test_wiring_adds_jsonl_for_a_run_dir_and_webhook_from_the_named_variable(
    tmp_path: Path,
) -> None:
    config = AlertsConfig(webhook_url_env_var="PT_TEST_HOOK")
    sinks = build_alert_sinks(
        config, run_dir=tmp_path, environ={"PT_TEST_HOOK": "http://127.0.0.1:9/hook/SECRET"}
    )
    kinds = [type(s).__name__ for s in sinks]
    assert kinds == ["LogAlertSink", "JsonlAlertSink", "WebhookAlertSink"]
    assert isinstance(sinks[1], JsonlAlertSink)
    assert sinks[1].path == tmp_path / "alerts.jsonl"


def test_wiring_skips_an_unset_webhook_variable_and_names_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = AlertsConfig(webhook_url_env_var="PT_TEST_HOOK")
    sinks = build_alert_sinks(config, run_dir=None, environ={})
    assert [type(s).__name__ for s in sinks] == ["LogAlertSink"]
    assert "PT_TEST_HOOK is not set" in caplog.text
