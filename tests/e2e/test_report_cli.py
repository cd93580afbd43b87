"""`peak-trade report`: one self-contained HTML file that renders offline in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.e2e.dashboard_process import rendered, screenshot
from tests.e2e.monitor_processes import DEMO_CONFIG, ROOT, peak_trade
from tests.support.runlog_fixtures import seed_halted_run, seed_replay_run

RUN = "report-demo"
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report") / "runs"
    session = peak_trade(
        "session", "--config", str(DEMO_CONFIG), "--exchange", "in_memory",
        "--replay", str(ROOT / "data" / "btc_eur_1m_synthetic.csv"),
        "--log-dir", str(base), "--run-id", RUN,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    seed_replay_run(base, "multi-symbol", symbols=("BTC/EUR", "ETH/EUR"))
    seed_halted_run(base)
    return base


def test_the_report_is_written_beside_the_run_log_by_default(runs: Path) -> None:
    result = peak_trade("report", RUN, "--log-dir", str(runs))
    assert result.returncode == 0, result.stderr
    target = runs / RUN / "report.html"
    assert f"wrote {target}" in result.stdout
    html = target.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "<script src=" not in html  # everything inline
    assert '<link rel="stylesheet"' not in html
    links = set(re.findall(r'(?:src|href)="(https?://[^"]*)"', html))
    assert links == {"https://www.tradingview.com/"}  # the licence's attribution link only
    assert "Apache License" in html


def test_the_report_renders_offline_with_charts_trips_statistics_and_config(
    runs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "multi.html"
    result = peak_trade("report", "multi-symbol", "--log-dir", str(runs), "--out", str(out))
    assert result.returncode == 0, result.stderr
    url = out.as_uri()
    html = rendered(tmp_path / "dom", url, *OFFLINE)
    screenshot(tmp_path / "shot", url, "report_multi_symbol_run.png", 2800)
    assert html.count("chart-box enhanced") == 2
    assert "tv-lightweight-charts" in html
    trips = html.split('<table id="round-trips">')[1].split("</table>")[0]
    assert trips.count("<tr>") - 1 == int(re.search(r"Round trips \((\d+)\)", html).group(1))
    assert "end_of_run" in trips
    for label in ("Win rate", "Profit factor", "Sharpe / Sortino", "Trades per day"):
        assert label in html
    assert "risk_blocked" in html.split('<table id="alerts">')[1]
    assert '"fast_window": 15' in html.split('<pre id="meta">')[1]


def test_the_demo_report_and_a_halted_run_report(runs: Path, tmp_path: Path) -> None:
    assert peak_trade("report", "halted-run", "--log-dir", str(runs)).returncode == 0
    halted = (runs / "halted-run" / "report.html").read_text()
    assert "Trading halted" in halted.split('id="part-figures"')[0]
    assert "flatten_on_halt" in halted
    assert peak_trade("report", RUN, "--log-dir", str(runs)).returncode == 0
    url = (runs / RUN / "report.html").as_uri()
    html = rendered(tmp_path / "dom", url, *OFFLINE)
    screenshot(tmp_path / "shot", url, "report_demo_run.png", 2400)
    assert "chart-box enhanced" in html


def test_an_unknown_run_is_a_usage_error(runs: Path) -> None:
    result = peak_trade("report", "no-such-run", "--log-dir", str(runs))
    assert result.returncode == 2
    assert "no run 'no-such-run'" in result.stderr
