"""Each refusal of `peak-trade session` with its exit code and message (subprocess)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.e2e.session_cli_support import (
    DEMO_LIKE,
    KRAKEN,
    clean_env,
    peak_trade,
    replay_args,
    synth_csv,
    write_config,
)


@pytest.mark.parametrize("mode", ["paper", "live"])
def test_paper_and_live_environments_are_refused_with_exit_3(tmp_path: Path, mode: str) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=60)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode=mode, validate_only="true")
    done = peak_trade(
        *replay_args(config, csv),
        "--log-dir",
        "runs",
        cwd=tmp_path,
    )
    assert done.returncode == 3, done.stderr
    assert "refused for safety" in done.stderr
    assert "testnet" in done.stderr
    assert not (tmp_path / "runs").exists()


def test_production_venue_that_would_execute_is_refused_with_exit_3(tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "k.toml",
        KRAKEN,
        base_url="https://api.kraken.com",
        validate_only="false",
        state_dir=tmp_path / "state",
        poll=60,
    )
    done = peak_trade("session", "--config", str(config), "--log-dir", "runs", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "validate_only" in done.stderr
    assert "production" in done.stderr
    assert not (tmp_path / "runs").exists()


def test_disagreeing_dry_run_flags_are_a_config_error_with_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[environment]\nmode = "testnet"\ntestnet_dry_run = true\n'
        "[exchange.in_memory]\nvalidate_only = false\n"
    )
    done = peak_trade("session", "--config", str(config), "--exchange", "in_memory", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "testnet_dry_run" in done.stderr
    assert "validate_only" in done.stderr


def test_missing_credentials_exit_2_naming_the_variables_and_the_offline_way(
    tmp_path: Path,
) -> None:
    config = write_config(
        tmp_path / "k.toml",
        KRAKEN,
        base_url="https://api.kraken.com",
        validate_only="true",
        state_dir=tmp_path / "state",
        poll=60,
    )
    done = peak_trade(
        "session", "--config", str(config), "--log-dir", "runs", cwd=tmp_path, env=clean_env()
    )
    assert done.returncode == 2, done.stderr
    assert "KRAKEN_TESTNET_API_KEY" in done.stderr
    assert "KRAKEN_TESTNET_API_SECRET" in done.stderr
    assert "--exchange in_memory --replay data/btc_eur_1m_synthetic.csv" in done.stderr
    assert not (tmp_path / "runs").exists()


def test_replay_without_the_in_memory_exchange_is_a_usage_error(tmp_path: Path) -> None:
    csv = synth_csv(tmp_path / "candles.csv", candles=60)
    config = write_config(tmp_path / "c.toml", DEMO_LIKE, mode="testnet", validate_only="true")
    done = peak_trade(
        "session",
        "--config",
        str(config),
        "--exchange",
        "kraken_testnet",
        "--replay",
        str(csv),
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "--exchange in_memory" in done.stderr
