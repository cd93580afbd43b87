"""Dashboard routing: a request path in, a Response out; run ids only via RunLogReader.find.

Routes (GET only):
  /                               runs list (HTML)
  /runs/{run_id}                  run detail (HTML)
  /static/style.css               the stylesheet (package data)
  /health                         {"status": "ok", ...}
  /api/runs?offset=&limit=        runs, newest first
  /api/runs/{run_id}              summary view
  /api/runs/{run_id}/events?since=SEQ&limit=N
  /api/runs/{run_id}/alerts?offset=&limit=
  /api/runs/{run_id}/series       equity and position series, order rows
A path segment is URL-decoded once and then must equal the name of an existing run directory;
anything else (.., encoded separators, absolute paths, long ids, NUL) is a 404.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import attrs

from peak_trade import __version__
from peak_trade.app.cli.dashboard import pages
from peak_trade.app.monitoring.monitor import MAX_PAGE, RunMonitor

MAX_PATH = 2048
STATIC_FILES = {"style.css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@attrs.frozen(kw_only=True)
class Response:
    """Status, content type and body of one answer."""

    status: int
    content_type: str
    body: bytes


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


class DashboardRoutes:
    """Answers GET requests from the run logs a RunMonitor reads."""

    def __init__(self, monitor: RunMonitor, *, refresh_seconds: int) -> None:
        self._monitor = monitor
        self._refresh = refresh_seconds

    def get(self, raw_path: str) -> Response:
        """Route one GET request target (path plus query)."""
        if len(raw_path) > MAX_PATH:
            return self._not_found(raw_path, api=True)
        parts = urlsplit(raw_path)
        segments = [unquote(s) for s in parts.path.split("/")[1:]]
        api = bool(segments) and segments[0] in ("api", "health")
        try:
            query = parse_qs(parts.query, keep_blank_values=True, max_num_fields=20)
            return self._route(segments, query) or self._not_found(raw_path, api=api)
        except BadRequest as exc:
            return (
                _json(400, {"error": str(exc)})
                if api
                else _html(400, pages.error_page(400, str(exc)))
            )
        except ValueError:
            return _json(400, {"error": "malformed query"})

    def _route(self, seg: list[str], query: Mapping[str, list[str]]) -> Response | None:
        match seg:
            case [""]:
                return _html(200, pages.runs_page(self._monitor.run_rows(), self._monitor.location))
            case ["health"]:
                return _json(
                    200,
                    {
                        "status": "ok",
                        "version": __version__,
                        "runs": self._monitor.run_count(),
                    },
                )
            case ["static", name] if name in STATIC_FILES:
                data = (
                    resources.files("peak_trade.app.cli.dashboard")
                    .joinpath("static", name)
                    .read_bytes()
                )
                return Response(status=200, content_type=STATIC_FILES[name], body=data)
            case ["api", "runs"]:
                return self._runs(query)
            case ["runs", run_id] if self._exists(run_id):
                return self._run_page(run_id)
            case ["api", "runs", run_id] if self._exists(run_id):
                return _json(200, self._monitor.view(run_id))
            case ["api", "runs", run_id, "events"] if self._exists(run_id):
                since = _int_param(query, "since", 0, 10**12)
                limit = _int_param(query, "limit", 100, MAX_PAGE) or 1
                return _json(200, self._monitor.events_page(run_id, since=since, limit=limit))
            case ["api", "runs", run_id, "alerts"] if self._exists(run_id):
                offset = _int_param(query, "offset", 0, 10**12)
                limit = _int_param(query, "limit", 100, MAX_PAGE) or 1
                return _json(200, self._monitor.alerts_page(run_id, offset=offset, limit=limit))
            case ["api", "runs", run_id, "series"] if self._exists(run_id):
                return _json(200, {"run_id": run_id, **self._monitor.series(run_id)})
        return None

    def _exists(self, run_id: str) -> bool:
        return self._monitor.exists(run_id)

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

    def _run_page(self, run_id: str) -> Response:
        view = self._monitor.view(run_id)
        series = self._monitor.series(run_id)
        first = self._monitor.alerts_page(run_id, offset=0, limit=1)
        total = int(first["total"])
        start = max(0, total - 200)
        alerts = self._monitor.alerts_page(run_id, offset=start, limit=200)["alerts"]
        meta = self._monitor.meta(run_id)
        html = pages.run_page(view, series, alerts, total, meta, refresh_seconds=self._refresh)
        return _html(200, html)

    @staticmethod
    def _not_found(raw_path: str, *, api: bool) -> Response:
        if api:
            return _json(404, {"error": "not found"})
        return _html(404, pages.error_page(404, "No such page or run."))
