"""One call per alert service for app wiring: secrets in, a ready (not yet started) sink out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from peak_trade.adapters.alerts.delivery import HttpAlertSink, Wait
from peak_trade.adapters.alerts.discord import DiscordWebhook
from peak_trade.adapters.alerts.retry import RetryPolicy
from peak_trade.adapters.alerts.telegram import TELEGRAM_API, TelegramBot
from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink


def webhook_sink(
    url: str,
    *,
    timeout_seconds: float = 5.0,
    max_retries: int = 3,
    max_wait_seconds: float = 60.0,
    queue_size: int = 100,
    extra_fields: Mapping[str, Any] | None = None,
    close_timeout_seconds: float = 2.0,
    transport: httpx.BaseTransport | None = None,
    wait: Wait | None = None,
) -> WebhookAlertSink:
    """A generic/Slack webhook sink; `url` is the secret webhook URL."""
    return WebhookAlertSink(
        url,
        timeout_seconds=timeout_seconds,
        queue_size=queue_size,
        extra_fields=extra_fields,
        retry=_policy(max_retries, max_wait_seconds),
        close_timeout_seconds=close_timeout_seconds,
        transport=transport,
        wait=wait,
    )


def discord_sink(
    url: str,
    *,
    timeout_seconds: float = 5.0,
    max_retries: int = 3,
    max_wait_seconds: float = 60.0,
    queue_size: int = 100,
    extra_fields: Mapping[str, Any] | None = None,
    close_timeout_seconds: float = 2.0,
    embed: bool = True,
    transport: httpx.BaseTransport | None = None,
    wait: Wait | None = None,
) -> HttpAlertSink:
    """A Discord webhook sink; `url` is the secret webhook URL (id and token in its path)."""
    return HttpAlertSink(
        DiscordWebhook(url, extra_fields or {}, embed),
        timeout_seconds=timeout_seconds,
        queue_size=queue_size,
        retry=_policy(max_retries, max_wait_seconds),
        close_timeout_seconds=close_timeout_seconds,
        transport=transport,
        wait=wait,
    )


def telegram_sink(
    token: str,
    chat_id: str | int,
    *,
    base_url: str = TELEGRAM_API,
    timeout_seconds: float = 5.0,
    max_retries: int = 3,
    max_wait_seconds: float = 60.0,
    queue_size: int = 100,
    extra_fields: Mapping[str, Any] | None = None,
    close_timeout_seconds: float = 2.0,
    transport: httpx.BaseTransport | None = None,
    wait: Wait | None = None,
) -> HttpAlertSink:
    """A Telegram Bot API sink posting to `chat_id`; `token` is the secret bot token."""
    return HttpAlertSink(
        TelegramBot(token, chat_id, base_url, extra_fields or {}),
        timeout_seconds=timeout_seconds,
        queue_size=queue_size,
        retry=_policy(max_retries, max_wait_seconds),
        close_timeout_seconds=close_timeout_seconds,
        transport=transport,
        wait=wait,
    )


def _policy(max_retries: int, max_wait_seconds: float) -> RetryPolicy:
    defaults = RetryPolicy()
    return RetryPolicy(
        max_retries=max_retries,
        max_wait_seconds=max_wait_seconds,
        max_backoff_seconds=min(defaults.max_backoff_seconds, max_wait_seconds),
    )
