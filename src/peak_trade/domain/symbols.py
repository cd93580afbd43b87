"""Canonical market symbols (`BASE/QUOTE`) and candle timeframes."""

from __future__ import annotations

import re
from typing import ClassVar

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


_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_TIMEFRAME_TEXT = re.compile(r"^([1-9][0-9]{0,6})([smhdw])$")
MAX_TIMEFRAME_SECONDS = 366 * 86400


@attrs.frozen(order=True, cache_hash=True)
class Timeframe:
    """A candle length in whole seconds, venue-neutral: `1m`, `3m`, `2h`, `1d`, `15d`, `1s`.

    Each venue declares the timeframes it serves (`ExchangePort.timeframes`) and refuses the
    rest; months are not a fixed length and are not timeframes here. The common lengths are
    class attributes (`Timeframe.M1` ... `Timeframe.D15`).
    """

    seconds: int

    M1: ClassVar[Timeframe]
    M3: ClassVar[Timeframe]
    M5: ClassVar[Timeframe]
    M15: ClassVar[Timeframe]
    M30: ClassVar[Timeframe]
    H1: ClassVar[Timeframe]
    H2: ClassVar[Timeframe]
    H4: ClassVar[Timeframe]
    H6: ClassVar[Timeframe]
    H8: ClassVar[Timeframe]
    H12: ClassVar[Timeframe]
    D1: ClassVar[Timeframe]
    D3: ClassVar[Timeframe]
    W1: ClassVar[Timeframe]
    D15: ClassVar[Timeframe]

    def __attrs_post_init__(self) -> None:
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, int):
            raise TypeError(f"timeframe seconds must be an int, got {self.seconds!r}")
        if not 0 < self.seconds <= MAX_TIMEFRAME_SECONDS:
            raise ValueError(f"timeframe must be 1 s .. 366 d, got {self.seconds} s")

    @property
    def minutes(self) -> int:
        """Whole minutes (venues that count in minutes serve only multiples of a minute)."""
        return self.seconds // 60

    @property
    def label(self) -> str:
        """The canonical text: the largest unit that divides the length evenly (`90m`, `15d`)."""
        for unit, size in _UNITS:
            if self.seconds % size == 0:
                return f"{self.seconds // size}{unit}"
        raise AssertionError("unreachable: every length is whole seconds")

    @classmethod
    def parse(cls, text: str) -> Timeframe:
        """Parse `<n><unit>` with unit s, m, h, d or w: '1m', '4h', '1d', '1w', '15d', '90s'."""
        raw = text.strip() if isinstance(text, str) else ""
        if raw.endswith("M"):
            raise ValueError(
                f"unknown timeframe {text!r}: months are not a fixed length (use 1m for a minute)"
            )
        key = raw.lower()
        match = _TIMEFRAME_TEXT.match(key)
        if match is None:
            raise ValueError(
                f"unknown timeframe {text!r}: expected a number and a unit s, m, h, d or w "
                "(e.g. 1m, 5m, 15m, 1h, 4h, 1d, 1w)"
            )
        size = dict(_UNITS)[match.group(2)]
        try:
            return cls(int(match.group(1)) * size)
        except ValueError as exc:
            raise ValueError(f"unknown timeframe {text!r}: {exc}") from None

    def __str__(self) -> str:
        return self.label


for _name, _seconds in (
    ("M1", 60),
    ("M3", 180),
    ("M5", 300),
    ("M15", 900),
    ("M30", 1800),
    ("H1", 3600),
    ("H2", 7200),
    ("H4", 14400),
    ("H6", 21600),
    ("H8", 28800),
    ("H12", 43200),
    ("D1", 86400),
    ("D3", 259200),
    ("W1", 604800),
    ("D15", 1296000),
):
    setattr(Timeframe, _name, Timeframe(_seconds))
