"""What a trader looks at after real CLI runs: the demo replay and a two-symbol replay
(`--replay BTC/EUR=... --replay ETH/EUR=...`), each as the dashboard's run page and as the
offline report, rendered by headless Chromium. Screenshots go to test-artifacts/trader_*.png."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.e2e.dashboard_process import rendered, running_dashboard, screenshot
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade

pytestmark = pytest.mark.browser
DEMO = "demo-replay"
MULTI = "two-symbol-replay"
SYMBOLS = ("BTC/EUR", "ETH/EUR")
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9")
LONG_FIGURE = re.compile(r"\d\.\d{9}")  # 16-digit money or prices a trader cannot read


def synth(path: Path, symbol: str, seed: int, price: str) -> Path:
    result = peak_trade(
        "data", "synth", "--out", str(path), "--symbol", symbol, "--candles", "3000",
        "--seed", str(seed), "--start-price", price,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("trader")
    base = work / "runs"
    common = ["session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory"]
    demo = peak_trade(
        *common, "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(base), "--run-id", DEMO,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    btc = synth(work / "btc.csv", "BTC/EUR", 7, "60000")
    eth = synth(work / "eth.csv", "ETH/EUR", 11, "3000")
    multi = peak_trade(
        *common, "--replay", f"BTC/EUR={btc}", "--replay", f"ETH/EUR={eth}",
        "--log-dir", str(base), "--run-id", MULTI,
    )  # fmt: skip
    assert multi.returncode == 0, multi.stderr
    for run in (DEMO, MULTI):
        report = peak_trade("report", run, "--log-dir", str(base))
        assert report.returncode == 0, report.stderr
    return base


@pytest.fixture(scope="module")
def base_url(runs: Path) -> Iterator[str]:
    with running_dashboard(runs) as url:
        yield url


def part(html: str, name: str) -> str:
    return html.split(f'<section id="part-{name}"')[1].split("</section>")[0]


def summary_of(runs: Path, run_id: str) -> dict[str, object]:
    summary: dict[str, object] = json.loads((runs / run_id / "summary.json").read_text())
    return summary


def check_trader_view(html: str, symbols: tuple[str, ...], trips: int) -> None:
    """Price chart with markers per symbol, per-symbol rows, every round trip, statistics."""
    assert html.count("chart-box enhanced") == len(symbols)
    assert "tv-lightweight-charts" in html
    rows = part(html, "symbols")
    assert "Net PnL" in rows  # after fees, beside the ledger's realized PnL before fees
    assert "Win rate" in rows
    assert "Net PnL" in part(html, "trips")
    for symbol in symbols:
        assert f'data-symbol="{symbol}"' in html
        assert f"<td>{symbol}</td>" in rows
    assert part(html, "trips").count("<tr>") == trips + 1
    statistics = part(html, "statistics")
    for label in ("Win rate", "Profit factor", "Sharpe / Sortino", "Exposure", "Trades per day"):
        assert label in statistics
    for name in ("figures", "symbols", "statistics", "trips"):
        assert not LONG_FIGURE.search(part(html, name)), name


@pytest.mark.parametrize(("run_id", "symbols"), [(DEMO, ("BTC/EUR",)), (MULTI, SYMBOLS)])
def test_the_run_page_shows_each_symbols_price_with_fills_trips_and_statistics(
    base_url: str, runs: Path, tmp_path: Path, run_id: str, symbols: tuple[str, ...]
) -> None:
    url = f"{base_url}/runs/{run_id}"
    html = rendered(tmp_path / "dom", url)
    height = 2600 if len(symbols) == 1 else 3400
    screenshot(tmp_path / "shot", url, f"trader_{run_id}_dashboard.png", height)
    trips = httpx.get(f"{base_url}/api/runs/{run_id}/round_trips?limit=1").json()["total"]
    assert trips > 5
    check_trader_view(html, symbols, trips)
    for symbol in symbols:
        chart = httpx.get(f"{base_url}/api/runs/{run_id}/chart", params={"symbol": symbol})
        assert {m["side"] for m in chart.json()["markers"]} == {"buy", "sell"}, symbol
    fills = summary_of(runs, run_id)["symbols"]
    assert isinstance(fills, dict)
    assert set(fills) == set(symbols)


@pytest.mark.parametrize(("run_id", "symbols"), [(DEMO, ("BTC/EUR",)), (MULTI, SYMBOLS)])
def test_the_offline_report_shows_the_same(
    base_url: str, runs: Path, tmp_path: Path, run_id: str, symbols: tuple[str, ...]
) -> None:
    url = (runs / run_id / "report.html").as_uri()
    html = rendered(tmp_path / "dom", url, *OFFLINE)
    height = 2600 if len(symbols) == 1 else 3400
    screenshot(tmp_path / "shot", url, f"trader_{run_id}_report.png", height)
    trips = httpx.get(f"{base_url}/api/runs/{run_id}/round_trips?limit=1").json()["total"]
    check_trader_view(html, symbols, trips)
