"""RetryPolicy: how often and how long an alert delivery is retried before it is given up."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import validators as v


def _not_above_max_wait(
    instance: RetryPolicy, _attribute: attrs.Attribute[Any], value: float
) -> None:
    if value > instance.max_wait_seconds:
        raise ValueError("max_backoff_seconds must not exceed max_wait_seconds")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and jitter; waits above `max_wait_seconds` give up.

    Retry `n` (0-based) waits between half and all of `min(max_backoff, backoff * 2**n)` unless
    the service named a wait itself (Retry-After, Discord's and Telegram's `retry_after`): that
    wait is kept as asked, and if it is longer than `max_wait_seconds` the alert is given up.
    """

    max_retries: int = attrs.field(default=3, validator=[v.instance_of(int), v.ge(0)])
    backoff_seconds: float = attrs.field(default=1.0, converter=float, validator=v.gt(0))
    max_wait_seconds: float = attrs.field(default=60.0, converter=float, validator=v.gt(0))
    max_backoff_seconds: float = attrs.field(
        default=30.0, converter=float, validator=[v.gt(0), _not_above_max_wait]
    )

    @property
    def attempts(self) -> int:
        """Attempts per alert: the first one plus the retries."""
        return 1 + self.max_retries

    def backoff(self, retry: int, jitter: float) -> float:
        """Seconds to wait before retry `retry` (0-based); `jitter` in [0, 1] picks the point."""
        ceiling = min(self.max_backoff_seconds, self.backoff_seconds * 2.0 ** min(retry, 60))
        share = min(1.0, max(0.0, jitter))
        return ceiling / 2 + ceiling / 2 * share
