"""Chart data: bars, equity, drawdown and position on one time grid; fills on their bars."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.support.runlog_fixtures import seed_live_run, seed_replay_run, write_large_run

from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.adapters.runlog.reader import RunLogReader
from peak_trade.app.monitoring.monitor import RunMonitor
from peak_trade.app.monitoring.price_bars import PriceBars
from peak_trade.app.monitoring.samples import Samples, event_bucket

WALL = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)


def monitor(base: Path) -> RunMonitor:
    return RunMonitor(RunLogReader(base), SimulatedClock(WALL))


def test_a_sample_belongs_to_the_bar_that_closed_when_it_was_taken() -> None:
    assert event_bucket(12 * 60 + 5 * 60, 60) == 12 * 60 + 4 * 60  # 00:17:00 -> bar 00:16
    assert event_bucket(601, 600) == 600
    assert event_bucket(1200, 600) == 600


def test_coarser_bars_fold_open_high_low_close_and_volume() -> None:
    bars = PriceBars()
    for minute, (o, h, low, c) in enumerate([(10, 12, 9, 11), (11, 15, 10, 14), (14, 14, 8, 9)]):
        bars.add((minute * 60, o, h, low, c, 1.0), 60)
    assert bars.bars(180) == [(0, 10, 15, 8, 9, 3.0)]
    bars.add((180, 9, 10, 9, 10, 2.0), 60)  # extends the cached 3-minute level
    assert bars.bars(180)[-1] == (180, 9, 10, 9, 10, 2.0)
    assert bars.bars(60, 60, 120) == [(60, 11, 15, 10, 14, 1.0), (120, 14, 14, 8, 9, 1.0)]


def test_samples_keep_the_last_value_or_the_worst_per_bar() -> None:
    samples = Samples()
    for time, value in ((61, 1.0), (90, -3.0), (120, -1.0), (121, -2.0)):
        samples.add(time, value)
    assert samples.bucketed(60) == [(60, -1.0), (120, -2.0)]
    assert samples.bucketed(60, pick=min) == [(60, -3.0), (120, -2.0)]


def test_every_series_shares_the_bars_time_grid(tmp_path: Path) -> None:
    seed_replay_run(tmp_path, "grid", symbols=("BTC/EUR", "ETH/EUR"))
    chart = monitor(tmp_path).chart("grid", "ETH/EUR")
    bar_times = {b[0] for b in chart["bars"]}
    assert chart["timeframe"] == "10m"  # heartbeat bars every 10 one-minute candles
    assert all(t % 600 == 0 for t in bar_times)
    first_bar = min(bar_times)
    for name in ("equity", "drawdown", "position"):
        # the start equity was booked as the session started, before the first bar closed
        assert {p[0] for p in chart[name] if p[0] >= first_bar} <= bar_times, name
    assert chart["markers"]
    assert {m["time"] for m in chart["markers"]} <= bar_times
    assert {m["side"] for m in chart["markers"]} == {"buy", "sell"}


def test_the_auto_timeframe_fits_a_year_into_a_few_thousand_bars(tmp_path: Path) -> None:
    write_large_run(tmp_path, "year", candles=525_600 // 20, heartbeat_every=10)
    watcher = monitor(tmp_path)
    auto = watcher.chart("year", "BTC/EUR", max_bars=500)
    assert auto["timeframe"] in ("1h", "2h")
    assert len(auto["bars"]) <= 500
    fine = watcher.chart("year", "BTC/EUR", timeframe="10m", max_bars=500)
    assert fine["clipped"] is True
    assert len(fine["bars"]) == 500
    assert fine["bars"][-1][0] == auto["bars"][-1][0] + (int(auto["timeframe"][:-1]) * 3600 - 600)


def test_a_timeframe_finer_than_the_data_shows_the_data_as_it_is(tmp_path: Path) -> None:
    seed_live_run(tmp_path)
    chart = monitor(tmp_path).chart("live-eth", "ETH/EUR", timeframe="1s")
    assert chart["bucket_seconds"] == 60
    assert chart["timeframes"][:3] == ["1m", "3m", "5m"]


def test_a_heartbeat_may_carry_several_bars_per_symbol(tmp_path: Path) -> None:
    from tests.support.runlog_fixtures import T0, FakeRun, iso

    run = FakeRun(tmp_path, "fine-bars")
    run.meta(timeframe="1m")
    bars = [
        {"open_time": iso(T0.replace(minute=m)), "open": "10", "high": "12", "low": "9",
         "close": "11", "volume": "1", "candles": 1}
        for m in range(5)
    ]  # fmt: skip
    run.event("heartbeat", T0.replace(minute=5), equity="100", bars={"BTC/EUR": bars})
    chart = monitor(tmp_path).chart("fine-bars", "BTC/EUR")
    assert (chart["timeframe"], len(chart["bars"])) == ("1m", 5)
