"""The alert engine's settings ([alerts] and [alerts.<rule>]); defaults come from the rules."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

import attrs

from peak_trade.app.alerts.rules import RULES
from peak_trade.ports.alerts import AlertLevel


@attrs.frozen(kw_only=True)
class AlertRuleConfig:
    """[alerts.<rule>]: on/off, severity, the rule's threshold (None: the rule's default) and,
    for rules that escalate, the deeper threshold at which they turn critical."""

    enabled: bool = True
    level: AlertLevel = AlertLevel.WARNING
    threshold: Decimal | None = None
    critical_threshold: Decimal | None = None


DEFAULT_ALERT_RULES: Mapping[str, AlertRuleConfig] = MappingProxyType(
    {
        name: AlertRuleConfig(
            level=spec.level,
            threshold=spec.threshold,
            critical_threshold=spec.critical_threshold,
        )
        for name, spec in RULES.items()
    }
)


@attrs.frozen(kw_only=True)
class DeliverySettings:
    """How alerts reach HTTP services: per-request timeout, retries, queue and close deadline."""

    timeout_seconds: Decimal = Decimal(5)
    max_retries: int = 3
    max_wait_seconds: Decimal = Decimal(60)  # the longest retry wait (Retry-After) accepted
    queue_size: int = 100
    close_timeout_seconds: Decimal = Decimal(5)


@attrs.frozen(kw_only=True)
class AlertsConfig:
    """[alerts]: switch, minimum level, debounce, delivery (env var names only) and the rules."""

    enabled: bool = True
    min_level: AlertLevel = AlertLevel.INFO
    debounce_seconds: int = 300
    webhook_url_env_var: str = ""
    discord_webhook_url_env_var: str = ""
    telegram_bot_token_env_var: str = ""
    telegram_chat_id_env_var: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    delivery: DeliverySettings = attrs.field(factory=DeliverySettings)
    rules: Mapping[str, AlertRuleConfig] = DEFAULT_ALERT_RULES
