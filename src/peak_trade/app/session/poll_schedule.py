"""A fixed polling schedule on a ClockPort: tick k is due at start + k x interval, never later.

Sleeping until the next tick (instead of a fixed sleep after the work) means work time never
adds drift; when work overruns a tick, the ticks already passed are skipped, not queued.
"""

from __future__ import annotations

import math
from decimal import Decimal

from peak_trade.app.session.stop import StopRequest
from peak_trade.ports.clock import ClockPort


class PollSchedule:
    """Tick times, the --duration deadline and interruptible sleeps between ticks."""

    def __init__(
        self,
        clock: ClockPort,
        interval_seconds: Decimal,
        *,
        stop: StopRequest,
        duration_minutes: Decimal | None = None,
        sleep_slice_seconds: float | None = None,
    ) -> None:
        if interval_seconds <= 0:
            raise ValueError(f"poll interval must be > 0, got {interval_seconds}")
        self._clock = clock
        self._interval = float(interval_seconds)
        self._duration = float(duration_minutes) * 60 if duration_minutes is not None else None
        self._stop = stop
        self._slice = sleep_slice_seconds
        self._start = 0.0
        self._tick = 0
        self._deadline: float | None = None

    def start(self) -> None:
        """Tick 0 is now; the deadline (if any) counts from here."""
        self._start = self._clock.monotonic()
        self._tick = 0
        self._deadline = self._start + self._duration if self._duration is not None else None

    @property
    def stop_requested(self) -> bool:
        return self._stop.requested

    def expired(self) -> bool:
        """True once the --duration deadline has passed."""
        return self._deadline is not None and self._clock.monotonic() >= self._deadline

    def wait_for_next_tick(self) -> None:
        """Sleep until the next due tick (or the deadline, or a stop request)."""
        self._tick += 1
        now = self._clock.monotonic()
        if now > self._start + self._tick * self._interval:
            self._tick = math.floor((now - self._start) / self._interval) + 1
        self._sleep_until(self._start + self._tick * self._interval)

    def pause(self, seconds: float) -> None:
        """Leave the venue alone for `seconds` (a lockout or Retry-After): interruptible like
        the wait for a tick, and never past the --duration deadline."""
        self._sleep_until(self._clock.monotonic() + seconds)

    def _sleep_until(self, wake: float) -> None:
        if self._deadline is not None:
            wake = min(wake, self._deadline)
        while not self._stop.requested:
            remaining = wake - self._clock.monotonic()
            if remaining <= 0:
                return
            self._clock.sleep(min(remaining, self._slice) if self._slice else remaining)
