"""Canonical market symbols (`BASE/QUOTE`) and candle timeframes."""

from __future__ import annotations

import enum
import re

import attrs

_ASSET = re.compile(r"^[A-Z0-9][A-Z0-9.]{0,15}$")


@attrs.frozen(order=True, cache_hash=True)  # a dict key on every ledger and venue lookup
class Symbol:
    """A canonical market symbol such as BTC/EUR: upper-case base and quote asset codes."""

    base: str
    quote: str

    def __attrs_post_init__(self) -> None:
        for part, name in ((self.base, "base"), (self.quote, "quote")):
            if not _ASSET.match(part):
                raise ValueError(f"invalid {name} asset code {part!r} (expected e.g. BTC, EUR)")
        if self.base == self.quote:
            raise ValueError(f"base and quote must differ, got {self.base}/{self.quote}")

    @classmethod
    def parse(cls, text: str) -> Symbol:
        """Parse 'BTC/EUR' (case-insensitive, surrounding space ignored)."""
        if not isinstance(text, str) or text.count("/") != 1:
            raise ValueError(f"symbol must look like BASE/QUOTE (e.g. BTC/EUR), got {text!r}")
        base, quote = (part.strip().upper() for part in text.split("/"))
        return cls(base=base, quote=quote)

    def __str__(self) -> str:
        return f"{self.base}/{self.quote}"


class Timeframe(enum.Enum):
    """Candle timeframes; the value is the length in minutes."""

    M1 = 1
    M5 = 5
    M15 = 15
    M30 = 30
    H1 = 60
    H4 = 240
    D1 = 1440
    W1 = 10080
    D15 = 21600

    @property
    def minutes(self) -> int:
        return self.value

    @property
    def seconds(self) -> int:
        return self.value * 60

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Timeframe:
        """Parse '1m', '4h', '1d', '1w', '15d'."""
        key = text.strip().lower() if isinstance(text, str) else text
        for timeframe, label in _LABELS.items():
            if label == key:
                return timeframe
        known = ", ".join(_LABELS.values())
        raise ValueError(f"unknown timeframe {text!r}; known: {known}")

    def __str__(self) -> str:
        return self.label


_LABELS = {
    Timeframe.M1: "1m",
    Timeframe.M5: "5m",
    Timeframe.M15: "15m",
    Timeframe.M30: "30m",
    Timeframe.H1: "1h",
    Timeframe.H4: "4h",
    Timeframe.D1: "1d",
    Timeframe.W1: "1w",
    Timeframe.D15: "15d",
}
