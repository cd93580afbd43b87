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
    """Writes each alert as one log record on logger `peak_trade.alerts` (never raises).

    Alerts of `debug_rules` are logged at DEBUG only: rules whose news the caller reports
    itself (a failed session's error reaches the user as the command's own one-line error).
    """

    def __init__(
        self, logger: logging.Logger | None = None, *, debug_rules: frozenset[str] = frozenset()
    ) -> None:
        self._logger = logger if logger is not None else logging.getLogger("peak_trade.alerts")
        self._debug_rules = debug_rules

    def send(self, alert: Alert) -> None:
        level = _LEVELS.get(alert.level, logging.WARNING)
        if alert.rule in self._debug_rules:
            level = logging.DEBUG
        try:
            self._logger.log(level, "ALERT %s", alert_text(alert))
        except Exception:  # a broken log handler must not reach the trading loop
            return

    def close(self) -> None:
        """Nothing to release: the logger belongs to the logging system."""
