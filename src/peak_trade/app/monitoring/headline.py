"""What a trader must see first about a run: why it failed, halted, reduces or went quiet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peak_trade.app.monitoring.digest import RunDigest
from peak_trade.app.monitoring.run_facts import first, get
from peak_trade.app.monitoring.status import RunStatus


def failure(
    status: RunStatus, summary: Mapping[str, Any] | None, digest: RunDigest
) -> dict[str, Any] | None:
    if status.status != "failed" and digest.failure is None:
        return None
    cause = first(
        get(summary, "error"),
        get(digest.failure, "text"),
        get(digest.ended, "reason"),
        digest.last_error,
        "the session failed without saying why",
    )
    return {"cause": str(cause), "ts": get(digest.failure, "ts") or get(digest.ended, "ts")}


def headline(
    status: RunStatus,
    trading_state: str | None,
    halt_reason: str,
    failure: Mapping[str, Any] | None,
    digest: RunDigest,
) -> dict[str, str] | None:
    """What a trader must see first: why a run failed, halted or went quiet."""
    if failure is not None and status.status in ("failed", "stale", "unknown (no summary)"):
        return {"level": "critical", "text": f"Session failed: {failure['cause']}"}
    if status.status == "halted" or trading_state == "halted":
        since = f" (since {digest.state_since})" if digest.state_since else ""
        return {
            "level": "critical",
            "text": f"Trading halted{since}: {halt_reason or 'no reason recorded'}",
        }
    if trading_state == "reducing" and not status.ended:
        until = f" until {digest.state_until}" if digest.state_until else ""
        reason = digest.state_reason or "a loss limit was reached"
        return {"level": "warning", "text": f"Reducing exposure only{until}: {reason}"}
    if status.status in ("stale", "unknown (no summary)"):
        return {"level": "warning", "text": status.note or "the run stopped writing"}
    if status.status == "interrupted":
        reason = get(digest.ended, "reason")
        return {"level": "info", "text": "Interrupted" + (f": {reason}" if reason else "")}
    return None
