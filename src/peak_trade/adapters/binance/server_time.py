"""Binance's clock as seen from here: the local clock plus an offset learned from /api/v3/time.

Binance refuses a signed request whose `timestamp` is 1 s ahead of its clock or older than
`recvWindow` (-1021), so every timestamp is local time + offset, where
offset = serverTime - (midpoint of the local send and receive times). The offset is learned
before the first signed request, again on -1021, and when it is older than RESYNC_SECONDS.
"""

from __future__ import annotations

import threading
from datetime import datetime

from peak_trade.ports.clock import ClockPort

RESYNC_SECONDS = 600.0


class ServerClock:
    """Timestamps in Binance's time (ms); `learn` sets the offset from one /time answer."""

    def __init__(self, clock: ClockPort, *, resync_seconds: float = RESYNC_SECONDS) -> None:
        self._clock = clock
        self._resync = resync_seconds
        self._lock = threading.Lock()
        self.offset_ms: int | None = None
        self._learned_at: float | None = None

    @property
    def needs_sync(self) -> bool:
        """True before the first sync and once the offset is older than the resync period."""
        with self._lock:
            learned = self._learned_at
        return learned is None or self._clock.monotonic() - learned >= self._resync

    def learn(self, server_ms: int, sent: datetime, received: datetime) -> int:
        """Store offset = server time - local midpoint of the request; returns it (ms)."""
        midpoint = (sent.timestamp() + received.timestamp()) / 2 * 1000
        offset = round(server_ms - midpoint)
        with self._lock:
            self.offset_ms = offset
            self._learned_at = self._clock.monotonic()
        return offset

    def now_ms(self) -> int:
        """Binance's current time in ms as far as we know (local time before the first sync)."""
        with self._lock:
            offset = self.offset_ms or 0
        return round(self._clock.now().timestamp() * 1000) + offset
