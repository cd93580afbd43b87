"""Dashboard routing: a request path in, a Response out; run ids only via the archive.

Routes (GET only):
  /                                   runs list (HTML)
  /runs/{id}?orders=&fills=&trips=&alerts=&events=   run page (HTML; offsets of each table)
  /runs/{id}/part/{name}?offset=      one part of the run page (HTML fragment, live updates)
  /static/...                         stylesheet, script, vendored chart library and licence
  /health                             {"status": "ok", ...}
  /metrics                            Prometheus text exposition for every run
  /api/runs?offset=&limit=            runs, newest first
  /api/runs/{id}                      summary view (statistics included)
  /api/runs/{id}/events?since=SEQ&limit=N          events after SEQ, oldest first
  /api/runs/{id}/events/latest?offset=&limit=      events newest first
  /api/runs/{id}/orders|fills|round_trips|alerts?offset=&limit=   complete, paginated lists
  /api/runs/{id}/statistics           performance statistics and round-trip count
  /api/runs/{id}/chart?symbol=&timeframe=&from=&to=   bars, equity, drawdown, position, fills
  /api/runs/{id}/series               equity, drawdown and position series (thinned)
A path segment is URL-decoded once and then must equal the name of an existing run directory;
anything else (.., encoded separators, absolute paths, long ids, NUL) is a 404.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import attrs

from peak_trade import __version__
from peak_trade.app.cli.dashboard import pages
from peak_trade.app.cli.dashboard.metrics import CONTENT_TYPE, exposition
from peak_trade.app.cli.dashboard.run_page import PARTS, refresh_note, run_body
from peak_trade.app.cli.dashboard.run_page_data import PAGE_ROWS, RunPageData
from peak_trade.app.monitoring.monitor import MAX_PAGE, RunMonitor

MAX_PATH = 2048
SVG_BARS = 600  # bars in the no-JavaScript chart (the interactive one asks for its own)
VENDOR = "vendor/lightweight-charts/"
STATIC_FILES = {
    "style.css": "text/css; charset=utf-8",
    "dashboard.js": "text/javascript; charset=utf-8",
    VENDOR + "lightweight-charts.standalone.production.js": "text/javascript; charset=utf-8",
    VENDOR + "LICENSE": "text/plain; charset=utf-8",
    VENDOR + "NOTICE": "text/plain; charset=utf-8",
}
SCRIPT_FILES = (VENDOR + "lightweight-charts.standalone.production.js", "dashboard.js")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
NO_STORE = "no-store"


@attrs.frozen(kw_only=True)
class Response:
    """Status, content type, body and cache policy of one answer."""

    status: int
    content_type: str
    body: bytes
    cache: str = NO_STORE


class BadRequest(ValueError):
    """A query parameter is malformed."""


def _json(status: int, payload: Any) -> Response:
    text = json.dumps(payload, default=lambda v: str(v) if isinstance(v, Decimal) else repr(v))
    return Response(status=status, content_type="application/json", body=text.encode("utf-8"))


def _html(status: int, text: str) -> Response:
    return Response(status=status, content_type="text/html; charset=utf-8", body=text.encode())


def _int_param(query: Mapping[str, list[str]], name: str, default: int, maximum: int) -> int:
    values = query.get(name)
    if not values:
        return default
    raw = values[-1]
    if not raw.isdigit() or len(raw) > 12:
        raise BadRequest(f"{name} must be a non-negative integer")
    return min(int(raw), maximum)


def _optional_int(query: Mapping[str, list[str]], name: str) -> int | None:
    return _int_param(query, name, -1, 10**12) if query.get(name) else None


def _text_param(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1][:64] if values and values[-1] else None


def _static_bytes(name: str) -> bytes:
    return resources.files("peak_trade.app.cli.dashboard").joinpath("static", name).read_bytes()


class DashboardRoutes:
    """Answers GET requests from the run logs a RunMonitor reads."""

    def __init__(self, monitor: RunMonitor, *, refresh_seconds: int) -> None:
        self._monitor = monitor
        self._refresh = max(1, int(refresh_seconds))
        self._scripts: tuple[str, ...] | None = None

    def scripts(self) -> tuple[str, ...]:
        """Script URLs with a digest of their content: cached by browsers until they change."""
        if self._scripts is None:
            self._scripts = tuple(
                f"/static/{name}?v={hashlib.sha256(_static_bytes(name)).hexdigest()[:12]}"
                for name in SCRIPT_FILES
            )
        return self._scripts

    @property
    def monitor(self) -> RunMonitor:
        return self._monitor

    def get(self, raw_path: str) -> Response:
        """Route one GET request target (path plus query)."""
        if len(raw_path) > MAX_PATH:
            return self._not_found(api=True)
        parts = urlsplit(raw_path)
        segments = [unquote(s) for s in parts.path.split("/")[1:]]
        api = bool(segments) and segments[0] in ("api", "health", "metrics")
        try:
            query = parse_qs(parts.query, keep_blank_values=True, max_num_fields=20)
            return self._route(segments, query) or self._not_found(api=api)
        except BadRequest as exc:
            if api:
                return _json(400, {"error": str(exc)})
            return _html(400, pages.error_page(400, str(exc)))
        except ValueError:
            return _json(400, {"error": "malformed query"})

    def _route(self, seg: list[str], query: Mapping[str, list[str]]) -> Response | None:
        monitor = self._monitor
        match seg:
            case [""]:
                return _html(200, pages.runs_page(monitor.run_rows(), monitor.location))
            case ["health"]:
                return _json(
                    200, {"status": "ok", "version": __version__, "runs": monitor.run_count()}
                )
            case ["metrics"]:
                body = exposition(monitor)
                return Response(status=200, content_type=CONTENT_TYPE, body=body)
            case ["static", *rest] if "/".join(rest) in STATIC_FILES:
                return self._static("/".join(rest))
            case ["api", "runs"]:
                return self._runs(query)
            case ["runs", run_id] if self._exists(run_id):
                return _html(200, self._run_page(run_id, query))
            case ["runs", run_id, "part", name] if name in PARTS and self._exists(run_id):
                return _html(200, self._part(run_id, name, query))
            case ["api", "runs", run_id, *rest] if self._exists(run_id):
                return self._api(run_id, rest, query)
        return None

    def _api(self, run_id: str, rest: list[str], query: Mapping[str, list[str]]) -> Response | None:
        monitor = self._monitor
        offset = _int_param(query, "offset", 0, 10**12)
        limit = _int_param(query, "limit", PAGE_ROWS, MAX_PAGE) or 1
        pages_by_name: dict[str, Callable[[], dict[str, Any]]] = {
            "orders": lambda: monitor.orders_page(run_id, offset=offset, limit=limit),
            "fills": lambda: monitor.fills_page(
                run_id, offset=offset, limit=limit, symbol=_text_param(query, "symbol")
            ),
            "round_trips": lambda: monitor.trips_page(
                run_id, offset=offset, limit=limit, symbol=_text_param(query, "symbol")
            ),
            "alerts": lambda: monitor.alerts_page(run_id, offset=offset, limit=limit),
        }
        match rest:
            case []:
                return _json(200, monitor.view(run_id))
            case ["events"]:
                since = _int_param(query, "since", 0, 10**12)
                return _json(200, monitor.events_page(run_id, since=since, limit=limit))
            case ["events", "latest"]:
                return _json(200, monitor.events_latest(run_id, offset=offset, limit=limit))
            case [name] if name in pages_by_name:
                return _json(200, pages_by_name[name]())
            case ["statistics"]:
                view = monitor.view(run_id)
                return _json(
                    200,
                    {
                        "run_id": run_id,
                        "statistics": view["statistics"],
                        "round_trips": view["round_trip_count"],
                        "notes": view["performance_notes"],
                    },
                )
            case ["chart"]:
                return self._chart(run_id, query)
            case ["series"]:
                return _json(200, {"run_id": run_id, **monitor.series(run_id)})
        return None

    def _chart(self, run_id: str, query: Mapping[str, list[str]]) -> Response:
        symbols = self._monitor.symbols(run_id)
        symbol = _text_param(query, "symbol") or (symbols[0] if symbols else "")
        if symbol not in symbols:
            return _json(404, {"error": f"no symbol {symbol!r} in this run", "symbols": symbols})
        try:
            chart = self._monitor.chart(
                run_id,
                symbol,
                timeframe=_text_param(query, "timeframe"),
                start=_optional_int(query, "from"),
                end=_optional_int(query, "to"),
            )
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        except KeyError:
            return _json(404, {"error": f"no data for {symbol!r} yet", "symbols": symbols})
        return _json(200, chart)

    def _exists(self, run_id: str) -> bool:
        return self._monitor.exists(run_id)

    def _static(self, name: str) -> Response:
        return Response(
            status=200,
            content_type=STATIC_FILES[name],
            body=_static_bytes(name),
            cache="public, max-age=86400" if name in SCRIPT_FILES else NO_STORE,
        )

    def _runs(self, query: Mapping[str, list[str]]) -> Response:
        offset = _int_param(query, "offset", 0, 10**12)
        limit = _int_param(query, "limit", 100, MAX_PAGE) or 1
        rows = self._monitor.run_rows()
        page = rows[offset : offset + limit]
        following = offset + len(page)
        return _json(
            200,
            {
                "runs": page,
                "total": len(rows),
                "offset": offset,
                "limit": limit,
                "next_offset": following if following < len(rows) else None,
            },
        )

    def page_data(
        self, run_id: str, offsets: Mapping[str, int], wanted: frozenset[str] | None = None
    ) -> RunPageData:
        """What the run page (or only the `wanted` parts) shows."""
        monitor = self._monitor

        def want(name: str) -> bool:
            return wanted is None or name in wanted

        view = monitor.view(run_id)
        charts: dict[str, Any] = {}
        if want("charts"):
            for symbol in view.get("symbols") or []:
                try:
                    charts[symbol] = monitor.chart(run_id, symbol, max_bars=SVG_BARS)
                except KeyError:
                    continue
        readers = {  # each paged list's page at the offset asked for (alerts, events: newest first)
            "trips": monitor.trips_page,
            "orders": monitor.orders_page,
            "fills": monitor.fills_page,
            "alerts": monitor.alerts_latest,
            "events": monitor.events_latest,
        }
        pages = {
            name: read(run_id, offset=offsets.get(name, 0), limit=PAGE_ROWS) if want(name) else None
            for name, read in readers.items()
        }
        return RunPageData(
            view=view,
            meta=monitor.meta(run_id) if want("meta") else None,
            charts=charts,
            trips=pages["trips"],
            orders=pages["orders"],
            fills=pages["fills"],
            alerts=pages["alerts"],
            events=pages["events"],
        )

    def _run_page(self, run_id: str, query: Mapping[str, list[str]]) -> str:
        offsets = {
            name: _int_param(query, name, 0, 10**12)
            for name in ("trips", "orders", "fills", "alerts", "events")
        }
        data = self.page_data(run_id, offsets)
        view = data.view
        attrs_text = (
            f' data-run="{pages.e(run_id)}" data-live="{"true" if view.get("live") else "false"}"'
            f' data-refresh="{self._refresh}" data-last-seq="{int(view.get("last_seq") or 0)}"'
        )
        return pages.layout(
            f"peak_trade run {run_id}",
            refresh_note(view, self._refresh) + run_body(data),
            body_attrs=attrs_text,
            scripts=self.scripts(),
        )

    def _part(self, run_id: str, name: str, query: Mapping[str, list[str]]) -> str:
        offset = _int_param(query, "offset", 0, 10**12)
        data = self.page_data(run_id, {name: offset}, frozenset({name}))
        return PARTS[name](data)

    @staticmethod
    def _not_found(*, api: bool) -> Response:
        if api:
            return _json(404, {"error": "not found"})
        return _html(404, pages.error_page(404, "No such page or run."))
