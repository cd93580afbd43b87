"""OrderFailures: consecutive failed order submissions, counted apart from market-data polls.

A submission fails when the order path could not get an answer about the order from the venue:
a read it needs raised, submit_order raised, or an UNKNOWN order turned out never placed. A
definitive answer (validated, accepted, rejected, or an UNKNOWN order found) ends the streak.
`max_consecutive_order_failures` in a row halt trading (a `state_changed` event; the `halted`
alert rule reports it), whatever the market-data polls do meanwhile.
"""

from __future__ import annotations

import logging

from peak_trade.domain.trading_state import TradingGate
from peak_trade.ports.events import EventLogPort, EventType

_log = logging.getLogger(__name__)


class OrderFailures:
    """Counts failures in a row and halts the trading gate at `limit`."""

    def __init__(self, limit: int, *, gate: TradingGate, event_log: EventLogPort) -> None:
        if limit < 1:
            raise ValueError(f"max_consecutive_order_failures must be >= 1, got {limit}")
        self.limit = limit
        self.consecutive = 0
        self.total = 0
        self._gate = gate
        self._events = event_log

    def failed(self, what: str) -> None:
        """Count one failure; at the limit, halt trading (once) with the reason."""
        self.total += 1
        self.consecutive += 1
        if self.consecutive < self.limit:
            return
        reason = (
            f"{self.consecutive} consecutive failed order submissions "
            f"(max_consecutive_order_failures = {self.limit}); last: {what}"
        )
        transition = self._gate.halt(reason)
        if transition is None:
            return
        _log.warning("trading state %s -> halted: %s", transition.before.value, reason)
        self._events.append(
            EventType.STATE_CHANGED,
            {"from": transition.before.value, "to": transition.after.value, "reason": reason},
        )

    def succeeded(self) -> None:
        """The venue gave a definitive answer about an order."""
        self.consecutive = 0
