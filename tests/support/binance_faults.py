"""Faults the loopback Binance server injects on demand (per "METHOD /path")."""

from __future__ import annotations

import attrs

HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


@attrs.frozen(kw_only=True)
class Fault:
    """One misbehaviour; `process=True` runs the request (e.g. places the order) first.

    `apply_after_lookups > 0` (new orders only) defers the order instead: the server answers
    with the misbehaviour, keeps the order invisible, and places it once that many order
    lookups (GET /api/v3/order, GET /api/v3/openOrders) have been answered without it.
    """

    kind: str
    seconds: float = 0.0
    status: int = 0
    body: str = ""
    code: int = 0
    msg: str = ""
    retry_after: int | None = None
    process: bool = False
    times: int = 1
    apply_after_lookups: int = 0

    @classmethod
    def http_status(cls, status: int, *, process: bool = False, times: int = 1) -> Fault:
        """An HTTP error status (5xx, 520, ...) with an HTML gateway page."""
        return cls(kind="raw", status=status, body=HTML_PAGE, process=process, times=times)

    @classmethod
    def html(cls, *, status: int = 200, process: bool = False, times: int = 1) -> Fault:
        """An HTML page where JSON was expected."""
        return cls(kind="raw", status=status, body=HTML_PAGE, process=process, times=times)

    @classmethod
    def truncated_json(cls, *, process: bool = True, times: int = 1) -> Fault:
        """The real answer, cut in half (Content-Length matches the cut body)."""
        return cls(kind="truncated", process=process, times=times)

    @classmethod
    def garbled_json(cls, *, process: bool = False, times: int = 1) -> Fault:
        return cls(kind="json", status=200, body='{"orderId": 12, "status": ', process=process,
                   times=times)  # fmt: skip

    @classmethod
    def binance_error(
        cls,
        code: int,
        msg: str,
        *,
        status: int = 400,
        retry_after: int | None = None,
        process: bool = False,
        times: int = 1,
    ) -> Fault:
        """Binance's `{"code", "msg"}` error with an HTTP status (and Retry-After)."""
        return cls(
            kind="error", code=code, msg=msg, status=status, retry_after=retry_after,
            process=process, times=times,
        )  # fmt: skip

    @classmethod
    def rate_limited(
        cls, *, status: int = 429, retry_after: int = 7, process: bool = False, times: int = 1
    ) -> Fault:
        """429 (or 418, a ban) with -1003 and Retry-After."""
        msg = (
            "Too much request weight used; current limit is 6000 request weight per 1 MINUTE."
            if status == 429
            else "Way too much request weight used; IP banned until 1900000000000."
        )
        return cls.binance_error(
            -1003, msg, status=status, retry_after=retry_after, process=process, times=times
        )

    @classmethod
    def close_connection(cls, *, process: bool = True, times: int = 1) -> Fault:
        """Read the request (and by default execute it), then close without answering."""
        return cls(kind="close", process=process, times=times)

    @classmethod
    def delay(cls, seconds: float, *, process: bool = True, times: int = 1) -> Fault:
        """Answer normally, but only after `seconds` (past the client's timeout)."""
        return cls(kind="delay", seconds=seconds, process=process, times=times)

    @classmethod
    def applied_late(cls, answer: Fault, *, after_lookups: int) -> Fault:
        """A new order answered with `answer`'s misbehaviour; the order appears only after
        `after_lookups` order lookups (the venue's books lag behind its matching engine)."""
        return attrs.evolve(answer, process=False, apply_after_lookups=after_lookups)
