"""Configuration: config/config.toml read into frozen, validated values (design.md section 8)."""

from __future__ import annotations

from peak_trade.app.alerts.rules import RULE_NAMES as ALERT_RULE_NAMES
from peak_trade.app.alerts.settings import AlertRuleConfig, AlertsConfig
from peak_trade.app.config.app_config import (
    CONFIG_ENV_VAR,
    DEFAULT_CONFIG_PATH,
    AppConfig,
    config_path_origin,
    load_config,
    load_config_from,
    resolve_config_path,
)
from peak_trade.app.config.monitoring import DashboardConfig, RunLoggingConfig
from peak_trade.app.config.sections import EnvironmentSettings
from peak_trade.app.session.config import TestnetSessionConfig

__all__ = [
    "ALERT_RULE_NAMES",
    "CONFIG_ENV_VAR",
    "DEFAULT_CONFIG_PATH",
    "AlertRuleConfig",
    "AlertsConfig",
    "AppConfig",
    "DashboardConfig",
    "EnvironmentSettings",
    "RunLoggingConfig",
    "TestnetSessionConfig",
    "config_path_origin",
    "load_config",
    "load_config_from",
    "resolve_config_path",
]
