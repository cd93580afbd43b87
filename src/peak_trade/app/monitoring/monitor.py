"""RunMonitor: the read side shared by `peak-trade monitor`, the dashboard, its metrics and
the report.

Everything comes from the run log (meta.json, events.jsonl, alerts.jsonl, summary.json) through
the RunArchivePort, never from a session object, so running, finished and crashed runs look
alike. Each run's digest is folded incrementally (a request reads only the bytes appended
since the previous one) and indexes where every event starts, so event pages never rescan the
file. Round trips and statistics are recomputed only when the run has new events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from peak_trade.app.errors import UsageError
from peak_trade.app.monitoring.chart_data import MAX_BARS, chart_payload
from peak_trade.app.monitoring.digest import RunDigest, timeframe_seconds
from peak_trade.app.monitoring.metrics import view_as_summary
from peak_trade.app.monitoring.performance import RunPerformance, trip_row
from peak_trade.app.monitoring.run_cache import RunCache
from peak_trade.app.monitoring.run_facts import run_symbols, summary_is_current
from peak_trade.app.monitoring.run_row import build_list_row
from peak_trade.app.monitoring.status import (
    RunStatus,
    derive_status,
    live_window_seconds,
    summary_is_final,
)
from peak_trade.app.monitoring.view import build_view
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.runlog import ReadStats, RunArchivePort, RunListing

MAX_PAGE = 1000


class NoRunsError(UsageError):
    """There is no run under the base directory."""


def page_info(total: int, offset: int, limit: int, shown: int) -> dict[str, Any]:
    """Where a page sits in a list of `total` items."""
    following = offset + shown
    return {
        "total": total,
        "offset": offset,
        "limit": limit,
        "next_offset": following if following < total else None,
        "previous_offset": max(0, offset - limit) if offset > 0 else None,
    }


def _bounded(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


class RunMonitor:
    """Reads the runs of an archive; `clock` tells whether a silent run still counts as live."""

    def __init__(self, archive: RunArchivePort, clock: ClockPort) -> None:
        self._reader = archive
        self._clock = clock
        self._cache = RunCache(archive)

    @property
    def archive(self) -> RunArchivePort:
        return self._reader

    @property
    def location(self) -> str:
        return self._reader.location

    def exists(self, run_id: object) -> bool:
        return self._reader.exists(run_id)

    def require(self, run_id: str) -> None:
        """UnknownRunError (with near matches) unless the run exists."""
        self._reader.require(run_id)

    def run_count(self) -> int:
        return len(self._reader.run_ids())

    def meta(self, run_id: str) -> dict[str, Any] | None:
        return self._reader.meta(run_id)

    def latest_run_id(self) -> str:
        """The newest run's id; NoRunsError when there is none."""
        runs = self._reader.listings()
        if not runs:
            raise NoRunsError(f"no runs under {self._reader.location}")
        return runs[0].run_id

    # --- runs and views -----------------------------------------------------------------------

    def run_rows(self) -> list[dict[str, Any]]:
        """One row per run, newest first; a run whose summary is not current is read from its
        events, so each row agrees with the run's detail view."""
        now = self._clock.now()
        rows = []
        for listing in self._reader.listings():
            if self._summary_settles(listing):
                rows.append(build_list_row(listing, self._status(listing, None, now, True)))
            else:
                view = self.view(listing.run_id, listing=listing)
                status = RunStatus(status=view["status"], live=view["live"], ended=view["ended"])
                rows.append(build_list_row(listing, status, view))
        return rows

    def _summary_settles(self, listing: RunListing) -> bool:
        """True when a final summary.json covers the last event (no need to read the events)."""
        summary = listing.summary
        if not summary_is_final(summary):
            return False
        assert summary is not None
        tail = self._reader.tail(listing.run_id, 1)
        if not tail:
            return True
        last_seq = summary.get("last_seq")
        if isinstance(last_seq, int) and not isinstance(last_seq, bool):
            seq = tail[0].get("seq")
            return not isinstance(seq, int) or last_seq >= seq
        return tail[0].get("type") == "session_ended"

    def view(self, run_id: str, *, listing: RunListing | None = None) -> dict[str, Any]:
        """The summary view of one run (JSON-ready), statistics included."""
        listing = listing or self._reader.listing(run_id)
        with self._cache.run(run_id, listing.meta) as entry:
            now = self._clock.now()
            current = summary_is_current(listing.summary, entry.digest)
            status = self._status(listing, entry.digest, now, current)
            perf = self._cache.performance(entry)
            return build_view(
                listing, entry.digest, entry.stats, status, now, perf, current=current
            )

    def metrics_inputs(self) -> list[tuple[str, dict[str, Any]]]:
        """(run_id, summary-shaped figures) of every run, for the metric families."""
        return [
            (listing.run_id, view_as_summary(self.view(listing.run_id, listing=listing)))
            for listing in self._reader.listings()
        ]

    def symbols(self, run_id: str) -> list[str]:
        listing = self._reader.listing(run_id)
        with self._cache.run(run_id, listing.meta) as entry:
            return run_symbols(listing.meta, listing.summary, entry.digest)

    def chart(
        self,
        run_id: str,
        symbol: str,
        *,
        timeframe: str | None = None,
        start: int | None = None,
        end: int | None = None,
        max_bars: int = MAX_BARS,
    ) -> dict[str, Any]:
        """Bars, equity, drawdown, position and fill markers of one symbol on one time grid.

        KeyError when the run has no such symbol; ValueError for a malformed timeframe.
        """
        seconds = None
        if timeframe not in (None, "", "auto"):
            seconds = timeframe_seconds(timeframe)
            if seconds is None:
                raise ValueError(f"unknown timeframe {timeframe!r}")
        with self._cache.run(run_id, None) as entry:
            payload = chart_payload(
                entry.digest,
                symbol,
                timeframe=seconds,
                start=start,
                end=end,
                max_bars=max_bars,
            )
        return {"run_id": run_id, **payload}

    def series(self, run_id: str, *, points: int = 1500) -> dict[str, Any]:
        """Equity, drawdown (percent) and per-symbol position over time, each thinned to about
        `points` [epoch seconds, value] pairs (the latest always kept)."""
        with self._cache.run(run_id, None) as entry:
            digest = entry.digest
            return {
                "equity": [list(p) for p in digest.equity.thinned(points)],
                "drawdown": [list(p) for p in digest.drawdown.thinned(points)],
                "position": {
                    symbol: [list(p) for p in track.position.thinned(points)]
                    for symbol, track in digest.symbols.items()
                },
            }

    def performance(self, run_id: str) -> RunPerformance:
        with self._cache.run(run_id, None) as entry:
            return self._cache.performance(entry)

    # --- complete, paginated lists --------------------------------------------------------------

    def orders_page(self, run_id: str, *, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Orders newest first (one row per client order id, last result winning)."""
        limit, offset = _bounded(limit), max(0, offset)
        with self._cache.run(run_id, None) as entry:
            book = entry.digest.orders
            rows = book.page(offset, limit)
            return {
                "run_id": run_id,
                "orders": rows,
                **page_info(len(book), offset, limit, len(rows)),
            }

    def fills_page(
        self, run_id: str, *, offset: int = 0, limit: int = 100, symbol: str | None = None
    ) -> dict[str, Any]:
        """Fills newest first, of one symbol when given."""
        limit, offset = _bounded(limit), max(0, offset)
        with self._cache.run(run_id, None) as entry:
            fills = entry.digest.fills
            total = len(fills) if symbol is None else fills.by_symbol.get(symbol, 0)
            rows = fills.page(offset, limit, symbol)
            return {"run_id": run_id, "fills": rows, **page_info(total, offset, limit, len(rows))}

    def trips_page(
        self, run_id: str, *, offset: int = 0, limit: int = 100, symbol: str | None = None
    ) -> dict[str, Any]:
        """Round trips newest first (by entry), of one symbol when given."""
        limit, offset = _bounded(limit), max(0, offset)
        perf = self.performance(run_id)
        trips = perf.trips if symbol is None else perf.by_symbol(symbol)
        top = len(trips) - 1 - offset
        rows = [trip_row(trips[i]) for i in range(top, max(top - limit, -1), -1)]
        return {
            "run_id": run_id,
            "round_trips": rows,
            **page_info(len(trips), offset, limit, len(rows)),
        }

    def all_trips(self, run_id: str) -> list[dict[str, Any]]:
        """Every round trip, in the order they opened."""
        return [trip_row(t) for t in self.performance(run_id).trips]

    def alerts_page(self, run_id: str, *, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Alerts from alerts.jsonl, oldest first, paginated by offset."""
        limit, offset = _bounded(limit), max(0, offset)
        alerts, total = self._reader.alerts(run_id, offset=offset, limit=limit)
        return {"run_id": run_id, "alerts": alerts, **page_info(total, offset, limit, len(alerts))}

    def alerts_latest(self, run_id: str, *, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Alerts newest first: `offset` newest ones skipped."""
        limit, offset = _bounded(limit), max(0, offset)
        _, total = self._reader.alerts(run_id, offset=0, limit=0)
        stop = max(0, total - offset)
        begin = max(0, stop - limit)
        alerts, total = self._reader.alerts(run_id, offset=begin, limit=stop - begin)
        alerts.reverse()
        return {"run_id": run_id, "alerts": alerts, **page_info(total, offset, limit, len(alerts))}

    def events_page(self, run_id: str, *, since: int = 0, limit: int = 100) -> dict[str, Any]:
        """Events with seq > since, oldest first, at most `limit` (capped at MAX_PAGE); one seek
        through the seq index, never a rescan."""
        limit = _bounded(limit)
        with self._cache.run(run_id, None) as entry:
            found = entry.digest.index.start_after(since)
            total = len(entry.digest.index)
            end = entry.digest.offset
        events: list[dict[str, Any]] = []
        if found is not None:
            events = self._read(run_id, found[1], end, limit + 1, lambda s: s > since)
        more = len(events) > limit
        events = events[:limit]
        last = events[-1].get("seq") if events else since
        return {
            "run_id": run_id,
            "since": since,
            "limit": limit,
            "events": events,
            "total": total,
            "next_since": last if isinstance(last, int) else since,
            "has_more": more,
        }

    def events_latest(self, run_id: str, *, offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """Events newest first: `offset` newest ones skipped (pages for people)."""
        limit, offset = _bounded(limit), max(0, offset)
        with self._cache.run(run_id, None) as entry:
            index = entry.digest.index
            total = len(index)
            stop = total - offset  # positions [stop - limit, stop)
            begin = max(0, stop - limit)
            end = entry.digest.offset
            start_offset = index.entry(begin)[1] if begin < stop else None
            top = index.entry(stop - 1)[0] if begin < stop else 0
        events: list[dict[str, Any]] = []
        if start_offset is not None:
            events = self._read(run_id, start_offset, end, stop - begin, lambda s: s <= top)
        events.reverse()
        return {"run_id": run_id, "events": events, **page_info(total, offset, limit, len(events))}

    def tail(self, run_id: str, count: int) -> list[dict[str, Any]]:
        """The last `count` events."""
        return self._reader.tail(run_id, count)

    # --- internals ------------------------------------------------------------------------------

    def _read(
        self, run_id: str, offset: int, end: int, count: int, keep: Callable[[int], bool]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        # leaving the loop early drops the iterator, which closes the file it reads
        for item in self._reader.read_events(run_id, offset, ReadStats()):
            seq = item.record.get("seq")
            if isinstance(seq, int) and keep(seq):
                out.append(item.record)
            if len(out) >= count or item.end_offset >= end:
                break
        return out

    def _status(
        self, listing: RunListing, digest: RunDigest | None, now: datetime, current: bool
    ) -> RunStatus:
        return derive_status(
            summary=listing.summary,
            ended_event=digest.ended if digest is not None else None,
            last_write=listing.last_modified,
            now=now.astimezone(UTC),
            live_window=live_window_seconds(listing.meta),
            summary_current=current,
        )
