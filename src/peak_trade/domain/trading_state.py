"""Trading states (design.md section 4): what a session may still send, and why.

ACTIVE sends any order. REDUCING (a loss limit bound) sends only orders that reduce exposure:
exits and the strategy going flat still go out, new exposure is refused. HALTED (repeated or
fatal errors, an operator stop) sends nothing but cancels. A daily-loss REDUCING lifts at the
next UTC midnight; a drawdown REDUCING stays for the rest of the run; HALTED never lifts.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from peak_trade.domain.timeutil import require_utc


class TradingState(enum.Enum):
    """ACTIVE sends any order; REDUCING only reducing ones; HALTED none (cancels only)."""

    ACTIVE = "active"
    REDUCING = "reducing"
    HALTED = "halted"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class Transition:
    """A change of trading state: from, to, why and (for a timed REDUCING) until when."""

    before: TradingState
    after: TradingState
    reason: str
    until: datetime | None = None


def next_utc_midnight(now: datetime) -> datetime:
    """The start of the UTC day after `now` (when a daily-loss REDUCING lifts)."""
    require_utc(now, "now")
    return datetime(now.year, now.month, now.day, tzinfo=now.tzinfo) + timedelta(days=1)


@attrs.define
class TradingGate:
    """The session's trading state machine; `permits` is asked before every order."""

    state: TradingState = TradingState.ACTIVE
    reason: str = ""
    until: datetime | None = None  # a REDUCING that lifts by itself lifts at this time

    def permits(self, *, reduces: bool) -> bool:
        """Whether an order may go out: any in ACTIVE, reducing ones in REDUCING, none HALTED."""
        if self.state is TradingState.ACTIVE:
            return True
        return self.state is TradingState.REDUCING and reduces

    def reduce(self, reason: str, *, until: datetime | None = None) -> Transition | None:
        """Enter REDUCING (from ACTIVE), or make a timed REDUCING permanent (`until` None).

        None when nothing changed: HALTED stays HALTED, and a REDUCING is never shortened.
        """
        if self.state is TradingState.HALTED:
            return None
        # a longer REDUCING (a drawdown stop after a daily-loss one) replaces a shorter one
        shorter = self.until is None or (until is not None and until <= self.until)
        if self.state is TradingState.REDUCING and shorter:
            return None
        return self._move(TradingState.REDUCING, reason, until)

    def halt(self, reason: str) -> Transition | None:
        """Enter HALTED for the rest of the run; None when already halted."""
        if self.state is TradingState.HALTED:
            return None
        return self._move(TradingState.HALTED, reason, None)

    def lift_if_due(self, now: datetime) -> Transition | None:
        """Back to ACTIVE when a timed REDUCING has run out at `now`."""
        if self.state is TradingState.REDUCING and self.until is not None and now >= self.until:
            return self._move(
                TradingState.ACTIVE, "the daily loss limit reset at UTC midnight", None
            )
        return None

    def restore(self, state: TradingState, reason: str, until: datetime | None) -> None:
        """Take a state recorded earlier (resuming a run)."""
        self.state, self.reason, self.until = state, reason, until

    def _move(self, state: TradingState, reason: str, until: datetime | None) -> Transition:
        transition = Transition(before=self.state, after=state, reason=reason, until=until)
        self.state, self.reason, self.until = state, reason, until
        return transition


def reduces_exposure(position: Decimal, signed_quantity: Decimal) -> bool:
    """True when an order of `signed_quantity` makes |position| smaller without flipping it.

    The one definition of a reducing order (the risk limits and the trading gate share it).
    """
    after = position + signed_quantity
    same_side = after == 0 or (after > 0) == (position > 0)
    return position != 0 and abs(after) < abs(position) and same_side
