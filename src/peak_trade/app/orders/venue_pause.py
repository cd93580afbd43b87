"""VenuePause: a venue's Retry-After or lockout pauses every request to it, not just the one
that was told to wait. The live poller and the executor share one, on the session clock."""

from __future__ import annotations

from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import RateLimitedError

MAX_PAUSE_SECONDS = 900.0  # the longest a venue asks to wait (Kraken's temporary lockout)


class VenuePause:
    """Until when (monotonic) the venue must be left alone; noted from RateLimitedErrors."""

    def __init__(self, clock: ClockPort) -> None:
        self._clock = clock
        self._until: float | None = None

    def note(self, error: BaseException) -> float:
        """Pause for the error's Retry-After (capped) if it carries one; the seconds noted."""
        if not isinstance(error, RateLimitedError) or not error.retry_after:
            return 0.0
        seconds = min(float(error.retry_after), MAX_PAUSE_SECONDS)
        until = self._clock.monotonic() + seconds
        if self._until is None or until > self._until:
            self._until = until
        return seconds

    def remaining(self) -> float:
        """Seconds left before the venue may be asked again (0 when it may be now)."""
        if self._until is None:
            return 0.0
        left = self._until - self._clock.monotonic()
        if left <= 0:
            self._until = None
            return 0.0
        return left


class VenuePausedError(RateLimitedError):
    """Raised by the executor instead of sending while the venue's Retry-After runs: nothing
    was sent; the same order may be tried again once `retry_after` seconds have passed."""
