"""Builds the alert sinks and the AlertEngine a session uses, from config and the environment."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from peak_trade.adapters.alerts.jsonl_sink import JsonlAlertSink
from peak_trade.adapters.alerts.log_sink import LogAlertSink
from peak_trade.adapters.alerts.webhook_sink import WebhookAlertSink
from peak_trade.app.alerting import AlertEngine
from peak_trade.ports.alerts import AlertSinkPort

if TYPE_CHECKING:
    from peak_trade.app.config import AlertsConfig

ALERTS_FILE = "alerts.jsonl"
_log = logging.getLogger(__name__)


def build_alert_sinks(
    config: AlertsConfig,
    *,
    run_dir: Path | None,
    environ: Mapping[str, str],
    run_id: str = "",
) -> list[AlertSinkPort]:
    """Log sink always; alerts.jsonl when there is a run directory; webhook when its URL is set.

    The webhook URL is read from the environment variable named by `webhook_url_env_var`; a
    configured but unset variable is logged by name (never a value) and the webhook is skipped.
    """
    sinks: list[AlertSinkPort] = [LogAlertSink()]
    if run_dir is not None:
        sinks.append(JsonlAlertSink(Path(run_dir) / ALERTS_FILE))
    variable = config.webhook_url_env_var
    if variable:
        url = environ.get(variable, "").strip()
        if url:
            sinks.append(
                WebhookAlertSink(
                    url,
                    timeout_seconds=float(config.webhook_timeout_seconds),
                    extra_fields={"run_id": run_id} if run_id else None,
                )
            )
        else:
            _log.warning("alerts: %s is not set; webhook alerts are off", variable)
    return sinks


def build_alert_engine(
    config: AlertsConfig,
    *,
    run_dir: Path | None,
    environ: Mapping[str, str],
    run_id: str = "",
) -> AlertEngine:
    """An AlertEngine with the sinks of `build_alert_sinks`."""
    sinks = build_alert_sinks(config, run_dir=run_dir, environ=environ, run_id=run_id)
    return AlertEngine(config, sinks)
