"""Alert rules evaluated inside the session (issue 5 implements AlertEngine).

CONTRACT (shared by the session and the monitoring work):
- The session builds one AlertEngine(config, sinks, clock) and calls `observe(observation)`
  after every step and once at the end; the engine returns the alerts it fired (already sent
  to every sink at or above `min_level`). The session writes each returned alert as an
  `alert` event into events.jsonl.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs


@attrs.frozen(kw_only=True)
class SessionObservation:
    """What the alert rules look at after a step; every figure comes from the session's ledger."""

    now: datetime
    equity: Decimal
    start_equity: Decimal
    peak_equity: Decimal
    daily_pnl: Decimal
    drawdown_pct: Decimal
    consecutive_exchange_errors: int
    last_closed_candle_time: datetime | None
    timeframe_seconds: int
    trading_state: str  # "active" | "halted"
    halt_reason: str = ""
    risk_blocked_total: int = 0  # cumulative count of risk-blocked orders
    last_risk_block_reason: str = ""
    session_failed: bool = False
    failure_message: str = ""
