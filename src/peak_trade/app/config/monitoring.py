"""The monitoring sections of the config file: [run_logging], [alerts] with its rules, [dashboard].

Defaults are the values config/config.toml documents; the alert settings themselves belong to
the alert engine (peak_trade.app.alerts.settings).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import attrs

from peak_trade.app.alerts.rules import RULE_NAMES
from peak_trade.app.alerts.settings import DEFAULT_ALERT_RULES, AlertRuleConfig, AlertsConfig
from peak_trade.app.config.reader import ENV_VAR_NAME, TableReader
from peak_trade.ports.alerts import AlertLevel

_ZERO = Decimal(0)
_ENV_HINT = "an environment variable name such as PEAK_TRADE_WEBHOOK_URL"
_LEVELS = tuple(str(level) for level in AlertLevel)


@attrs.frozen(kw_only=True)
class RunLoggingConfig:
    """[run_logging]: where run logs go and how often the summary is rewritten."""

    enabled: bool = True
    base_dir: Path = Path("live_runs")
    heartbeat_every_steps: int = 10
    replay_heartbeat_every_candles: int = 100


@attrs.frozen(kw_only=True)
class DashboardConfig:
    """[dashboard]: where the local web dashboard listens and how often it refreshes."""

    host: str = "127.0.0.1"
    port: int = 8000
    refresh_seconds: int = 5


def read_run_logging(r: TableReader) -> RunLoggingConfig:
    """[run_logging] -> RunLoggingConfig."""
    d = RunLoggingConfig()
    config = RunLoggingConfig(
        enabled=r.boolean("enabled", d.enabled),
        base_dir=Path(r.string("base_dir", str(d.base_dir))),
        heartbeat_every_steps=r.integer(
            "heartbeat_every_steps", d.heartbeat_every_steps, minimum=1
        ),
        replay_heartbeat_every_candles=r.integer(
            "replay_heartbeat_every_candles", d.replay_heartbeat_every_candles, minimum=1
        ),
    )
    r.finish()
    return config


def read_alerts(r: TableReader) -> AlertsConfig:
    """[alerts] and its [alerts.<rule>] tables -> AlertsConfig."""
    d = AlertsConfig()
    levels = _LEVELS
    rules = dict(DEFAULT_ALERT_RULES)
    for name in RULE_NAMES:
        rule_reader = TableReader(r.file, f"{r.section}.{name}", r.table(name))
        default = DEFAULT_ALERT_RULES[name]
        threshold = rule_reader.optional_decimal("threshold", above=_ZERO)
        rules[name] = AlertRuleConfig(
            enabled=rule_reader.boolean("enabled", default.enabled),
            level=rule_reader.choice("level", default.level, AlertLevel.parse, levels),
            threshold=default.threshold if threshold is None else threshold,
        )
        rule_reader.finish()
    config = AlertsConfig(
        enabled=r.boolean("enabled", d.enabled),
        min_level=r.choice("min_level", d.min_level, AlertLevel.parse, levels),
        debounce_seconds=r.integer("debounce_seconds", d.debounce_seconds, minimum=0),
        webhook_url_env_var=r.string(
            "webhook_url_env_var",
            d.webhook_url_env_var,
            pattern=ENV_VAR_NAME,
            hint=_ENV_HINT,
            allow_empty=True,
        ),
        webhook_timeout_seconds=r.decimal(
            "webhook_timeout_seconds", d.webhook_timeout_seconds, above=_ZERO
        ),
        rules=MappingProxyType(rules),
    )
    r.finish()
    return config


def read_dashboard(r: TableReader) -> DashboardConfig:
    """[dashboard] -> DashboardConfig (the loopback check belongs to the dashboard command)."""
    d = DashboardConfig()
    config = DashboardConfig(
        host=r.string("host", d.host),
        port=r.integer("port", d.port, minimum=1, maximum=65535),
        refresh_seconds=r.integer("refresh_seconds", d.refresh_seconds, minimum=1),
    )
    r.finish()
    return config
