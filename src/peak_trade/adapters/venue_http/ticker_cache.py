"""A short-lived ticker cache: one Ticker request serves every order placed within its age.

An order needs a reference price twice (the executor's risk check and the adapter's local
minimum-cost check) and a strategy often places orders back to back; without a cache each one
costs a public ticker round trip. A ticker is reused while it is at most `max_age_seconds` old
on the adapter's clock (measured from when its answer arrived, with `ClockPort.monotonic`); an
older one is never returned, so no price older than that age is ever used.
"""

from __future__ import annotations

from peak_trade.domain.market import Ticker
from peak_trade.ports.clock import ClockPort

TICKER_MAX_AGE_SECONDS = 1.0


class TickerCache:
    """Tickers per venue market id, each with the monotonic time its answer arrived."""

    def __init__(self, clock: ClockPort, max_age_seconds: float = TICKER_MAX_AGE_SECONDS) -> None:
        if max_age_seconds < 0:
            raise ValueError("max_age_seconds must be >= 0")
        self._clock = clock
        self.max_age = max_age_seconds
        self._entries: dict[str, tuple[float, Ticker]] = {}

    def get(self, pair_id: str) -> Ticker | None:
        """The cached ticker of `pair_id` if it is at most max_age old, else None."""
        entry = self._entries.get(pair_id)
        if entry is None:
            return None
        received, ticker = entry
        if self._clock.monotonic() - received > self.max_age:
            del self._entries[pair_id]
            return None
        return ticker

    def put(self, pair_id: str, ticker: Ticker) -> None:
        """Remember `ticker`, received now."""
        if self.max_age > 0:
            self._entries[pair_id] = (self._clock.monotonic(), ticker)
