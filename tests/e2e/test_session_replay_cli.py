"""`peak-trade session` offline replay, run as a user runs it (subprocess)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.e2e.session_cli_support import (
    DEMO_LIKE,
    events,
    only_run,
    peak_trade,
    replay_args,
    summary,
    synth_csv,
    write_config,
)


def test_replay_session_trades_and_its_summary_matches_the_events(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=600)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")

    done = peak_trade(
        *replay_args(config, csv),
        "--log-dir",
        "runs",
        cwd=tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert "Session summary" in done.stdout
    assert "SIMULATED" in done.stdout
    run = only_run(tmp_path / "runs")
    assert sorted(p.name for p in run.iterdir()) == ["events.jsonl", "meta.json", "summary.json"]
    s = summary(run)
    ev = events(run)
    fills = [e for e in ev if e["type"] == "simulated_fill"]
    assert s["status"] == "completed"
    assert s["orders_validated"] == len(fills) >= 3
    assert Decimal(s["fees_paid"]) == sum(Decimal(f["fee"]) for f in fills)
    assert Decimal(s["end_equity"]) == Decimal(fills[-1]["equity_after"]) or s["positions"]
    assert [e["seq"] for e in ev] == list(range(1, len(ev) + 1))
    assert ev[0]["type"] == "session_started"
    assert ev[-1]["type"] == "session_ended"
    assert s["candles_processed"] == 600 - 30
    assert run.name in done.stdout


def test_no_logging_writes_no_run_directory(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=120)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")
    done = peak_trade(
        *replay_args(config, csv),
        "--log-dir",
        "runs",
        "--no-logging",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "runs").exists()
    assert "not written" in done.stdout


def test_custom_run_id_is_used_once_and_never_reused(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=100)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")
    args = (
        *replay_args(config, csv),
        "--log-dir",
        "runs",
        "--run-id",
        "my-run.1",
    )
    first = peak_trade(*args, cwd=tmp_path)
    second = peak_trade(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "runs" / "my-run.1" / "summary.json").is_file()
    assert second.returncode == 2
    assert "never reused" in second.stderr


def test_unknown_strategy_lists_the_registered_ones(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=100)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")
    done = peak_trade(
        *replay_args(config, csv),
        "--strategy",
        "tick_momentum",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "ma_crossover" in done.stderr
    assert "rsi_strategy" in done.stderr


def test_rsi_strategy_runs_from_the_command_line(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=400)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")
    done = peak_trade(
        *replay_args(config, csv),
        "--strategy",
        "rsi_strategy",
        "--log-dir",
        "runs",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    meta_strategy = summary(only_run(tmp_path / "runs"))
    assert meta_strategy["status"] == "completed"


def test_bundled_demo_data_and_config_give_a_summary_with_trades(tmp_path: Path) -> None:
    from tests.e2e.session_cli_support import REPO

    done = peak_trade(
        "session",
        "--config",
        str(REPO / "config/demo.toml"),
        "--exchange",
        "in_memory",
        "--replay",
        str(REPO / "data/btc_eur_1m_synthetic.csv"),
        "--log-dir",
        "live_runs",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    s = summary(only_run(tmp_path / "live_runs"))
    assert s["orders_validated"] >= 4
    assert s["status"] == "completed"
