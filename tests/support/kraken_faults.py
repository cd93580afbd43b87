"""Faults the loopback Kraken server injects on demand."""

from __future__ import annotations

import attrs

HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>520: Web server is returning an unknown error</title>"
    "</head><body><h1>Web server is returning an unknown error</h1></body></html>"
)


@attrs.frozen(kw_only=True)
class Fault:
    """One misbehaviour; `process=True` runs the request (e.g. places the order) first.

    `apply_after_lookups > 0` (AddOrder only) defers the order instead: the server answers with
    the misbehaviour, keeps the order invisible, and places it once that many order lookups
    (OpenOrders, ClosedOrders, QueryOrders) have been answered without it.
    """

    kind: str
    seconds: float = 0.0
    status: int = 0
    body: str = ""
    error: str = ""
    process: bool = False
    times: int = 1
    apply_after_lookups: int = 0

    @classmethod
    def delay(cls, seconds: float, *, process: bool = True, times: int = 1) -> Fault:
        """Answer normally, but only after `seconds` (past the client's timeout)."""
        return cls(kind="delay", seconds=seconds, process=process, times=times)

    @classmethod
    def http_status(cls, status: int, *, process: bool = False, times: int = 1) -> Fault:
        """An HTTP error status (5xx, 520, 429...) with an HTML body."""
        return cls(kind="status", status=status, body=HTML_PAGE, process=process, times=times)

    @classmethod
    def html(cls, *, status: int = 200, process: bool = False, times: int = 1) -> Fault:
        """An HTML page where JSON was expected."""
        return cls(kind="html", status=status, body=HTML_PAGE, process=process, times=times)

    @classmethod
    def invalid_json(cls, *, process: bool = False, times: int = 1) -> Fault:
        return cls(kind="raw", body='{"error": [], "result": {oops', process=process, times=times)

    @classmethod
    def truncated_json(cls, *, process: bool = True, times: int = 1) -> Fault:
        """The real answer, cut in half (Content-Length matches the cut body)."""
        return cls(kind="truncated_json", process=process, times=times)

    @classmethod
    def missing_result(cls, *, times: int = 1) -> Fault:
        return cls(kind="raw", body='{"error": []}', times=times)

    @classmethod
    def wrong_types(cls, *, times: int = 1) -> Fault:
        return cls(kind="raw", body='{"error": [], "result": ["not", "an", "object"]}', times=times)

    @classmethod
    def kraken_error(cls, error: str, *, process: bool = False, times: int = 1) -> Fault:
        """A Kraken error envelope such as EService:Unavailable (after running it if `process`)."""
        return cls(kind="kraken_error", error=error, process=process, times=times)

    @classmethod
    def close_connection(cls, *, process: bool = True, times: int = 1) -> Fault:
        """Read the request (and by default execute it), then close without answering."""
        return cls(kind="close", process=process, times=times)

    @classmethod
    def applied_late(cls, answer: Fault, *, after_lookups: int) -> Fault:
        """AddOrder answered with `answer`'s misbehaviour; the order appears only after
        `after_lookups` order lookups (the venue's books lag behind its matching engine)."""
        return attrs.evolve(answer, process=False, apply_after_lookups=after_lookups)
