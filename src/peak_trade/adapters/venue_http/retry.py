"""Bounded retries with exponential backoff and jitter, waited through the ClockPort.

A failure is tried again only when it is `retryable` and repeating is harmless: the call is
repeatable (a read, a validate-only order), or the request provably never left (`unsent`).
An executing order that may have reached the venue is never repeated, whatever the failure
says (a venue can apply an order and then answer 5xx, 429 or "unavailable").
Waits longer than `max_wait_seconds` (a ban, a long lockout) are raised, never slept.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import TypeVar

from peak_trade.adapters.venue_http.errors import ExchangeAPIError
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import RateLimitedError

log = logging.getLogger(__name__)

T = TypeVar("T")

BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
MAX_RETRY_WAIT_SECONDS = 60.0


def may_repeat(failure: ExchangeAPIError, *, repeatable: bool) -> bool:
    """Whether a request that failed this way may be sent again."""
    return failure.retryable and (repeatable or failure.unsent)


class RetryPolicy:
    """Backoff `base * 2**attempt` (capped) plus up to 50 % jitter; `Retry-After` is a floor."""

    def __init__(
        self,
        clock: ClockPort,
        *,
        rng: random.Random | None = None,
        base_seconds: float = BACKOFF_BASE_SECONDS,
        cap_seconds: float = BACKOFF_CAP_SECONDS,
        max_wait_seconds: float = MAX_RETRY_WAIT_SECONDS,
    ) -> None:
        self._clock = clock
        self._rng = rng if rng is not None else random.Random()
        self._base = base_seconds
        self._cap = cap_seconds
        self.max_wait = max_wait_seconds
        self.waits: list[float] = []  # every backoff wait, in order (virtual with a fake clock)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt + 1`."""
        base = min(self._cap, self._base * float(2**attempt))
        wait = base + self._rng.uniform(0, base / 2)
        return max(wait, retry_after) if retry_after is not None else wait

    def run(self, attempt: Callable[[], T], *, what: str, retries: int, repeatable: bool) -> T:
        """`attempt()`'s result, retrying failures that `may_repeat` at most `retries` times."""
        tries = 0
        while True:
            try:
                return attempt()
            except ExchangeAPIError as failure:
                if tries >= retries or not may_repeat(failure, repeatable=repeatable):
                    raise
                retry_after = failure.retry_after if isinstance(failure, RateLimitedError) else None
                wait = self.delay(tries, retry_after)
                if wait > self.max_wait:
                    raise
                tries += 1
                log.warning(
                    "%s failed (%s); retry %d/%d in %.2f s", what, failure, tries, retries, wait
                )
                self.waits.append(wait)
                self._clock.sleep(wait)
