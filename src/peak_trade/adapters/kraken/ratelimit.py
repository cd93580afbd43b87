"""Kraken's rate limits modelled client-side: REST call counter, per-pair order counter, spacing.

- REST counter per key: +2 for ledger/trade-history calls, +1 for other private calls, decays by
  the tier's rate; AddOrder/CancelOrder are excluded (they use the trading-engine counter).
- Per-pair order counter: AddOrder +1, CancelOrder +8..+1 by the order's age (unknown age counts
  as the worst case), decaying by the tier's rate.
- The seed's `rate_limit_ms`: a minimum spacing between any two requests.
Every wait goes through the ClockPort, so tests run in virtual time.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import MutableMapping

import attrs

from peak_trade.adapters.kraken.config import KrakenTier
from peak_trade.ports.clock import ClockPort


@attrs.frozen
class TierLimits:
    """Maxima and decay rates (per second) of both counters for one verification tier."""

    rest_max: float
    rest_decay: float
    order_max: float
    order_decay: float


TIER_LIMITS = {
    KrakenTier.STARTER: TierLimits(15, 0.33, 60, 1.0),
    KrakenTier.INTERMEDIATE: TierLimits(20, 0.5, 125, 2.34),
    KrakenTier.PRO: TierLimits(20, 1.0, 180, 3.75),
}
HEAVY_ENDPOINTS = frozenset({"TradesHistory", "QueryTrades", "Ledgers", "QueryLedgers"})
ORDER_ENDPOINTS = frozenset({"AddOrder", "CancelOrder"})
# (max order age in seconds, cancel cost) from Kraken's trading rate-limit table.
CANCEL_COST_BY_AGE = ((5.0, 8), (10.0, 6), (15.0, 5), (45.0, 4), (90.0, 2), (300.0, 1))


def rest_cost(endpoint: str) -> int:
    """REST counter increment of a private call (0 for order calls)."""
    if endpoint in ORDER_ENDPOINTS:
        return 0
    return 2 if endpoint in HEAVY_ENDPOINTS else 1


def cancel_cost(order_age: float | None) -> int:
    """Per-pair counter increment of a cancel; an unknown age costs the maximum."""
    if order_age is None:
        return CANCEL_COST_BY_AGE[0][1]
    for max_age, cost in CANCEL_COST_BY_AGE:
        if order_age < max_age:
            return cost
    return 0


class DecayingCounter:
    """A counter that decays linearly over time and must stay at or below its maximum."""

    def __init__(self, maximum: float, decay_per_second: float) -> None:
        self.maximum = maximum
        self.decay = decay_per_second
        self.level = 0.0
        self._stamp: float | None = None

    def _update(self, now: float) -> None:
        if self._stamp is not None:
            self.level = max(0.0, self.level - (now - self._stamp) * self.decay)
        self._stamp = now

    def delay_for(self, cost: float, now: float) -> float:
        """Seconds until `cost` fits under the maximum."""
        self._update(now)
        excess = self.level + cost - self.maximum
        return excess / self.decay if excess > 0 else 0.0

    def add(self, cost: float, now: float) -> None:
        self._update(now)
        self.level += cost

    def saturate(self, now: float) -> None:
        """The venue said the limit is hit: assume the counter is full."""
        self._update(now)
        self.level = max(self.level, self.maximum)


class KrakenRateLimiter:
    """All limits of one API key in this process; `acquire` waits (via the clock) as needed."""

    def __init__(self, tier: KrakenTier, min_spacing_seconds: float, clock: ClockPort) -> None:
        self.limits = TIER_LIMITS[tier]
        self.min_spacing = max(0.0, min_spacing_seconds)
        self._clock = clock
        self.rest = DecayingCounter(self.limits.rest_max, self.limits.rest_decay)
        self._pairs: dict[str, DecayingCounter] = {}
        self._last_request: float | None = None
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds waited, for tests and benchmarks

    def pair_counter(self, pair: str) -> DecayingCounter:
        if pair not in self._pairs:
            self._pairs[pair] = DecayingCounter(self.limits.order_max, self.limits.order_decay)
        return self._pairs[pair]

    def acquire(
        self,
        endpoint: str,
        *,
        private: bool,
        pair: str | None = None,
        order_age: float | None = None,
    ) -> float:
        """Wait until the call fits every limit, then book it. Returns the seconds waited."""
        with self._lock:
            now = self._clock.monotonic()
            cost = rest_cost(endpoint) if private else 0
            pair_cost = self._pair_cost(endpoint, order_age) if pair else 0
            wait = 0.0
            if self._last_request is not None:
                wait = max(wait, self._last_request + self.min_spacing - now)
            if cost:
                wait = max(wait, self.rest.delay_for(cost, now))
            if pair and pair_cost:
                wait = max(wait, self.pair_counter(pair).delay_for(pair_cost, now))
            if wait > 0:
                self._clock.sleep(wait)
                self.waited += wait
                now = self._clock.monotonic()
            if cost:
                self.rest.add(cost, now)
            if pair and pair_cost:
                self.pair_counter(pair).add(pair_cost, now)
            self._last_request = now
            return max(wait, 0.0)

    def penalize(self, endpoint: str, pair: str | None = None) -> None:
        """Kraken reported a rate limit: mark the matching counter as full."""
        with self._lock:
            now = self._clock.monotonic()
            if endpoint in ORDER_ENDPOINTS and pair:
                self.pair_counter(pair).saturate(now)
            else:
                self.rest.saturate(now)

    @staticmethod
    def _pair_cost(endpoint: str, order_age: float | None) -> int:
        if endpoint == "AddOrder":
            return 1
        if endpoint == "CancelOrder":
            return cancel_cost(order_age)
        return 0


_REGISTRY: MutableMapping[object, dict[str, KrakenRateLimiter]] | None = None
_REGISTRY_LOCK = threading.Lock()


def limiter_for(
    key_id: str, tier: KrakenTier, min_spacing_seconds: float, clock: ClockPort
) -> KrakenRateLimiter:
    """The one limiter of `key_id` in this process (per clock, so simulated runs stay apart)."""
    global _REGISTRY
    with _REGISTRY_LOCK:
        if _REGISTRY is None:
            _REGISTRY = weakref.WeakKeyDictionary()
        try:
            per_clock = _REGISTRY.setdefault(clock, {})
        except TypeError:  # a clock that cannot be weakly referenced: no sharing
            per_clock = {}
        if key_id not in per_clock:
            per_clock[key_id] = KrakenRateLimiter(tier, min_spacing_seconds, clock)
        return per_clock[key_id]
