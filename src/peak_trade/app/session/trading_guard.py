"""TradingGuard: the session's ACTIVE/HALTED state, consecutive exchange errors, daily loss."""

from __future__ import annotations

from datetime import datetime

from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits
from peak_trade.domain.trading_state import TradingState


class TradingGuard:
    """Halts new orders after N consecutive exchange failures or a daily-loss breach."""

    def __init__(self, *, max_consecutive_errors: int, risk_limits: LiveRiskLimits) -> None:
        if max_consecutive_errors < 1:
            raise ValueError("max_consecutive_errors must be >= 1")
        self._max_errors = max_consecutive_errors
        self._risk = risk_limits
        self.state = TradingState.ACTIVE
        self.halt_reason = ""
        self.consecutive_errors = 0
        self.exchange_errors = 0

    @property
    def active(self) -> bool:
        return self.state is TradingState.ACTIVE

    def record_success(self) -> None:
        """A step talked to the exchange without failing."""
        self.consecutive_errors = 0

    def record_error(self, error: Exception) -> str | None:
        """Count a failed step; the halt reason when this one halts trading, else None."""
        self.exchange_errors += 1
        self.consecutive_errors += 1
        if self.consecutive_errors >= self._max_errors:
            return self.halt(
                f"{self.consecutive_errors} consecutive exchange errors "
                f"(max_consecutive_errors = {self._max_errors}); last: {error}"
            )
        return None

    def check_daily_loss(self, portfolio: Portfolio, now: datetime) -> str | None:
        """Halt when the domain's daily-loss rule finds a breach at `now`; a profit never."""
        if not self.active:
            return None
        breaches = self._risk.daily_loss_breaches(portfolio, now)
        if not breaches:
            return None
        return self.halt("; ".join(b.message for b in breaches))

    def halt(self, reason: str) -> str | None:
        """Switch to HALTED; returns the reason if this call halted, None if already halted."""
        if not self.active:
            return None
        self.state = TradingState.HALTED
        self.halt_reason = reason
        return reason
