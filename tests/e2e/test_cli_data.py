"""`peak-trade data synth|fetch` as a user runs them, and the seed's script entry point."""

from __future__ import annotations

import itertools
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.e2e.session_cli_support import (
    REPO,
    clean_env,
    only_run,
    peak_trade,
    replay_args,
    summary,
)
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


@pytest.fixture
def binance_url() -> Iterator[str]:
    """The Binance loopback server as a user starts it: its own process, URL on stdout."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.binance_server", "--port", "0", "--speed", "1"],
        cwd=REPO,
        env=clean_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def binance_fetch(
    out: str, url: str, cwd: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return peak_trade(
        "data", "fetch", "--exchange", "binance", "--base-url", url, "--out", out,
        "--config", str(REPO / "config/config.toml"), *extra, cwd=cwd, env=env,
    )  # fmt: skip


def test_binance_fetch_pages_through_a_long_history_into_a_replayable_file(
    tmp_path: Path, binance_url: str
) -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    until = since + timedelta(minutes=2500)  # three pages of at most 1000 klines
    done = binance_fetch(
        "b.csv", binance_url, tmp_path,
        "--since", "2026-01-01T00:00:00Z", "--until", "2026-01-02T17:40:00Z",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    candles = list(iter_candles_csv(tmp_path / "b.csv"))
    assert len(candles) == 2500
    assert candles[0].open_time == since
    assert candles[-1].open_time == until - timedelta(minutes=1)
    steps = {b.open_time - a.open_time for a, b in itertools.pairwise(candles)}
    assert steps == {timedelta(minutes=1)}  # page joins neither skip nor repeat a candle
    header = read_csv_header(tmp_path / "b.csv")
    assert header["symbol"] == "BTC/EUR"
    assert header["source"].startswith(f"binance klines {binance_url} interval=1m from")
    assert "wrote 2500 1m BTC/EUR candles (2026-01-01T00:00:00Z .. 2026-01-02T17:39:00Z)" in (
        done.stdout
    )
    assert "\r" not in done.stderr  # no progress line without a terminal

    replay = peak_trade(
        *replay_args(REPO / "config/demo.toml", tmp_path / "b.csv"), "--log-dir", "runs",
        cwd=tmp_path,
    )  # fmt: skip
    assert replay.returncode == 0, replay.stderr
    s = summary(only_run(tmp_path / "runs"))
    assert s["status"] == "completed"
    assert s["candles_processed"] > 2000


def test_binance_fetch_refuses_to_overwrite_unless_forced(tmp_path: Path, binance_url: str) -> None:
    (tmp_path / "b.csv").write_text("precious\n")
    window = ("--since", "2026-01-01T00:00:00Z", "--until", "2026-01-01T01:00:00Z")
    kept = binance_fetch("b.csv", binance_url, tmp_path, *window)
    assert kept.returncode == 2
    assert "b.csv exists; pass --force to replace it" in kept.stderr
    assert (tmp_path / "b.csv").read_text() == "precious\n"

    forced = binance_fetch("b.csv", binance_url, tmp_path, *window, "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(list(iter_candles_csv(tmp_path / "b.csv"))) == 60


def test_binance_fetch_without_since_takes_the_last_page_before_until(
    tmp_path: Path, binance_url: str
) -> None:
    done = binance_fetch("b.csv", binance_url, tmp_path, "--until", "2026-01-10T00:00:00Z")
    assert done.returncode == 0, done.stderr
    candles = list(iter_candles_csv(tmp_path / "b.csv"))
    assert len(candles) == 1000
    assert candles[-1].open_time == datetime(2026, 1, 9, 23, 59, tzinfo=UTC)


def test_fetching_public_data_needs_no_config_file(tmp_path: Path, binance_url: str) -> None:
    assert not (tmp_path / "config").exists()  # a directory without the project's config/
    done = peak_trade(
        "data", "fetch", "--exchange", "binance", "--base-url", binance_url, "--out", "b.csv",
        "--until", "2026-01-10T00:00:00Z", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(list(iter_candles_csv(tmp_path / "b.csv"))) == 1000


def test_binance_fetch_refuses_an_empty_range_before_any_request(tmp_path: Path) -> None:
    done = binance_fetch(
        "x.csv", "http://127.0.0.1:9", tmp_path,
        "--since", "2026-01-02T00:00:00Z", "--until", "2026-01-01T00:00:00Z",
    )  # fmt: skip
    assert done.returncode == 2
    assert "--since/--until: the start 2026-01-02T00:00:00Z is not before the end" in done.stderr
    assert not (tmp_path / "x.csv").exists()


def test_binance_fetch_names_an_unknown_symbol_and_writes_nothing(
    tmp_path: Path, binance_url: str
) -> None:
    done = binance_fetch("x.csv", binance_url, tmp_path, "--symbol", "DOGE/JPY")
    assert done.returncode == 2
    assert "--symbol:" in done.stderr
    assert "DOGE/JPY" in done.stderr
    assert not (tmp_path / "x.csv").exists()


def test_binance_fetch_shows_progress_on_a_terminal(tmp_path: Path, binance_url: str) -> None:
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable, "-m", "peak_trade", "data", "fetch", "--exchange", "binance",
                "--base-url", binance_url, "--out", "t.csv", "--config",
                str(REPO / "config/config.toml"), "--since", "2026-01-01T00:00:00Z",
                "--until", "2026-01-02T00:00:00Z",
            ],
            cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=secondary,
            text=True, timeout=60, check=False,
        )  # fmt: skip
        os.close(secondary)
        shown = _read_all(primary)
    finally:
        os.close(primary)
    assert done.returncode == 0
    # a page's newest row waits for the next page to prove it closed: 999, then the rest
    assert "\rfetching BTC/EUR 1m: 999 candles, up to 2026-01-01T16:38:00Z (69%)" in shown
    assert "\rfetching BTC/EUR 1m: 1440 candles, up to 2026-01-01T23:59:00Z (100%)" in shown
    assert shown.endswith("\r")  # the line is cleared before the summary is printed


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the writer side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_synth_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("precious\n")
    kept = peak_trade("data", "synth", "--candles", "10", "--out", "s.csv", cwd=tmp_path)
    assert kept.returncode == 2
    assert "s.csv exists; pass --force to replace it" in kept.stderr
    assert (tmp_path / "s.csv").read_text() == "precious\n"
    forced = peak_trade(
        "data", "synth", "--candles", "10", "--out", "s.csv", "--force", cwd=tmp_path
    )
    assert forced.returncode == 0, forced.stderr
    assert len(list(iter_candles_csv(tmp_path / "s.csv"))) == 10
