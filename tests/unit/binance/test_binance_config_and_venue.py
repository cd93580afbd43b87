"""Config defaults and bounds; which hosts are sandboxes and which requests could execute."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from peak_trade.adapters.binance import (
    BinanceKeyType,
    BinanceTestnetClient,
    BinanceTestnetConfig,
    binance_venue,
)
from peak_trade.adapters.binance.venue import could_execute
from peak_trade.adapters.clocks import SimulatedClock
from peak_trade.domain.environment import SafetyRefusal, VenueNotAllowedError


def test_defaults_execute_on_the_spot_testnet_with_env_var_names_only() -> None:
    config = BinanceTestnetConfig()
    assert config.base_url == "https://testnet.binance.vision"
    assert config.validate_only is False
    assert config.key_type is BinanceKeyType.HMAC
    assert config.api_key_env_var == "BINANCE_TESTNET_API_KEY"
    assert config.api_secret_env_var == "BINANCE_TESTNET_API_SECRET"
    assert config.private_key_path_env_var == "BINANCE_TESTNET_PRIVATE_KEY_PATH"
    assert config.recv_window_ms == 5000


@pytest.mark.parametrize("recv_window", [0, 60001, -5])
def test_recv_window_beyond_binances_range_is_refused(recv_window: int) -> None:
    with pytest.raises(ValueError, match="recv_window_ms"):
        BinanceTestnetConfig(recv_window_ms=recv_window)


def test_recv_window_of_sixty_seconds_is_the_maximum_allowed() -> None:
    assert BinanceTestnetConfig(recv_window_ms=60000).recv_window_ms == 60000


@pytest.mark.parametrize(
    ("field", "value"), [("timeout_seconds", 0.0), ("max_retries", -1), ("max_retries", 11)]
)
def test_out_of_range_settings_are_refused(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        BinanceTestnetConfig(**{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "https://testnet.binance.vision",
        "https://api1.testnet.binance.vision/",
        "https://demo-api.binance.com",
        "http://127.0.0.1:8080",
        "http://localhost:9000",
        "http://[::1]:9000",
    ],
)
def test_sandbox_hosts_may_execute(url: str) -> None:
    venue = binance_venue(BinanceTestnetConfig(base_url=url, validate_only=False))
    assert not venue.production
    assert venue.name == "binance"


@pytest.mark.parametrize(
    "url",
    [
        "https://api.binance.com",
        "https://api1.binance.com",
        "https://api2.binance.com",
        "https://api3.binance.com",
        "https://api4.binance.com",
        "https://api-gcp.binance.com",
        "https://data-api.binance.vision",
        "https://testnet.binance.vision.example.com",  # a suffix is not the host
        "https://binance-testnet.example.org",
    ],
)
def test_every_other_host_is_production(url: str) -> None:
    assert binance_venue(BinanceTestnetConfig(base_url=url)).production


@pytest.mark.parametrize("url", ["https://api.binance.com", "https://api-gcp.binance.com"])
def test_executing_on_production_is_refused_at_construction(url: str) -> None:
    config = BinanceTestnetConfig(base_url=url, validate_only=False)
    with pytest.raises(VenueNotAllowedError) as caught:
        BinanceTestnetClient(config, SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC)), environ={})
    assert isinstance(caught.value, SafetyRefusal)  # CLI exit code 3
    assert url.removeprefix("https://") in str(caught.value)


def test_validate_only_on_production_is_allowed() -> None:
    config = BinanceTestnetConfig(base_url="https://api.binance.com", validate_only=True)
    clock = SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC))
    with BinanceTestnetClient(config, clock, environ={}) as client:
        assert client.venue.production
        assert client.venue.validate_only
        assert client.venue.host == "api.binance.com"


@pytest.mark.parametrize(
    ("method", "path", "executing"),
    [
        ("POST", "/api/v3/order", True),
        ("DELETE", "/api/v3/order", True),
        ("DELETE", "/api/v3/openOrders", True),
        ("POST", "/api/v3/orderList/oco", True),
        ("POST", "/api/v3/order/cancelReplace", True),
        ("PUT", "/api/v3/order/amend/keepPriority", True),
        ("POST", "/api/v3/sor/order", True),
        ("POST", "/api/v3/order/test", False),
        ("POST", "/api/v3/sor/order/test", False),
        ("GET", "/api/v3/order", False),
        ("GET", "/api/v3/klines", False),
    ],
)
def test_everything_but_reads_and_test_orders_could_execute(
    method: str, path: str, executing: bool
) -> None:
    assert could_execute(method, path) is executing
