"""Environment policy: only testnet trades; production venues may only validate."""

from __future__ import annotations

import pytest

from peak_trade.domain.environment import (
    EnvironmentConfig,
    EnvironmentNotTestnetError,
    SafetyRefusal,
    TradingEnvironment,
    Venue,
    VenueNotAllowedError,
    is_loopback_host,
    require_safe_venue,
    require_testnet,
)


def test_default_environment_is_testnet() -> None:
    assert EnvironmentConfig().environment is TradingEnvironment.TESTNET


def test_testnet_passes_the_guard() -> None:
    require_testnet(EnvironmentConfig(environment=TradingEnvironment.TESTNET), "executor")


@pytest.mark.parametrize("mode", [TradingEnvironment.PAPER, TradingEnvironment.LIVE])
def test_paper_and_live_are_refused(mode: TradingEnvironment) -> None:
    with pytest.raises(EnvironmentNotTestnetError) as info:
        require_testnet(EnvironmentConfig(environment=mode), "TestnetExchangeOrderExecutor")
    message = str(info.value)
    assert "TestnetExchangeOrderExecutor runs only in the testnet environment" in message
    assert f"mode is {mode.value!r}" in message
    assert isinstance(info.value, SafetyRefusal)


def test_production_venue_that_only_validates_is_allowed() -> None:
    require_safe_venue(
        Venue(name="kraken", production=True, validate_only=True, host="api.kraken.com")
    )


def test_production_venue_that_would_execute_is_refused_with_an_explanation() -> None:
    venue = Venue(name="kraken", production=True, validate_only=False, host="api.kraken.com")
    with pytest.raises(VenueNotAllowedError) as info:
        require_safe_venue(venue)
    message = str(info.value)
    assert "venue kraken (api.kraken.com) is a production exchange" in message
    assert "validate_only = true" in message
    assert isinstance(info.value, SafetyRefusal)


def test_production_venue_without_host_is_still_refused() -> None:
    with pytest.raises(VenueNotAllowedError, match="venue x is a production exchange"):
        require_safe_venue(Venue(name="x", production=True, validate_only=False))


def test_sandbox_venue_may_execute() -> None:
    require_safe_venue(Venue(name="in_memory", production=False, validate_only=False))


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST", "127.0.0.1", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1"],
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host",
    [
        "api.kraken.com",
        "127.0.0.1.example.com",
        "localhost.example.com",
        "127.999.0.1",
        "128.0.0.1",
        "10.0.0.1",
        "0.0.0.0",
        "::",
        "",
    ],
)
def test_non_loopback_hosts(host: str) -> None:
    assert not is_loopback_host(host)
