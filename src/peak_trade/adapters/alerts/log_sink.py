"""LogAlertSink: alerts into the Python log at a matching level."""

from __future__ import annotations

import logging

from peak_trade.adapters.alerts.payload import alert_text
from peak_trade.ports.alerts import Alert, AlertLevel

_LEVELS = {
    AlertLevel.INFO: logging.INFO,
    AlertLevel.WARNING: logging.WARNING,
    AlertLevel.CRITICAL: logging.CRITICAL,
}


class LogAlertSink:
    """Writes each alert as one log record on logger `peak_trade.alerts` (never raises)."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._logger = logger if logger is not None else logging.getLogger("peak_trade.alerts")

    def send(self, alert: Alert) -> None:
        try:
            self._logger.log(
                _LEVELS.get(alert.level, logging.WARNING), "ALERT %s", alert_text(alert)
            )
        except Exception:  # a broken log handler must not reach the trading loop
            return

    def close(self) -> None:
        """Nothing to release: the logger belongs to the logging system."""
