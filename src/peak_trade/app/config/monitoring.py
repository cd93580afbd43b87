"""The monitoring sections of the config file: [run_logging], [alerts] with its rules, [dashboard].

Defaults are the values config/config.toml documents; the alert settings themselves belong to
the alert engine (peak_trade.app.alerts.settings).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

import attrs

from peak_trade.app.alerts.rules import ESCALATING_RULES, RULE_NAMES, RULES
from peak_trade.app.alerts.settings import (
    DEFAULT_ALERT_RULES,
    AlertRuleConfig,
    AlertsConfig,
    DeliverySettings,
)
from peak_trade.app.config.reader import ENV_VAR_NAME, TableReader
from peak_trade.domain.decimals import format_decimal
from peak_trade.ports.alerts import AlertLevel

_ZERO = Decimal(0)
_ENV_HINT = "an environment variable name such as PEAK_TRADE_WEBHOOK_URL"
_LEVELS = tuple(str(level) for level in AlertLevel)
# The environment variables that hold alert-service secrets: [alerts] key -> what it holds.
ALERT_SECRET_VARIABLES = {
    "webhook_url_env_var": "the generic/Slack webhook URL",
    "discord_webhook_url_env_var": "the Discord webhook URL",
    "telegram_bot_token_env_var": "the Telegram bot token",
    "telegram_chat_id_env_var": "the Telegram chat id",
}


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
    rules = {name: _read_rule(r, name) for name in RULE_NAMES}
    variables = {
        key: r.string(key, getattr(d, key), pattern=ENV_VAR_NAME, hint=_ENV_HINT, allow_empty=True)
        for key in ALERT_SECRET_VARIABLES
    }
    token, chat = variables["telegram_bot_token_env_var"], variables["telegram_chat_id_env_var"]
    if bool(token) != bool(chat):
        missing = "telegram_chat_id_env_var" if token else "telegram_bot_token_env_var"
        raise r.error(
            missing,
            "Telegram alerts need both telegram_bot_token_env_var and "
            "telegram_chat_id_env_var (names of environment variables); set both or neither",
        )
    config = AlertsConfig(
        enabled=r.boolean("enabled", d.enabled),
        min_level=r.choice("min_level", d.min_level, AlertLevel.parse, _LEVELS),
        debounce_seconds=r.integer("debounce_seconds", d.debounce_seconds, minimum=0),
        telegram_api_url=r.parsed("telegram_api_url", d.telegram_api_url, _http_url),
        delivery=_read_delivery(r),
        rules=MappingProxyType(rules),
        **variables,
    )
    r.finish()
    return config


def _read_rule(r: TableReader, name: str) -> AlertRuleConfig:
    """One [alerts.<rule>] table; `critical_threshold` only for rules that escalate."""
    rule_reader = TableReader(r.file, f"{r.section}.{name}", r.table(name))
    default = DEFAULT_ALERT_RULES[name]
    has_threshold = RULES[name].threshold is not None
    threshold = default.threshold
    critical = default.critical_threshold
    if has_threshold:
        given = rule_reader.optional_decimal("threshold", above=_ZERO)
        threshold = threshold if given is None else given
    if name in ESCALATING_RULES:
        given_critical = rule_reader.optional_decimal("critical_threshold", above=_ZERO)
        critical = critical if given_critical is None else given_critical
        if threshold is not None and critical is not None and critical <= threshold:
            raise rule_reader.error(
                "critical_threshold" if given_critical is not None else "threshold",
                f"critical_threshold ({format_decimal(critical)}) must be above threshold "
                f"({format_decimal(threshold)}): the alert is a warning at threshold and "
                "turns critical at critical_threshold",
            )
    config = AlertRuleConfig(
        enabled=rule_reader.boolean("enabled", default.enabled),
        level=rule_reader.choice("level", default.level, AlertLevel.parse, _LEVELS),
        threshold=threshold,
        critical_threshold=critical,
    )
    rule_reader.finish()
    return config


def _read_delivery(r: TableReader) -> DeliverySettings:
    """The delivery_* keys; `webhook_timeout_seconds` is the older name of the timeout."""
    d = DeliverySettings()
    if r.has("webhook_timeout_seconds") and r.has("delivery_timeout_seconds"):
        raise r.error(
            "webhook_timeout_seconds",
            "is the older name of delivery_timeout_seconds; set only delivery_timeout_seconds",
        )
    older = r.optional_decimal("webhook_timeout_seconds", above=_ZERO)
    timeout = r.decimal(
        "delivery_timeout_seconds", older if older is not None else d.timeout_seconds, above=_ZERO
    )
    return DeliverySettings(
        timeout_seconds=timeout,
        max_retries=r.integer("delivery_max_retries", d.max_retries, minimum=0, maximum=20),
        max_wait_seconds=r.decimal("delivery_max_wait_seconds", d.max_wait_seconds, above=_ZERO),
        queue_size=r.integer("delivery_queue_size", d.queue_size, minimum=1, maximum=100_000),
        close_timeout_seconds=r.decimal(
            "delivery_close_timeout_seconds", d.close_timeout_seconds, minimum=_ZERO
        ),
    )


def _http_url(value: str) -> str:
    """An absolute http(s) URL with a host and no user info or query (a Bot API base URL)."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            "must be an absolute http(s) URL with a host, e.g. https://api.telegram.org"
        )
    if parts.username or parts.password or parts.query:
        raise ValueError("must not carry user info or a query (the bot token comes from the env)")
    return value.strip().rstrip("/")


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
