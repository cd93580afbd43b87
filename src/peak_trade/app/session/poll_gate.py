"""CandleCloseGate: which symbols a live tick polls, for one OHLC request per candle close.

Every symbol of a session has the same timeframe on the same venue, so their candles close
together, and each OHLC answer carries the venue's own candle clock: the open time of the
forming candle. A symbol is due while it was never polled, while its venue shows no forming
candle, or while its forming candle is older than the newest one seen on any symbol (a candle
of it closed since). When nobody is due, one symbol (in turn) probes whether a candle closed;
once a probe shows a newer forming candle, every symbol behind follows in the same tick.

When ticks come more often than candles close, the probe itself is skipped while the venue's
clock agrees with the session's and the newest forming candle cannot have closed yet: live, a
poll interval shorter than the timeframe then costs nothing between closes. The clocks agree
once two candle closes were seen since the first one, each forming candle opened within `skew`
of the local time it was seen at (give or take a candle), and the venue's candles advanced no
faster than the local clock: a compressed or shifted test market never agrees and gets a probe
per tick. Each tick starts with a different symbol, so none is always served last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from peak_trade.domain.symbols import Symbol

CLOCK_SKEW = timedelta(seconds=10)  # how far the venue's candle clock may be off ours


class CandleCloseGate:
    """Decides the polls of each tick from the forming candles the venue showed."""

    def __init__(
        self, symbols: Sequence[Symbol], span_seconds: int, skew: timedelta = CLOCK_SKEW
    ) -> None:
        if not symbols:
            raise ValueError("a poll gate needs at least one symbol")
        self._symbols = tuple(symbols)
        self._span = timedelta(seconds=span_seconds)
        self._skew = skew
        self._forming: dict[Symbol, datetime | None] = {}
        self._newest: datetime | None = None
        self._clocks_agree = False
        self._first_close: tuple[datetime, datetime] | None = None  # (forming, local time)
        self._closes = 0
        self._turn = 0
        self._order = self._symbols

    @property
    def newest_forming(self) -> datetime | None:
        """The open time of the newest forming candle seen on any symbol."""
        return self._newest

    def plan(self, now: datetime, since_last_tick: float | None = None) -> list[Symbol]:
        """The symbols to poll first on this tick (maybe none), in this tick's order;
        `since_last_tick`: seconds since the previous tick (None: the first one)."""
        start = self._turn % len(self._symbols)
        self._turn += 1
        self._order = self._symbols[start:] + self._symbols[:start]
        queue = [symbol for symbol in self._order if self.due(symbol)]
        if any(self._shows_the_clock(symbol) for symbol in queue):
            return queue
        frequent = since_last_tick is not None and since_last_tick < self._span.total_seconds()
        if frequent and self._clocks_agree and self._newest and now < self._newest + self._span:
            return queue  # the forming candle cannot have closed yet: no probe
        probes = [s for s in self._order if self._forming.get(s) is not None][:1]
        return probes + queue

    def observed(self, symbol: Symbol, forming: datetime | None, now: datetime) -> bool:
        """Record a poll's forming candle (None: the venue showed none); True when it is newer
        than any seen before, i.e. a candle closed and the others are due now."""
        self._forming[symbol] = forming
        if forming is None or (self._newest is not None and forming <= self._newest):
            return False
        first = self._newest is None
        self._newest = forming
        if first:
            return False
        self._clocks_agree = self._agree(forming, now)
        return True

    def _agree(self, forming: datetime, now: datetime) -> bool:
        """Whether the venue's candle clock has run with the local one so far."""
        if self._first_close is None:
            self._first_close = (forming, now)
        self._closes += 1
        first_forming, first_seen = self._first_close
        slack = self._span + self._skew
        in_step = (forming - first_forming) - (now - first_seen) <= slack
        return self._closes >= 3 and in_step and forming - self._skew <= now <= forming + slack

    def behind(self, polled: set[Symbol]) -> list[Symbol]:
        """The symbols of this tick's order not polled yet that are due."""
        return [s for s in self._order if s not in polled and self.due(s)]

    def due(self, symbol: Symbol) -> bool:
        """Whether a new closed candle of `symbol` may be waiting at the venue."""
        if symbol not in self._forming:
            return True
        forming = self._forming[symbol]
        return forming is None or (self._newest is not None and forming < self._newest)

    def _shows_the_clock(self, symbol: Symbol) -> bool:
        """Whether polling `symbol` can show a candle close (never polled, or forming known)."""
        return symbol not in self._forming or self._forming[symbol] is not None
