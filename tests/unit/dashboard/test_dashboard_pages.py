"""SVG fallback charts and page helpers: one time axis, fills as markers, escaping, redaction,
pagers that say how many rows there are."""

from __future__ import annotations

from peak_trade.app.cli.dashboard.charts import symbol_svg
from peak_trade.app.cli.dashboard.pages import e, pager, redact, table
from peak_trade.app.monitoring.presentation import Column

CHART = {
    "symbol": "BTC/EUR",
    "timeframe": "1m",
    "bars": [[60 * i, 100.0 + i, 102.0 + i, 99.0 + i, 101.0 + i, 1.0] for i in range(10)],
    "equity": [[60 * i, 10000.0 + i] for i in range(10)],
    "drawdown": [[60 * i, -0.1 * i] for i in range(10)],
    "position": [[60 * i, 0.01 if 2 <= i < 6 else 0.0] for i in range(10)],
    "markers": [
        {"time": 120, "side": "buy", "count": 1, "quantity": 0.01, "price": 103.04},
        {"time": 360, "side": "sell", "count": 2, "quantity": 0.01, "price": 107.0},
    ],
}


def svg() -> str:
    return symbol_svg(CHART, price_places=1, quantity_places=8, money_places=2)


def test_the_svg_draws_price_equity_drawdown_and_position_on_one_axis() -> None:
    drawing = svg()
    assert drawing.count("<polyline") == 4
    x_of = {
        name: drawing.split(f'class="line {name}" points="')[1].split(",")[0]
        for name in ("price", "equity", "drawdown", "position")
    }
    assert len(set(x_of.values())) == 1  # every pane starts at the same x: one time axis
    assert drawing.count("1970-01-01 00:00:00") == 1


def test_fills_are_markers_whose_title_shows_their_values() -> None:
    drawing = svg()
    assert drawing.count('class="marker buy"') == 1
    assert drawing.count('class="marker sell"') == 1
    assert "<title>BUY 0.01000000 at 103.0 (1970-01-01 00:02:00)</title>" in drawing
    assert "SELL 0.01000000 at 107.0 (1970-01-01 00:06:00, 2 fills)" in drawing


def test_an_empty_chart_says_so_and_labels_are_escaped() -> None:
    empty = symbol_svg(
        {"symbol": "<b>", "bars": [], "equity": [], "position": []},
        price_places=2, quantity_places=8, money_places=2,
    )  # fmt: skip
    assert "no data yet" in empty
    assert "<b>" not in empty


def test_a_pager_states_the_total_and_links_older_and_newer_pages() -> None:
    page = {"orders": [{}] * 100, "total": 5454, "offset": 100, "limit": 100,
            "next_offset": 200, "previous_offset": 0}  # fmt: skip
    text = pager("orders", page, "orders")
    assert 'orders 101–200 of <strong class="count">5,454</strong>' in text
    assert 'href="?orders=200#part-orders"' in text
    assert 'href="?orders=5400#part-orders"' in text  # oldest
    assert 'href="?orders=0#part-orders"' in text


def test_numeric_columns_align_right_and_cells_are_escaped() -> None:
    html = table([Column("Name"), Column("Qty", True)], [["<i>", "1.5"]], "t")
    assert '<th class="num">Qty</th>' in html
    assert '<td class="num">1.5</td>' in html
    assert "&lt;i&gt;" in html


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
