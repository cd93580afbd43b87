"""peak_trade: Peak_Trade's exchange integration (testnet sessions, risk limits, run logs)."""

from __future__ import annotations

__version__ = "0.35.0"
