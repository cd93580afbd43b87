"""Binance's request-weight budget, kept client-side so the adapter never earns a 429.

Binance counts weight per IP in fixed one-minute windows (REQUEST_WEIGHT, 6000 by default;
exchangeInfo's `rateLimits` says the current value) and reports the used weight of the
current window in `X-MBX-USED-WEIGHT-1M` on every answer - that count includes every other
process on the same IP. Before a request the limiter adds its weight to the latest count; if
that would pass the budget (the limit minus HEADROOM), it waits through the ClockPort until
the next window begins on Binance's clock. Waits happen in virtual time under a fake clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from peak_trade.ports.clock import ClockPort

DEFAULT_WEIGHT_LIMIT = 6000
WINDOW_MS = 60_000
HEADROOM = 0.1  # keep 10 % of the limit free for other clients on the same IP
WINDOW_MARGIN_SECONDS = 0.25  # wait a little past the boundary (clock offset uncertainty)


class WeightLimiter:
    """Fixed-window weight accounting fed by the venue's own counter."""

    def __init__(
        self,
        clock: ClockPort,
        server_ms: Callable[[], int],
        *,
        limit: int = DEFAULT_WEIGHT_LIMIT,
        headroom: float = HEADROOM,
    ) -> None:
        self._clock = clock
        self._server_ms = server_ms
        self._headroom = headroom
        self._lock = threading.Lock()
        self.limit = limit
        self.used = 0
        self._window: int | None = None
        self.waited = 0.0  # total seconds waited, for tests and benchmarks

    @property
    def budget(self) -> int:
        return int(self.limit * (1 - self._headroom))

    def set_limit(self, limit: int) -> None:
        """The REQUEST_WEIGHT per minute from exchangeInfo's rateLimits."""
        if limit > 0:
            with self._lock:
                self.limit = limit

    def acquire(self, weight: int) -> float:
        """Wait until `weight` fits the current window's budget, then book it; returns the wait."""
        with self._lock:
            now = self._server_ms()
            self._roll(now)
            wait = 0.0
            if self.used and self.used + weight > self.budget:
                assert self._window is not None
                wait = ((self._window + 1) * WINDOW_MS - now) / 1000 + WINDOW_MARGIN_SECONDS
                self._clock.sleep(wait)
                self.waited += wait
                self._roll(self._server_ms())
            self.used += weight
            return wait

    def observe(self, used_header: str | None) -> None:
        """The venue's `X-MBX-USED-WEIGHT-1M` for the current window (ignored if unreadable)."""
        if used_header is None or not used_header.strip().isdigit():
            return
        with self._lock:
            self._roll(self._server_ms())
            self.used = int(used_header.strip())

    def _roll(self, now_ms: int) -> None:
        window = now_ms // WINDOW_MS
        if window != self._window:
            self._window = window
            self.used = 0
