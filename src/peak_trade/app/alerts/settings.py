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
    """[alerts.<rule>]: on/off, severity and the rule's threshold (None: the rule's default)."""

    enabled: bool = True
    level: AlertLevel = AlertLevel.WARNING
    threshold: Decimal | None = None


DEFAULT_ALERT_RULES: Mapping[str, AlertRuleConfig] = MappingProxyType(
    {
        name: AlertRuleConfig(level=spec.level, threshold=spec.threshold)
        for name, spec in RULES.items()
    }
)


@attrs.frozen(kw_only=True)
class AlertsConfig:
    """[alerts]: switch, minimum level, debounce, delivery (env var names only) and the rules."""

    enabled: bool = True
    min_level: AlertLevel = AlertLevel.WARNING
    debounce_seconds: int = 300
    webhook_url_env_var: str = ""
    webhook_timeout_seconds: Decimal = Decimal(2)
    rules: Mapping[str, AlertRuleConfig] = DEFAULT_ALERT_RULES
