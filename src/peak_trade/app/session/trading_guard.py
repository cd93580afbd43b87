"""TradingGuard: the session's ACTIVE/HALTED state, consecutive exchange errors, daily loss."""

from __future__ import annotations

from peak_trade.app.session.metrics import TradingState
from peak_trade.domain.portfolio import Portfolio
from peak_trade.domain.risk import LiveRiskLimits


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

    def check_daily_loss(self, portfolio: Portfolio) -> str | None:
        """Halt when today's loss (from the ledger) breaches a daily-loss limit; a profit never."""
        limits = self._risk
        if not self.active or not limits.enabled:
            return None
        loss = -portfolio.daily_pnl
        if loss <= 0:
            return None
        if limits.max_daily_loss_abs is not None and loss > limits.max_daily_loss_abs:
            return self.halt(
                f"daily loss {loss:.2f} {limits.base_currency} exceeds max_daily_loss_abs "
                f"{limits.max_daily_loss_abs}"
            )
        day_start = portfolio.day_start_equity
        if limits.max_daily_loss_pct is not None and day_start > 0:
            pct = loss / day_start * 100
            if pct > limits.max_daily_loss_pct:
                return self.halt(
                    f"daily loss {pct:.2f}% exceeds max_daily_loss_pct {limits.max_daily_loss_pct}%"
                )
        return None

    def halt(self, reason: str) -> str | None:
        """Switch to HALTED; returns the reason if this call halted, None if already halted."""
        if not self.active:
            return None
        self.state = TradingState.HALTED
        self.halt_reason = reason
        return reason
