"""`peak-trade data synth|fetch` as a user runs them, and the seed's script entry point."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.session_cli_support import REPO, clean_env, peak_trade
from tests.support.kraken_server import KrakenLoopbackServer

from peak_trade.adapters.in_memory.replay import iter_candles_csv, read_csv_header
from peak_trade.adapters.in_memory.synthetic import SynthSpec, synthetic_candles
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe


def test_synth_is_seeded_labelled_synthetic_and_readable(tmp_path: Path) -> None:
    args = ("data", "synth", "--candles", "500", "--seed", "9", "--start", "2026-02-01T00:00:00Z")
    first = peak_trade(*args, "--out", "a.csv", cwd=tmp_path)
    again = peak_trade(*args, "--out", "b.csv", cwd=tmp_path)
    other = peak_trade(*args[:-4], "--seed", "10", "--out", "c.csv", cwd=tmp_path)
    assert first.returncode == again.returncode == other.returncode == 0, first.stderr

    a, b, c = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    header = read_csv_header(a)
    assert header["source"].startswith("synthetic (seed=9")
    assert header["symbol"] == "BTC/EUR"
    assert header["timeframe"] == "1m"
    candles = list(iter_candles_csv(a))
    assert len(candles) == 500
    assert candles[0].open_time.isoformat() == "2026-02-01T00:00:00+00:00"
    assert "wrote 500 synthetic" in first.stdout


def test_synthetic_rows_equal_the_generated_candles(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from peak_trade.adapters.in_memory.synthetic import write_synthetic_csv

    spec = SynthSpec(
        symbol=Symbol.parse("ETH/EUR"),
        timeframe=Timeframe.M5,
        candles=300,
        seed=4,
        start=datetime(2026, 3, 1, tzinfo=UTC),
        start_price=__import__("decimal").Decimal("2500"),
    )
    write_synthetic_csv(tmp_path / "e.csv", spec)
    assert list(iter_candles_csv(tmp_path / "e.csv")) == list(synthetic_candles(spec))


def test_fetch_records_kraken_ohlc_from_the_loopback_server(tmp_path: Path) -> None:
    with KrakenLoopbackServer(speed=60) as server:
        done = peak_trade(
            "data",
            "fetch",
            "--symbol",
            "BTC/EUR",
            "--timeframe",
            "1m",
            "--out",
            "k.csv",
            "--base-url",
            server.base_url,
            "--config",
            str(REPO / "config/config.toml"),
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert server.request_counts["OHLC"] >= 1
    candles = list(iter_candles_csv(tmp_path / "k.csv"))
    assert len(candles) >= 100
    header = read_csv_header(tmp_path / "k.csv")
    assert header["source"].startswith("kraken OHLC http://127.0.0.1")
    assert all(c.closed for c in candles)


def test_fetch_since_records_only_the_candles_after_that_time(tmp_path: Path) -> None:
    frozen = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    with KrakenLoopbackServer(speed=0, start=frozen) as server:  # speed 0: the market stands still

        def fetch(out: str, *extra: str) -> list[Candle]:
            done = peak_trade(
                "data", "fetch", "--out", out, "--base-url", server.base_url,
                "--config", str(REPO / "config/config.toml"), *extra, cwd=tmp_path,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            return list(iter_candles_csv(tmp_path / out))

        everything = fetch("all.csv")
        cut = everything[-50].open_time
        since = cut.strftime("%Y-%m-%dT%H:%M:%SZ")
        after = fetch("after.csv", "--since", since)
        future = peak_trade(
            "data", "fetch", "--out", "none.csv", "--base-url", server.base_url,
            "--config", str(REPO / "config/config.toml"), "--since", "2026-02-01T00:00:00Z",
            cwd=tmp_path,
        )  # fmt: skip

    assert len(everything) > 50
    assert after == everything[-49:]  # strictly after --since, none skipped, none repeated
    assert all(c.open_time > cut for c in after)
    assert future.returncode == 2
    assert "no closed 1m BTC/EUR candles after 2026-02-01T00:00:00Z" in future.stderr
    assert not (tmp_path / "none.csv").exists()


def test_seed_script_entry_point_runs_the_session_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.run_testnet_session",
            "--config",
            str(REPO / "config/demo.toml"),
            "--exchange",
            "in_memory",
            "--replay",
            str(REPO / "data/btc_eur_1m_synthetic.csv"),
            "--dry-run",
        ],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "plan only" in done.stdout
