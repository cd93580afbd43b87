"""`data fetch --exchange binance` reads production market data with a client that cannot
trade: built validate-only and without credentials, whatever the config says."""

from __future__ import annotations

from pathlib import Path

import pytest

from peak_trade.adapters.binance import BinanceTestnetClient
from peak_trade.app.bootstrap.tools import binance_kline_history
from peak_trade.app.config import load_config
from peak_trade.ports.errors import ExchangeAuthError

EXECUTING = """
[environment]
mode = "testnet"

[exchange.binance_testnet]
base_url = "https://testnet.binance.vision"
validate_only = false
"""


def test_market_data_comes_from_production_through_a_client_that_cannot_trade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BINANCE_TESTNET_API_KEY", "a-key-that-must-not-be-used")
    monkeypatch.setenv("BINANCE_TESTNET_API_SECRET", "a-secret-that-must-not-be-used")
    (tmp_path / "c.toml").write_text(EXECUTING)
    history, url = binance_kline_history(load_config(tmp_path / "c.toml"))
    assert isinstance(history, BinanceTestnetClient)
    try:
        assert url == "https://api.binance.com"
        assert history.venue.production
        assert history.venue.validate_only
        with pytest.raises(ExchangeAuthError, match="need credentials"):
            history.balances()  # refused before any request: there are no credentials
    finally:
        history.close()


def test_a_base_url_override_is_read_instead(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(EXECUTING)
    history, url = binance_kline_history(
        load_config(tmp_path / "c.toml"), base_url="http://127.0.0.1:9/"
    )
    try:
        assert url == "http://127.0.0.1:9"
        assert isinstance(history, BinanceTestnetClient)
        assert not history.venue.production
        assert history.venue.validate_only
    finally:
        history.close()
