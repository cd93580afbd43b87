"""TradingState: what a session may still send (design.md section 4)."""

from __future__ import annotations

import enum


class TradingState(enum.Enum):
    """ACTIVE sends any order; HALTED keeps polling and logging but sends no new orders."""

    ACTIVE = "active"
    HALTED = "halted"

    def __str__(self) -> str:
        return self.value
