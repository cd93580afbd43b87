"""Server-side SVG charts (the no-JavaScript fallback): one symbol's price with its fills,
equity, drawdown and position, stacked on one shared time axis.

They read the same chart payload as the interactive chart (RunMonitor.chart), so both show the
same bars, on the same time grid. Every mark has a <title>: hovering shows its value even
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from peak_trade.app.monitoring.display import fixed, time_text
from peak_trade.app.monitoring.numbers import from_epoch

WIDTH = 1000
PAD_LEFT = 84
PAD_RIGHT = 12
PANEL = {"price": 220, "equity": 110, "drawdown": 80, "position": 80}
_GAP = 8
_AXIS = 26


def _iso(seconds: float) -> str:
    return from_epoch(int(seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Scale:
    """Maps times to x and one panel's values to y."""

    def __init__(self, start: float, end: float, top: float, height: float) -> None:
        self.start, self.span = start, (end - start) or 1.0
        self.top, self.height = top, height
        self.low, self.high = 0.0, 1.0

    def fit(self, values: Sequence[float], *, include_zero: bool = False) -> None:
        low, high = min(values), max(values)
        if include_zero:
            low, high = min(low, 0.0), max(high, 0.0)
        if high == low:
            high, low = high + 1.0, low - 1.0
        pad = (high - low) * 0.06
        self.low, self.high = low - pad, high + pad

    def x(self, time: float) -> float:
        return PAD_LEFT + (time - self.start) / self.span * (WIDTH - PAD_LEFT - PAD_RIGHT)

    def y(self, value: float) -> float:
        return self.top + (self.high - value) / (self.high - self.low) * self.height


def _line(points: Sequence[Sequence[float]], scale: _Scale, *, step: bool = False) -> str:
    coords: list[str] = []
    previous: float | None = None
    for time, value in ((p[0], p[1]) for p in points):
        x = scale.x(time)
        if step and previous is not None:
            coords.append(f"{x:.1f},{scale.y(previous):.1f}")
        coords.append(f"{x:.1f},{scale.y(value):.1f}")
        previous = value
    return " ".join(coords)


def _labels(scale: _Scale, text: Callable[[float], str], name: str) -> str:
    top = f"{text(scale.high)}"
    bottom = f"{text(scale.low)}"
    return (
        f'<text class="tick" x="{PAD_LEFT - 6}" y="{scale.top + 10:.1f}" text-anchor="end">'
        f"{escape(top)}</text>"
        f'<text class="tick" x="{PAD_LEFT - 6}" y="{scale.top + scale.height:.1f}" '
        f'text-anchor="end">{escape(bottom)}</text>'
        f'<text class="pane-title" x="{PAD_LEFT + 6}" y="{scale.top + 12:.1f}">'
        f"{escape(name)}</text>"
        f'<line class="axis" x1="{PAD_LEFT}" y1="{scale.top:.1f}" x2="{PAD_LEFT}" '
        f'y2="{scale.top + scale.height:.1f}"/>'
    )


