"""Generic (Slack-compatible) webhook: Slack's `text` plus the structured alert fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from peak_trade.adapters.alerts.delivery import HttpAlertSink, Wait
from peak_trade.adapters.alerts.payload import alert_record, alert_text
from peak_trade.adapters.alerts.redaction import redact_url, url_secrets
from peak_trade.adapters.alerts.retry import RetryPolicy
from peak_trade.adapters.alerts.service import HttpPost, Verdict, http_verdict
from peak_trade.adapters.alerts.urls import require_http_url
from peak_trade.ports.alerts import Alert

__all__ = ["SlackWebhook", "WebhookAlertSink", "redact_url", "webhook_payload"]


def webhook_payload(alert: Alert, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Slack-compatible `text` plus the structured alert fields and any extra fields."""
    return {"text": alert_text(alert), **alert_record(alert), **dict(extra)}


def _webhook_url(url: str) -> str:
    return require_http_url(url, "webhook URL")


@attrs.frozen
class SlackWebhook:
    """A generic or Slack incoming webhook; its URL (a token in the path) is never shown."""

    url: str = attrs.field(repr=False, converter=_webhook_url)
    extra_fields: Mapping[str, Any] = attrs.field(factory=dict, converter=dict)

    @property
    def label(self) -> str:
        return "webhook"

    @property
    def destination(self) -> str:
        return redact_url(self.url)

    @property
    def secrets(self) -> tuple[str, ...]:
        return url_secrets(self.url)

    def request(self, alert: Alert) -> HttpPost:
        return HttpPost(url=self.url, body=webhook_payload(alert, self.extra_fields))

    def verdict(self, status: int, headers: Mapping[str, str], body: bytes) -> Verdict:
        # Slack answers errors as short text ("invalid_token", "no_service"); the status suffices.
        return http_verdict(status, headers)


class WebhookAlertSink(HttpAlertSink):
    """HttpAlertSink for a generic/Slack webhook URL (the name app wiring has always used)."""

    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float = 5.0,
        queue_size: int = 100,
        extra_fields: Mapping[str, Any] | None = None,
        retry: RetryPolicy | None = None,
        close_timeout_seconds: float = 2.0,
        transport: httpx.BaseTransport | None = None,
        wait: Wait | None = None,
    ) -> None:
        super().__init__(
            SlackWebhook(url, extra_fields or {}),
            timeout_seconds=timeout_seconds,
            queue_size=queue_size,
            retry=retry,
            close_timeout_seconds=close_timeout_seconds,
            transport=transport,
            wait=wait,
        )
