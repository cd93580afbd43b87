"""Discord webhook: a short `content` line plus one coloured embed; mentions are switched off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from peak_trade.adapters.alerts.payload import (
    alert_facts,
    alert_lines,
    alert_text,
    truncate,
    utf16_length,
)
from peak_trade.adapters.alerts.redaction import redact_url, url_secrets
from peak_trade.adapters.alerts.service import (
    HttpPost,
    Outcome,
    Verdict,
    http_verdict,
    json_object,
    retry_after_header,
    seconds_hint,
)
from peak_trade.adapters.alerts.urls import require_http_url
from peak_trade.domain.timeutil import isoformat_utc
from peak_trade.ports.alerts import Alert, AlertLevel

# Discord's documented limits (characters as UTF-16 units, see payload.utf16_length).
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
MAX_FIELDS = 25
EMBED_TOTAL_LIMIT = 6000
INLINE_UP_TO = 40
LEVEL_COLOURS = {
    AlertLevel.INFO: 0x3498DB,
    AlertLevel.WARNING: 0xF1C40F,
    AlertLevel.CRITICAL: 0xE74C3C,
}


# `allowed_mentions` with an empty `parse` list: "@everyone", "@here", <@id> in alert text stay
# plain text and notify nobody.
def no_mentions() -> dict[str, list[str]]:
    return {"parse": []}


def discord_payload(
    alert: Alert, extra: Mapping[str, Any], *, embed: bool = True
) -> dict[str, Any]:
    """The headline as `content` and the facts in one embed; without embed, all as `content`."""
    if not embed:
        return {
            "content": truncate(alert_lines(alert, extra), CONTENT_LIMIT),
            "allowed_mentions": no_mentions(),
        }
    return {
        "content": truncate(alert_text(alert), CONTENT_LIMIT),
        "allowed_mentions": no_mentions(),
        "embeds": [discord_embed(alert, extra)],
    }


def discord_embed(alert: Alert, extra: Mapping[str, Any]) -> dict[str, Any]:
    """Title `LEVEL · rule`, level colour, timestamp, one field per fact within Discord's limits."""
    title = truncate(f"{alert.level.name} · {alert.rule}", TITLE_LIMIT)
    facts = alert_facts(alert, extra)
    budget = EMBED_TOTAL_LIMIT - utf16_length(title) - FIELD_NAME_LIMIT  # room for the footer
    fields: list[dict[str, Any]] = []
    for name, text in facts:
        field_name = truncate(name or "-", FIELD_NAME_LIMIT)
        value = truncate(text or "-", FIELD_VALUE_LIMIT)
        cost = utf16_length(field_name) + utf16_length(value)
        if len(fields) == MAX_FIELDS or cost > budget:
            break
        budget -= cost
        fields.append({"name": field_name, "value": value, "inline": len(value) <= INLINE_UP_TO})
    embed: dict[str, Any] = {
        "title": title,
        "color": LEVEL_COLOURS.get(alert.level, LEVEL_COLOURS[AlertLevel.WARNING]),
        "timestamp": isoformat_utc(alert.ts),
        "fields": fields,
    }
    if len(fields) < len(facts):
        embed["footer"] = {"text": f"{len(facts) - len(fields)} more fields in the run's alert log"}
    return embed


def _discord_url(url: str) -> str:
    return require_http_url(url, "Discord webhook URL")


@attrs.frozen
class DiscordWebhook:
    """A Discord channel webhook; its URL (webhook id and token in the path) is never shown."""

    url: str = attrs.field(repr=False, converter=_discord_url)
    extra_fields: Mapping[str, Any] = attrs.field(factory=dict, converter=dict)
    embed: bool = True

    @property
    def label(self) -> str:
        return "discord"

    @property
    def destination(self) -> str:
        return redact_url(self.url)

    @property
    def secrets(self) -> tuple[str, ...]:
        return url_secrets(self.url)

    def request(self, alert: Alert) -> HttpPost:
        return HttpPost(
            url=self.url, body=discord_payload(alert, self.extra_fields, embed=self.embed)
        )

    def verdict(self, status: int, headers: Mapping[str, str], body: bytes) -> Verdict:
        answer = json_object(body) or {}
        if status == 429:
            # Discord sends both Retry-After (seconds) and JSON `retry_after`; unversioned webhook
            # URLs have been seen answering the JSON value in milliseconds, so the header wins.
            hint = retry_after_header(headers)
            if hint is None:
                hint = seconds_hint(answer.get("retry_after"))
            scope = ", global" if answer.get("global") is True else ""
            return Verdict(outcome=Outcome.RETRY, reason=f"HTTP 429{scope}", retry_after=hint)
        plain = http_verdict(status, headers)
        if plain.outcome is Outcome.REJECTED and isinstance(answer.get("message"), str):
            # e.g. 404 {"message": "Unknown Webhook", "code": 10015}
            code = f" (code {answer['code']})" if isinstance(answer.get("code"), int) else ""
            detail = truncate(f"{answer['message']}{code}", 200)
            return attrs.evolve(plain, reason=f"{plain.reason}: {detail}")
        return plain
