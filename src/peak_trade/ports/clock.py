"""ClockPort: wall time, monotonic time and sleeping, injectable so tests never really wait."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class ClockPort(Protocol):
    """`now()` is tz-aware UTC and never goes back within one clock; `sleep` may be virtual."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...
