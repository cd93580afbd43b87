"""Telegram Bot API sendMessage: plain text to one chat; the bot token never leaves the URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from peak_trade.adapters.alerts.payload import alert_lines, truncate
from peak_trade.adapters.alerts.redaction import redact_url
from peak_trade.adapters.alerts.service import (
    DELIVERED,
    HttpPost,
    Outcome,
    Verdict,
    http_verdict,
    json_object,
    longest_hint,
    retry_after_header,
    seconds_hint,
)
from peak_trade.adapters.alerts.urls import require_http_url
from peak_trade.ports.alerts import Alert

TELEGRAM_API = "https://api.telegram.org"
TEXT_LIMIT = 4096  # sendMessage `text`, UTF-16 units


def telegram_payload(alert: Alert, chat_id: str | int, extra: Mapping[str, Any]) -> dict[str, Any]:
    """sendMessage body: plain text (no parse_mode, so alert text cannot break any markup)."""
    return {
        "chat_id": chat_id,
        "text": truncate(alert_lines(alert, extra), TEXT_LIMIT),
        "link_preview_options": {"is_disabled": True},
    }


def _token(token: str) -> str:
    token = token.strip()
    if not token or any(c in token for c in "/?#@ \t\r\n"):
        raise ValueError("Telegram bot token is empty or not a bot token")
    return token


def _chat_id(chat_id: str | int) -> str | int:
    if isinstance(chat_id, bool) or (isinstance(chat_id, str) and not chat_id.strip()):
        raise ValueError("Telegram chat id is empty")
    return chat_id.strip() if isinstance(chat_id, str) else chat_id


def _base_url(url: str) -> str:
    return require_http_url(url, "Telegram base URL").rstrip("/")


@attrs.frozen
class TelegramBot:
    """A Telegram bot posting to one chat; token and chat id are not shown in its repr."""

    token: str = attrs.field(repr=False, converter=_token)
    chat_id: str | int = attrs.field(repr=False, converter=_chat_id)
    base_url: str = attrs.field(default=TELEGRAM_API, converter=_base_url)
    extra_fields: Mapping[str, Any] = attrs.field(factory=dict, converter=dict)

    @property
    def label(self) -> str:
        return "telegram"

    @property
    def destination(self) -> str:
        return redact_url(self.base_url)

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.token,)

    def request(self, alert: Alert) -> HttpPost:
        return HttpPost(
            url=f"{self.base_url}/bot{self.token}/sendMessage",
            body=telegram_payload(alert, self.chat_id, self.extra_fields),
        )

    def verdict(self, status: int, headers: Mapping[str, str], body: bytes) -> Verdict:
        answer = json_object(body)
        if answer is None or not isinstance(answer.get("ok"), bool):
            if 200 <= status < 300:
                return Verdict(
                    outcome=Outcome.REJECTED, reason=f"HTTP {status} without a Bot API answer"
                )
            return http_verdict(status, headers)
        if answer["ok"] and 200 <= status < 300:
            return DELIVERED
        # {"ok": false, "error_code": 429, "description": "...", "parameters": {"retry_after": 5}}
        # arrives with the matching HTTP status, and some proxies wrap it in an HTTP 200.
        code = answer.get("error_code")
        code = code if isinstance(code, int) and not isinstance(code, bool) else status
        description = answer.get("description")
        reason = f"Telegram error {code}"
        if isinstance(description, str) and description:
            reason = f"{reason}: {truncate(description, 200)}"
        parameters = answer.get("parameters")
        parameters = parameters if isinstance(parameters, dict) else {}
        if code == 429 or 500 <= code < 600:
            hint = longest_hint(
                retry_after_header(headers), seconds_hint(parameters.get("retry_after"))
            )
            return Verdict(outcome=Outcome.RETRY, reason=reason, retry_after=hint)
        if "migrate_to_chat_id" in parameters:
            # A group upgraded to a supergroup gets a new id; messages to the old one fail.
            reason += " (the group became a supergroup: set the new chat id)"
        return Verdict(outcome=Outcome.REJECTED, reason=reason)
