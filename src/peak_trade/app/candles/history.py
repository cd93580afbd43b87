"""Long candle histories from a venue's paged public endpoint (Binance klines), streamed.

`data fetch --exchange binance` reads [since, until) a page (up to 1000 candles) at a time and
hands the candles on as they come, so a year of minutes never sits in memory; `on_page` sees
how far the download got after every page (the CLI's progress line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Protocol

import attrs

from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc

DEFAULT_PAGE_CANDLES = 1000  # without --since: one page of Binance klines before --until


class KlineHistory(Protocol):
    """A venue that pages through closed candles of [start, end) (the Binance adapter)."""

    def iter_klines(
        self, symbol: Symbol, timeframe: Timeframe, start: datetime, end: datetime | None = None
    ) -> Iterator[tuple[Candle, ...]]: ...

    def close(self) -> None: ...


@attrs.frozen(kw_only=True)
class HistoryRange:
    """The candles to fetch: open times in [start, end)."""

    start: datetime
    end: datetime

    def __attrs_post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(
                f"the start {isoformat_utc(self.start)} is not before the end "
                f"{isoformat_utc(self.end)}"
            )

    @classmethod
    def ending(cls, end: datetime, timeframe: Timeframe, since: datetime | None) -> HistoryRange:
        """[since, end); without `since`, the last page of candles before `end`."""
        start = since or end - timedelta(seconds=timeframe.seconds * DEFAULT_PAGE_CANDLES)
        return cls(start=start, end=end)

    def fraction_done(self, last_open: datetime) -> float:
        """How much of the range lies before `last_open` (0..1), for a progress line."""
        span = (self.end - self.start).total_seconds()
        return min(1.0, max(0.0, (last_open - self.start).total_seconds() / span))


@attrs.frozen(kw_only=True)
class PageProgress:
    """Where a download stands after one page."""

    candles: int  # candles so far
    pages: int
    last_open: datetime
    fraction: float  # of the requested range, by time


class HistoryDownload:
    """Closed candles of a window, oldest first, streamed as the venue's pages arrive; keeps
    the first and the newest candle seen and reports each page to `on_page`."""

    def __init__(
        self,
        history: KlineHistory,
        symbol: Symbol,
        timeframe: Timeframe,
        window: HistoryRange,
        on_page: Callable[[PageProgress], None] | None = None,
    ) -> None:
        self._history = history
        self._symbol = symbol
        self._timeframe = timeframe
        self.window = window
        self._on_page = on_page
        self.first: Candle | None = None
        self.last: Candle | None = None
        self.count = 0

    def candles(self) -> Iterator[Candle]:
        pages = self._history.iter_klines(
            self._symbol, self._timeframe, self.window.start, self.window.end
        )
        for number, page in enumerate(pages, start=1):
            if not page:
                continue
            if self.first is None:
                self.first = page[0]
            yield from page
            self.last = page[-1]
            self.count += len(page)
            if self._on_page is not None:
                last = self.last.open_time
                self._on_page(
                    PageProgress(
                        candles=self.count,
                        pages=number,
                        last_open=last,
                        fraction=self.window.fraction_done(last),
                    )
                )
