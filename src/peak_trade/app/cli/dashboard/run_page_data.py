"""What one render of the run page (or one of its parts) needs, and the part wrapper."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import attrs

PAGE_ROWS = 100


@attrs.frozen(kw_only=True)
class RunPageData:
    """What one render needs; a part whose data is None is not shown."""

    view: Mapping[str, Any]
    meta: Mapping[str, Any] | None = None
    charts: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    trips: Mapping[str, Any] | None = None
    orders: Mapping[str, Any] | None = None
    fills: Mapping[str, Any] | None = None
    alerts: Mapping[str, Any] | None = None
    events: Mapping[str, Any] | None = None
    report: bool = False  # the offline report: every row, no pagers, no live links


def section(name: str, inner: str, offset: int = 0, title: str = "") -> str:
    heading = f"<h2>{escape(title)}</h2>" if title else ""
    return (
        f'<section id="part-{name}" data-part="{name}" data-offset="{offset}">'
        f"{heading}{inner}</section>"
    )
