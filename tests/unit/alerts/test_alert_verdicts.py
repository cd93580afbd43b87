"""Reading service answers (retry, give up, delivered) and the retry policy's backoff."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peak_trade.adapters.alerts.discord import DiscordWebhook
from peak_trade.adapters.alerts.retry import RetryPolicy
from peak_trade.adapters.alerts.service import Outcome, Verdict, http_verdict
from peak_trade.adapters.alerts.telegram import TelegramBot
from peak_trade.adapters.alerts.webhook_sink import SlackWebhook

DISCORD = DiscordWebhook("https://discord.com/api/webhooks/1/TOKEN")
TELEGRAM = TelegramBot("123:SECRET", "42")
SLACK = SlackWebhook("https://hooks.slack.com/services/T/B/X")


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (200, {}, Verdict(outcome=Outcome.DELIVERED)),
        (204, {}, Verdict(outcome=Outcome.DELIVERED)),
        (
            429,
            {"Retry-After": "7"},
            Verdict(outcome=Outcome.RETRY, reason="HTTP 429", retry_after=7),
        ),
        (429, {}, Verdict(outcome=Outcome.RETRY, reason="HTTP 429")),
        (
            503,
            {"retry-after": "2.5"},
            Verdict(outcome=Outcome.RETRY, reason="HTTP 503", retry_after=2.5),
        ),
        (500, {}, Verdict(outcome=Outcome.RETRY, reason="HTTP 500")),
        (404, {}, Verdict(outcome=Outcome.REJECTED, reason="HTTP 404")),
        (400, {"Retry-After": "1"}, Verdict(outcome=Outcome.REJECTED, reason="HTTP 400")),
        (302, {}, Verdict(outcome=Outcome.REJECTED, reason="HTTP 302")),
    ],
)
def test_http_verdict_retries_only_429_and_5xx(
    status: int, headers: dict[str, str], expected: Verdict
) -> None:
    assert http_verdict(status, headers) == expected


@pytest.mark.parametrize("value", ["Wed, 21 Oct 2026 07:28:00 GMT", "soon", "nan", "inf", ""])
def test_a_retry_after_that_is_not_seconds_leaves_the_wait_to_the_backoff(value: str) -> None:
    assert http_verdict(429, {"Retry-After": value}).retry_after is None


def test_a_negative_retry_after_means_no_wait() -> None:
    assert http_verdict(429, {"Retry-After": "-3"}).retry_after == 0.0


def test_slack_reads_answers_like_plain_http() -> None:
    assert SLACK.verdict(200, {}, b"ok").outcome is Outcome.DELIVERED
    assert SLACK.verdict(404, {}, b"no_service").outcome is Outcome.REJECTED


def test_discord_429_uses_its_json_retry_after_in_seconds() -> None:
    answer = body({"message": "You are being rate limited.", "retry_after": 2.5, "global": False})
    verdict = DISCORD.verdict(429, {}, answer)
    assert (verdict.outcome, verdict.retry_after) == (Outcome.RETRY, 2.5)


def test_discord_429_prefers_the_retry_after_header_over_the_json_value() -> None:
    # Unversioned webhook URLs have answered `retry_after` in milliseconds; the header is seconds.
    answer = body({"message": "You are being rate limited.", "retry_after": 1500, "global": True})
    verdict = DISCORD.verdict(429, {"Retry-After": "2"}, answer)
    assert (verdict.retry_after, verdict.reason) == (2.0, "HTTP 429, global")


def test_discord_unknown_webhook_is_final_and_says_why() -> None:
    verdict = DISCORD.verdict(404, {}, body({"message": "Unknown Webhook", "code": 10015}))
    assert verdict == Verdict(
        outcome=Outcome.REJECTED, reason="HTTP 404: Unknown Webhook (code 10015)"
    )


def test_discord_5xx_is_retried() -> None:
    assert DISCORD.verdict(502, {}, b"<html>bad gateway</html>").outcome is Outcome.RETRY


def test_telegram_ok_true_is_delivered() -> None:
    assert TELEGRAM.verdict(200, {}, body({"ok": True, "result": {}})).outcome is Outcome.DELIVERED


def test_telegram_ok_false_with_http_200_is_a_final_failure() -> None:
    answer = body({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
    assert TELEGRAM.verdict(200, {}, answer) == Verdict(
        outcome=Outcome.REJECTED, reason="Telegram error 400: Bad Request: chat not found"
    )


@pytest.mark.parametrize("status", [200, 429])
def test_telegram_429_waits_for_its_parameters_retry_after(status: int) -> None:
    answer = body(
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 5",
            "parameters": {"retry_after": 5},
        }
    )
    verdict = TELEGRAM.verdict(status, {}, answer)
    assert (verdict.outcome, verdict.retry_after) == (Outcome.RETRY, 5.0)


def test_telegram_group_migration_says_to_update_the_chat_id() -> None:
    answer = body(
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": -1001234},
        }
    )
    verdict = TELEGRAM.verdict(400, {}, answer)
    assert verdict.outcome is Outcome.REJECTED
    assert "set the new chat id" in verdict.reason


def test_telegram_http_200_without_a_bot_api_answer_is_not_delivered() -> None:
    assert TELEGRAM.verdict(200, {}, b"<html>portal</html>").outcome is Outcome.REJECTED


def test_telegram_gateway_error_without_json_is_retried() -> None:
    assert TELEGRAM.verdict(502, {}, b"Bad Gateway").outcome is Outcome.RETRY


def test_backoff_doubles_per_retry_up_to_its_cap() -> None:
    policy = RetryPolicy(backoff_seconds=1, max_backoff_seconds=5, max_wait_seconds=60)
    assert [policy.backoff(n, 1.0) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert [policy.backoff(n, 0.0) for n in range(3)] == [0.5, 1.0, 2.0]


def test_a_retry_policy_refuses_backoff_above_its_wait_cap_and_negative_retries() -> None:
    with pytest.raises(ValueError, match="max_backoff_seconds"):
        RetryPolicy(max_backoff_seconds=120, max_wait_seconds=60)
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)
    assert RetryPolicy(max_retries=0).attempts == 1
