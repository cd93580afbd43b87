"""Lives of a run: the first start and every resume in the same directory, and how each ended.

A run resumed after a crash, an interrupt or a halt continues with a `session_resumed` event
(life 2, 3, ...); a life that ended normally wrote `session_ended`, one that crashed did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.define(kw_only=True)
class Life:
    """One life: when it started (session clock), why it was resumed and how it ended."""

    life: int
    started_at: str | None
    resumed_at: str | None = None  # wall clock of the resume (lives 2, 3, ...)
    cause: str | None = None  # why the previous life stopped: crash, interrupted, halted, ...
    previous_status: str | None = None
    ended_at: str | None = None
    status: str | None = None  # the life's session_ended status; None: it never wrote one
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


class Lives:
    """The lives of a run in order."""

    def __init__(self) -> None:
        self.items: list[Life] = []

    def __len__(self) -> int:
        return len(self.items)

    @property
    def current(self) -> Life | None:
        return self.items[-1] if self.items else None

    def started(self, event: Mapping[str, Any]) -> None:
        number = event.get("life")
        life = number if isinstance(number, int) and not isinstance(number, bool) else 1
        self.items.append(Life(life=life, started_at=_text(event.get("ts"))))

    def resumed(self, event: Mapping[str, Any]) -> None:
        number = event.get("life")
        life = number if isinstance(number, int) and not isinstance(number, bool) else None
        previous = self.current
        if previous is not None and previous.status is None and previous.ended_at is None:
            previous.status = _text(event.get("cause")) or "crash"  # it never wrote an end
        self.items.append(
            Life(
                life=life or len(self.items) + 1,
                started_at=_text(event.get("ts")),
                resumed_at=_text(event.get("resumed_at")),
                cause=_text(event.get("cause")),
                previous_status=_text(event.get("previous_status")),
            )
        )

    def ended(self, event: Mapping[str, Any]) -> None:
        if not self.items:
            self.items.append(Life(life=1, started_at=None))
        life = self.items[-1]
        life.ended_at = _text(event.get("ts"))
        life.status = _text(event.get("status")) or "ended"
        life.reason = _text(event.get("reason"))

    @property
    def last_ended(self) -> bool:
        """True when the current life wrote its session_ended."""
        return bool(self.items) and self.items[-1].ended_at is not None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