def symbol_svg(
    chart: Mapping[str, Any], *, price_places: int, quantity_places: int, money_places: int
) -> str:
    """Price (close line) with buy/sell markers, equity, drawdown and position on one x axis."""
    symbol = str(chart.get("symbol"))
    bars: list[list[float]] = chart.get("bars") or []
    equity: list[list[float]] = chart.get("equity") or []
    drawdown: list[list[float]] = chart.get("drawdown") or []
    position: list[list[float]] = chart.get("position") or []
    times = [p[0] for series in (bars, equity, position) for p in series]
    label = f"{symbol} price, equity, drawdown and position ({chart.get('timeframe')} bars)"
    if not times:
        return (
            f'<svg class="chart empty" role="img" aria-label="{escape(label)}" '
            f'viewBox="0 0 {WIDTH} 40"><text x="10" y="25">{escape(symbol)}: no data yet'
            "</text></svg>"
        )
    start, end = min(times), max(times)
    top, parts = 6.0, []
    scales: dict[str, _Scale] = {}
    for name, height in PANEL.items():
        scales[name] = _Scale(start, end, top, height)
        top += height + _GAP
    height_total = top - _GAP + _AXIS

    def price(v: float) -> str:
        return fixed(str(v), price_places, grouping=True) or ""

    def money(v: float) -> str:
        return fixed(str(v), money_places, grouping=True) or ""

    def qty(v: float) -> str:
        return fixed(str(v), quantity_places) or ""

    def pct(v: float) -> str:
        return f"{v:.2f}%"

    if bars:
        scale = scales["price"]
        scale.fit([b[3] for b in bars] + [b[2] for b in bars])
        closes = [(b[0], b[4]) for b in bars]
        parts.append(_labels(scale, price, f"{symbol} close"))
        parts.append(f'<polyline class="line price" points="{_line(closes, scale)}"/>')
        parts.extend(_markers(chart.get("markers") or [], scale, price, qty))
    for name, series, text, title in (
        ("equity", equity, money, "Equity"),
        ("drawdown", drawdown, pct, "Drawdown"),
        ("position", position, qty, f"Position {symbol}"),
    ):
        if not series:
            continue
        scale = scales[name]
        scale.fit([p[1] for p in series], include_zero=name != "equity")
        parts.append(_labels(scale, text, title))
        points = _line(series, scale, step=name == "position")
        if name == "drawdown":
            zero = f"{scale.y(0.0):.1f}"
            first_x, last_x = f"{scale.x(series[0][0]):.1f}", f"{scale.x(series[-1][0]):.1f}"
            parts.append(
                f'<polygon class="area" points="{first_x},{zero} {points} {last_x},{zero}"/>'
            )
        parts.append(f'<polyline class="line {name}" points="{points}"/>')
    parts.append(_time_axis(scales["position"], start, end, height_total))
    return (
        f'<svg class="chart stack" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {WIDTH} {height_total:.0f}">'
        f"<title>{escape(label)}</title>{''.join(parts)}"
        f"<desc>{len(bars)} bars, {len(equity)} equity points</desc></svg>"
    )


def _markers(
    markers: Sequence[Mapping[str, Any]],
    scale: _Scale,
    price: Callable[[float], str],
    qty: Callable[[float], str],
) -> list[str]:
    out = []
    for marker in markers:
        value = marker.get("price")
        if value is None:
            continue
        x, y = scale.x(marker["time"]), scale.y(float(value))
        buy = marker.get("side") == "buy"
        tip = (
            f"{'BUY' if buy else 'SELL'} {qty(marker.get('quantity') or 0)} at "
            f"{price(float(value))} ({time_text(_iso(marker['time']))}"
            + (f", {marker['count']} fills" if marker.get("count", 1) > 1 else "")
            + ")"
        )
        shape = (
            f"{x:.1f},{y + 3:.1f} {x - 5:.1f},{y + 12:.1f} {x + 5:.1f},{y + 12:.1f}"
            if buy
            else f"{x:.1f},{y - 3:.1f} {x - 5:.1f},{y - 12:.1f} {x + 5:.1f},{y - 12:.1f}"
        )
        css = "buy" if buy else "sell"
        out.append(
            f'<polygon class="marker {css}" points="{shape}"><title>{escape(tip)}</title></polygon>'
        )
    return out


def _time_axis(scale: _Scale, start: float, end: float, height: float) -> str:
    bottom = scale.top + scale.height
    ticks = []
    for i in range(5):
        time = start + (end - start) * i / 4
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        ticks.append(
            f'<text class="tick" x="{scale.x(time):.1f}" y="{height - 8:.1f}" '
            f'text-anchor="{anchor}">{escape(time_text(_iso(time)) or "")}</text>'
        )
    return (
        f'<line class="axis" x1="{PAD_LEFT}" y1="{bottom:.1f}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{bottom:.1f}"/>' + "".join(ticks)
    )
