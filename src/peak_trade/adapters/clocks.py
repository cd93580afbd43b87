"""ClockPort implementations: the real system clock and a simulated one for replay and tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from peak_trade.domain.timeutil import require_utc


class SystemClock:
    """Real time: UTC wall clock, monotonic counter, real sleep."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class SimulatedClock:
    """Virtual time: `sleep` advances instantly; `now()` never goes back."""

    def __init__(self, start: datetime) -> None:
        require_utc(start, "start")
        self._now = start
        self._monotonic = 0.0
        self.slept = 0.0  # total virtual seconds slept, for tests and benchmarks

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)
            self.slept += seconds

    def advance(self, seconds: float) -> None:
        """Move virtual time forward; negative steps are refused."""
        if seconds < 0:
            raise ValueError("a SimulatedClock never goes back")
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds

    def advance_to(self, moment: datetime) -> None:
        """Jump forward to exactly `moment` (no-op if it is not in the future)."""
        if moment > self._now:
            require_utc(moment, "moment")
            self._monotonic += (moment - self._now).total_seconds()
            self._now = moment
