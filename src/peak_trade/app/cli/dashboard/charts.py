"""Server-side SVG line charts (no JavaScript, no CDN): equity, drawdown and position over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

from peak_trade.app.monitoring.view import display_amount
from peak_trade.domain.decimals import format_decimal

Point = tuple[str, Decimal]
WIDTH = 760
HEIGHT = 200
_PAD_LEFT = 70
_PAD_RIGHT = 10
_PAD_TOP = 10
_PAD_BOTTOM = 24
_ONE_PLACE = Decimal("0.1")


def _x_values(points: Sequence[Point]) -> list[Decimal]:
    """Seconds since the first point when every timestamp parses, else the point index."""
    try:
        stamps = [datetime.fromisoformat(ts.replace("Z", "+00:00")) for ts, _ in points]
    except ValueError:
        return [Decimal(i) for i in range(len(points))]
    return [Decimal(str((s - stamps[0]).total_seconds())) for s in stamps]


def drawdown_series(points: Sequence[Point]) -> list[Point]:
    """Drawdown from the running peak, in percent (0 or negative), for each equity point."""
    out: list[Point] = []
    peak: Decimal | None = None
    for ts, value in points:
        peak = value if peak is None else max(peak, value)
        pct = (value - peak) / peak * 100 if peak > 0 else Decimal(0)
        out.append((ts, pct.quantize(Decimal("0.01"))))
    return out


def _coord(value: Decimal) -> str:
    return format_decimal(value.quantize(_ONE_PLACE))


def line_chart(
    points: Sequence[Point],
    *,
    element_id: str,
    title: str,
    unit: str = "",
    step: bool = False,
    fill: bool = False,
) -> str:
    """An inline <svg> with a polyline, min/max labels on the y axis and first/last time on x."""
    label = escape(title)
    if not points:
        return (
            f'<svg id="{escape(element_id)}" class="chart empty" role="img" '
            f'aria-label="{label}" viewBox="0 0 {WIDTH} 40"><text x="10" y="25">{label}: '
            "no data yet</text></svg>"
        )
    xs = _x_values(points)
    ys = [v for _, v in points]
    low, high = min(ys), max(ys)
    if fill:
        high = max(high, Decimal(0))
    span_y = high - low if high != low else Decimal(1)
    span_x = xs[-1] - xs[0] if xs[-1] != xs[0] else Decimal(1)
    plot_w = Decimal(WIDTH - _PAD_LEFT - _PAD_RIGHT)
    plot_h = Decimal(HEIGHT - _PAD_TOP - _PAD_BOTTOM)

    def px(x: Decimal) -> Decimal:
        return _PAD_LEFT + (x - xs[0]) / span_x * plot_w

    def py(y: Decimal) -> Decimal:
        return _PAD_TOP + (high - y) / span_y * plot_h

    coords: list[str] = []
    previous: Decimal | None = None
    for x, y in zip(xs, ys, strict=True):
        if step and previous is not None:
            coords.append(f"{_coord(px(x))},{_coord(py(previous))}")
        coords.append(f"{_coord(px(x))},{_coord(py(y))}")
        previous = y
    line = " ".join(coords)
    base_y = _coord(py(max(low, min(high, Decimal(0)))) if fill else py(low))
    area = ""
    if fill:
        first_x, last_x = _coord(px(xs[0])), _coord(px(xs[-1]))
        area = f'<polygon class="area" points="{first_x},{base_y} {line} {last_x},{base_y}"/>'
    bottom = HEIGHT - _PAD_BOTTOM
    return (
        f'<svg id="{escape(element_id)}" class="chart" role="img" aria-label="{label}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none">'
        f"<title>{label}</title>"
        f'<line class="axis" x1="{_PAD_LEFT}" y1="{_PAD_TOP}" x2="{_PAD_LEFT}" y2="{bottom}"/>'
        f'<line class="axis" x1="{_PAD_LEFT}" y1="{bottom}" x2="{WIDTH - _PAD_RIGHT}" '
        f'y2="{bottom}"/>'
        f'<text class="tick" x="{_PAD_LEFT - 4}" y="{_PAD_TOP + 10}" text-anchor="end">'
        f"{escape(display_amount(high) or '')}{escape(unit)}</text>"
        f'<text class="tick" x="{_PAD_LEFT - 4}" y="{bottom}" text-anchor="end">'
        f"{escape(display_amount(low) or '')}{escape(unit)}</text>"
        f'<text class="tick" x="{_PAD_LEFT}" y="{HEIGHT - 6}">{escape(points[0][0])}</text>'
        f'<text class="tick" x="{WIDTH - _PAD_RIGHT}" y="{HEIGHT - 6}" text-anchor="end">'
        f"{escape(points[-1][0])}</text>"
        f'{area}<polyline class="line" points="{line}"/>'
        f"<desc>{len(points)} points</desc></svg>"
    )
