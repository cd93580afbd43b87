"""What a replay needs beyond the ExchangePort: a clock it can move and a venue it can feed.

The replay feed reads candle files once and hands every candle to the in-memory venue (so
orders, tickers and fills still go through the ExchangePort, at the replayed prices) and to the
trading core; the clock jumps from one candle close to the next.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort


@runtime_checkable
class ReplayClockPort(ClockPort, Protocol):
    """A simulated clock: `advance_to` jumps forward to a moment (never back)."""

    def advance_to(self, moment: datetime) -> None: ...


@runtime_checkable
class ReplayVenuePort(Protocol):
    """A venue fed from the replay's candle stream, one candle per symbol ahead of the clock.

    `feed` gives the venue the next candle of a symbol before the clock reaches its open, so at
    every candle close the venue already knows the next open: the price orders fill at.

    `feed_many` is `feed` for each of several candles in order, in one call. While `idle`
    (nothing at the venue acts on candles as the clock passes them, e.g. no working order), a
    replay may hold candles back while nobody asks the venue anything and hand them over at
    once before the next question: the venue then answers exactly as if it had been fed one
    candle per clock step.
    """

    def feed(self, candle: Candle) -> None: ...

    def feed_many(self, candles: Sequence[Candle]) -> None: ...

    @property
    def idle(self) -> bool: ...


@attrs.frozen(kw_only=True)
class ReplayFile:
    """A candle file validated row by row before anything trades, ready to stream.

    `timeframe` is the file's own candle length (`timeframe_source` says whether its header
    named it or the spacing of its rows showed it); `gaps` counts candles missing between rows.
    `handle` is the reader's own description of the file, handed back to it to stream.
    """

    path: Path
    symbol: Symbol
    timeframe: Timeframe
    timeframe_source: str  # "header" | "inferred" | "given"
    format: str
    rows: int
    gaps: int
    first_open_time: datetime
    last_open_time: datetime
    handle: object = attrs.field(eq=False, repr=False)


@runtime_checkable
class CandleFilesPort(Protocol):
    """Reads the candle files traders have (docs/candle-files.md).

    `inspect` validates the whole file (errors name file, line and reason: ValueError) and
    says what it holds; `stream` yields its candles in `timeframe` (aggregated exactly when that
    is a whole multiple of the file's own; anything else is refused by the caller first).
    """

    def inspect(
        self, path: Path, *, symbol: Symbol | None, timeframe: Timeframe | None
    ) -> ReplayFile: ...

    def stream(self, file: ReplayFile, timeframe: Timeframe) -> Iterator[Candle]: ...
