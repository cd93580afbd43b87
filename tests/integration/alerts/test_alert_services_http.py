"""Webhook, Discord and Telegram sinks against a loopback receiver: shapes on the wire, secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pytest
from tests.support.alert_receivers import AlertReceiver, RecordedWaits, Reply, sample_alert

from peak_trade.adapters.alerts.factories import discord_sink, telegram_sink, webhook_sink
from peak_trade.ports.alerts import AlertSinkPort

TOKEN = "123456:AAH-telegramSECRET-token"
DISCORD_PATH = "/api/webhooks/987654/DISCORDSECRETtoken"
SLACK_PATH = "/services/T0001/B0002/SLACKSECRETtoken"
SECRETS = (TOKEN, "telegramSECRET", "DISCORDSECRET", "SLACKSECRET", "987654")


def texts_of(records: Iterable[logging.LogRecord]) -> list[str]:
    found = []
    for record in records:
        found += [record.getMessage(), record.exc_text or "", repr(record.args)]
    return found


def assert_no_secret(texts: Iterable[str]) -> None:
    leaks = [(secret, text) for text in texts for secret in SECRETS if secret in text]
    assert leaks == []


def test_webhook_receives_slack_text_and_structured_fields() -> None:
    with AlertReceiver() as receiver:
        sink = webhook_sink(receiver.url(SLACK_PATH), extra_fields={"run_id": "r1"})
        sink.send(sample_alert())
        sink.close(10)
    [request] = receiver.requests
    assert request.path == SLACK_PATH
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "text": "[CRITICAL] halted: trading halted: max_daily_loss_abs",
        "ts": "2026-01-05T12:00:00Z",
        "level": "critical",
        "rule": "halted",
        "message": "trading halted: max_daily_loss_abs",
        "context": {"symbol": "BTC/EUR", "reason": "max_daily_loss_abs", "equity": "9400.5"},
        "run_id": "r1",
    }
    assert sink.stats().delivered == 1


def test_discord_receives_content_one_embed_and_no_mentions() -> None:
    with AlertReceiver(otherwise=Reply.ok(204)) as receiver:
        sink = discord_sink(receiver.url(DISCORD_PATH), extra_fields={"run_id": "r1"})
        sink.send(sample_alert(message="@everyone trading halted"))
        sink.close(10)
    [request] = receiver.requests
    body = request.json()
    assert request.path == DISCORD_PATH
    assert body["content"] == "[CRITICAL] halted: @everyone trading halted"
    assert body["allowed_mentions"] == {"parse": []}
    [embed] = body["embeds"]
    assert embed["color"] == 0xE74C3C
    assert {f["name"]: f["value"] for f in embed["fields"]}["symbol"] == "BTC/EUR"
    assert (sink.stats().delivered, sink.stats().failed) == (1, 0)


def test_telegram_receives_send_message_with_chat_id_and_plain_text() -> None:
    with AlertReceiver(otherwise=Reply.telegram_sent()) as receiver:
        sink = telegram_sink(TOKEN, "-100777", base_url=receiver.base_url)
        sink.send(sample_alert())
        sink.close(10)
    [request] = receiver.requests
    body = request.json()
    assert request.path == f"/bot{TOKEN}/sendMessage"
    assert body["chat_id"] == "-100777"
    assert "parse_mode" not in body
    assert body["text"].splitlines()[:2] == [
        "[CRITICAL] halted: trading halted: max_daily_loss_abs",
        "symbol: BTC/EUR",
    ]
    assert sink.stats().delivered == 1


def test_telegram_ok_false_with_http_200_counts_as_failed_and_is_not_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    waits = RecordedWaits()
    reply = Reply.telegram_error(400, "Bad Request: chat not found", status=200)
    with AlertReceiver(otherwise=reply) as receiver:
        sink = telegram_sink(TOKEN, "42", base_url=receiver.base_url, wait=waits)
        sink.send(sample_alert())
        sink.close(10)
    assert len(receiver.requests) == 1
    assert (sink.stats().delivered, sink.stats().failed, sink.stats().retries) == (0, 1, 0)
    assert waits.seconds == []
    assert "Telegram error 400: Bad Request: chat not found" in caplog.text


def test_every_sink_offers_send_and_close_and_implements_the_port() -> None:
    sinks = [
        webhook_sink("http://127.0.0.1:9/hook"),
        discord_sink("http://127.0.0.1:9/api/webhooks/1/x"),
        telegram_sink(TOKEN, "1"),
    ]
    for sink in sinks:
        assert isinstance(sink, AlertSinkPort)
        sink.close()
        assert not sink.running


def test_no_secret_reaches_logs_reprs_or_errors_whatever_goes_wrong(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore debug records included
    texts: list[str] = []
    # Services that echo the request path must not get it logged either.
    telegram_echo = f"Not Found: /bot{TOKEN}/sendMessage"
    discord_echo = f"Unknown Webhook at {DISCORD_PATH}"
    with AlertReceiver(
        Reply.http(500),  # webhook: retried once,
        Reply.close_connection(),  # then given up
        Reply.retry_after(3600),  # telegram: a wait above the cap gives up
        Reply.json(404, {"message": discord_echo, "code": 10015}),  # discord: refused
        Reply.telegram_error(404, telegram_echo),  # telegram: refused
        Reply.discord_rate_limited(0.5),  # discord: retried, then delivered
        Reply.ok(204),
        Reply.retry_after("0", 503),  # webhook: retried,
        Reply.http(400, SLACK_PATH),  # then refused
    ) as receiver:
        sinks = [
            webhook_sink(receiver.url(SLACK_PATH), max_retries=1, wait=RecordedWaits()),
            telegram_sink(TOKEN, "42", base_url=receiver.base_url, wait=RecordedWaits()),
            discord_sink(receiver.url(DISCORD_PATH), wait=RecordedWaits()),
            telegram_sink(TOKEN, "42", base_url=receiver.base_url, wait=RecordedWaits()),
            discord_sink(receiver.url(DISCORD_PATH), wait=RecordedWaits()),
            webhook_sink(receiver.url(SLACK_PATH), wait=RecordedWaits()),
        ]
        for sink in sinks:  # one after the other, so each meets its part of the script
            sink.send(sample_alert())
            assert sink.drain(10)
            texts += [repr(sink), str(sink), repr(sink.stats()), sink.destination]
            sink.close(10)
    unreachable = telegram_sink(TOKEN, "42", base_url=receiver.base_url, max_retries=0)
    unreachable.send(sample_alert())
    unreachable.close(10)
    for secret_url in (f"ftp://x.example/{TOKEN}", "not a url " + DISCORD_PATH):
        with pytest.raises(ValueError) as refused:
            discord_sink(secret_url)
        texts.append(str(refused.value))
    with pytest.raises(ValueError) as bad_token:
        telegram_sink(f"{TOKEN}/x", "42")
    texts.append(str(bad_token.value))
    assert unreachable.stats().failed == 1
    assert [(s.stats().delivered, s.stats().failed) for s in sinks] == [
        (0, 1),
        (0, 1),
        (0, 1),
        (0, 1),
        (1, 0),
        (0, 1),
    ]
    assert len(receiver.requests) == 9
    # The failures were logged, echoed secrets masked.
    assert "Telegram error 404: Not Found: /bot<redacted>/sendMessage" in caplog.text
    assert "HTTP 404: Unknown Webhook at <redacted> (code 10015)" in caplog.text
    assert_no_secret(texts + texts_of(caplog.records))
