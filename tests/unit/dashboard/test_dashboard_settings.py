"""Bind-address guard and where the viewers find their settings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from peak_trade.app.cli.dashboard.launch import RemoteBindRefusedError, check_bind_host
from peak_trade.app.cli.viewer_settings import viewer_settings
from peak_trade.app.errors import ConfigError


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_are_fine_without_a_warning(host: str) -> None:
    err = io.StringIO()
    check_bind_host(host, False, err)
    assert err.getvalue() == ""


def test_a_remote_host_is_refused_without_the_flag() -> None:
    with pytest.raises(RemoteBindRefusedError, match="--allow-remote"):
        check_bind_host("0.0.0.0", False, io.StringIO())


def test_a_remote_host_with_the_flag_prints_a_warning() -> None:
    err = io.StringIO()
    check_bind_host("192.168.1.5", True, err)
    assert "WARNING" in err.getvalue()
    assert "without authentication" in err.getvalue()


def test_log_dir_alone_needs_no_config(tmp_path: Path) -> None:
    settings = viewer_settings(None, str(tmp_path), {"PEAK_TRADE_CONFIG": str(tmp_path / "nope")})
    assert (settings.base_dir, settings.config_path) == (tmp_path, None)


def test_config_gives_base_dir_and_dashboard_settings(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[run_logging]\nbase_dir = "elsewhere"\n[dashboard]\nhost = "127.0.0.1"\nport = 8123\n'
    )
    settings = viewer_settings(str(config), None, {}, needs_dashboard=True)
    assert settings.base_dir == Path("elsewhere")
    assert settings.dashboard is not None
    assert settings.dashboard.port == 8123


def test_a_named_config_that_is_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        viewer_settings(str(tmp_path / "missing.toml"), None, {})


def test_without_any_config_the_default_directory_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = viewer_settings(None, None, {}, needs_dashboard=True)
    assert settings.base_dir == Path("live_runs")
    assert settings.dashboard is not None
    assert (settings.dashboard.host, settings.dashboard.port) == ("127.0.0.1", 8000)
