"""SVG charts and page helpers: drawdown from the running peak, escaping, secret redaction."""

from __future__ import annotations

from decimal import Decimal

from peak_trade.app.cli.dashboard.charts import drawdown_series, line_chart
from peak_trade.app.cli.dashboard.pages import e, redact


def points(*values: str) -> list[tuple[str, Decimal]]:
    return [(f"2026-01-05T12:0{i}:00Z", Decimal(v)) for i, v in enumerate(values)]


def test_drawdown_series_is_measured_from_the_running_peak() -> None:
    series = drawdown_series(points("100", "110", "99", "120", "108"))
    assert [v for _, v in series] == [
        Decimal(0),
        Decimal(0),
        Decimal("-10.00"),
        Decimal(0),
        Decimal("-10.00"),
    ]


def test_line_chart_draws_one_vertex_per_point_and_labels_the_range() -> None:
    svg = line_chart(points("100", "110", "99"), element_id="equity-chart", title="Equity")
    assert svg.startswith('<svg id="equity-chart"')
    polyline = svg.split('points="')[1].split('"')[0]
    assert len(polyline.split(" ")) == 3
    assert ">110<" in svg
    assert ">99<" in svg


def test_line_chart_without_data_says_so() -> None:
    assert "no data yet" in line_chart([], element_id="x", title="Equity")


def test_line_chart_escapes_labels() -> None:
    svg = line_chart([("<b>", Decimal(1))], element_id="x", title="<i>")
    assert "<b>" not in svg
    assert "<i>" not in svg


def test_escape_helper() -> None:
    assert e('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert e(None) == "-"


def test_redact_hides_secret_values_but_keeps_env_var_names() -> None:
    meta = {
        "api_key_env_var": "KRAKEN_TESTNET_API_KEY",
        "nested": {"api_secret": "c2VjcmV0", "webhook_url": "https://hooks/x", "symbol": "BTC/EUR"},
    }
    assert redact(meta) == {
        "api_key_env_var": "KRAKEN_TESTNET_API_KEY",
        "nested": {"api_secret": "<redacted>", "webhook_url": "<redacted>", "symbol": "BTC/EUR"},
    }
