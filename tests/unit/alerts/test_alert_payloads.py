"""Payload formatters: generic/Slack, Discord and Telegram bodies built from the same Alert."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.alert_receivers import sample_alert

from peak_trade.adapters.alerts.discord import (
    CONTENT_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    MAX_FIELDS,
    discord_payload,
)
from peak_trade.adapters.alerts.payload import alert_facts, truncate, utf16_length
from peak_trade.adapters.alerts.telegram import TEXT_LIMIT, TelegramBot, telegram_payload
from peak_trade.adapters.alerts.webhook_sink import webhook_payload
from peak_trade.ports.alerts import AlertLevel


def embed_size(embed: dict[str, object]) -> int:
    """Characters Discord counts against its 6000 limit for one embed."""
    fields = embed["fields"]
    assert isinstance(fields, list)
    footer = embed.get("footer", {})
    assert isinstance(footer, dict)
    return (
        utf16_length(str(embed["title"]))
        + sum(utf16_length(f["name"]) + utf16_length(f["value"]) for f in fields)
        + utf16_length(footer.get("text", ""))
    )


def test_webhook_payload_keeps_slack_text_and_the_structured_fields() -> None:
    body = webhook_payload(sample_alert(), {"run_id": "r1"})
    assert body == {
        "text": "[CRITICAL] halted: trading halted: max_daily_loss_abs",
        "ts": "2026-01-05T12:00:00Z",
        "level": "critical",
        "rule": "halted",
        "message": "trading halted: max_daily_loss_abs",
        "context": {"symbol": "BTC/EUR", "reason": "max_daily_loss_abs", "equity": "9400.5"},
        "run_id": "r1",
    }


def test_facts_put_symbol_and_run_id_first_and_context_wins_over_extra_fields() -> None:
    alert = sample_alert(context={"reason": "x", "run_id": "from-context", "symbol": "ETH/EUR"})
    facts = alert_facts(alert, {"run_id": "from-extra", "exchange": "kraken"})
    assert facts == [
        ("symbol", "ETH/EUR"),
        ("run_id", "from-context"),
        ("exchange", "kraken"),
        ("reason", "x"),
    ]


def test_facts_render_nested_values_as_compact_json_with_plain_decimals() -> None:
    alert = sample_alert(context={"positions": {"BTC": Decimal("0.50"), "ETH": [Decimal("1E+1")]}})
    assert alert_facts(alert, {}) == [("positions", '{"BTC":"0.5","ETH":["10"]}')]


def test_discord_payload_has_the_headline_an_embed_and_no_mentions() -> None:
    body = discord_payload(sample_alert(), {"run_id": "r1"})
    assert body["content"] == "[CRITICAL] halted: trading halted: max_daily_loss_abs"
    assert body["allowed_mentions"] == {"parse": []}
    [embed] = body["embeds"]
    assert embed["title"] == "CRITICAL · halted"
    assert embed["color"] == 0xE74C3C
    assert embed["timestamp"] == "2026-01-05T12:00:00Z"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("symbol", "BTC/EUR"),
        ("run_id", "r1"),
        ("reason", "max_daily_loss_abs"),
        ("equity", "9400.5"),
    ]


@pytest.mark.parametrize(
    ("level", "colour"),
    [(AlertLevel.INFO, 0x3498DB), (AlertLevel.WARNING, 0xF1C40F), (AlertLevel.CRITICAL, 0xE74C3C)],
)
def test_discord_embed_colour_follows_the_level(level: AlertLevel, colour: int) -> None:
    assert discord_payload(sample_alert(level=level), {})["embeds"][0]["color"] == colour


def test_discord_mentions_in_alert_text_stay_text_and_ping_nobody() -> None:
    body = discord_payload(sample_alert(message="@everyone look at <@123> and @here"), {})
    assert "@everyone" in body["content"]
    assert body["allowed_mentions"] == {"parse": []}


def test_discord_content_is_truncated_to_2000_with_a_marker() -> None:
    body = discord_payload(sample_alert(message="x" * 5000), {})
    assert utf16_length(body["content"]) == CONTENT_LIMIT
    assert body["content"].startswith("[CRITICAL] halted: xxx")
    assert body["content"].endswith("…")


def test_discord_embed_stays_within_field_and_size_limits() -> None:
    context = {f"k{i:02}": "v" * 3000 for i in range(40)}
    embed = discord_payload(sample_alert(context=context), {})["embeds"][0]
    assert len(embed["fields"]) <= MAX_FIELDS
    assert all(utf16_length(f["value"]) <= FIELD_VALUE_LIMIT for f in embed["fields"])
    assert embed_size(embed) <= EMBED_TOTAL_LIMIT
    assert embed["footer"]["text"].endswith("more fields in the run's alert log")


def test_discord_without_embed_sends_everything_as_content() -> None:
    body = discord_payload(sample_alert(), {"run_id": "r1"}, embed=False)
    assert "embeds" not in body
    assert body["content"].splitlines()[:3] == [
        "[CRITICAL] halted: trading halted: max_daily_loss_abs",
        "symbol: BTC/EUR",
        "run_id: r1",
    ]


def test_telegram_payload_is_plain_text_for_one_chat() -> None:
    body = telegram_payload(sample_alert(), "-100123", {"run_id": "r1"})
    assert "parse_mode" not in body
    assert body["chat_id"] == "-100123"
    assert body["text"] == (
        "[CRITICAL] halted: trading halted: max_daily_loss_abs\n"
        "symbol: BTC/EUR\n"
        "run_id: r1\n"
        "reason: max_daily_loss_abs\n"
        "equity: 9400.5\n"
        "at 2026-01-05T12:00:00Z"
    )


def test_telegram_text_counts_emoji_as_two_and_is_cut_to_4096() -> None:
    body = telegram_payload(sample_alert(message="🚨" * 3000), 1, {})
    assert utf16_length(body["text"]) <= TEXT_LIMIT
    assert body["text"].endswith("…")
    assert utf16_length(body["text"]) > TEXT_LIMIT - 3  # cut at the limit, not far before it


def test_telegram_request_puts_the_token_in_the_path_of_the_injected_base_url() -> None:
    bot = TelegramBot("123:ABC", "42", "http://127.0.0.1:9/")
    post = bot.request(sample_alert())
    assert post.url == "http://127.0.0.1:9/bot123:ABC/sendMessage"
    assert "123:ABC" not in repr(post)


@given(text=st.text(max_size=300), limit=st.integers(min_value=1, max_value=120))
def test_truncate_fits_the_limit_and_keeps_a_prefix(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    assert utf16_length(cut) <= limit
    if cut != text:
        assert cut.endswith("…")
        assert text.startswith(cut[:-1])


def test_truncate_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError):
        truncate("abc", 0)
