"""Binance Spot Testnet (orders execute with virtual funds): the registry entry and its section."""

from __future__ import annotations

from decimal import Decimal

from peak_trade.adapters.binance.config import (
    MAX_RECV_WINDOW_MS,
    BinanceKeyType,
    BinanceTestnetConfig,
)
from peak_trade.adapters.binance.credentials import credential_env_vars
from peak_trade.adapters.binance.intervals import TIMEFRAMES
from peak_trade.adapters.binance.venue import binance_venue
from peak_trade.app.config.reader import ENV_VAR_NAME, TableReader
from peak_trade.app.venues import VenueBuild, VenueSpec
from peak_trade.ports.exchange import ExchangePort

_ENV_HINT = "an environment variable name such as BINANCE_TESTNET_API_KEY"
_KEY_TYPES = tuple(kind.value for kind in BinanceKeyType)


def read_binance(r: TableReader) -> BinanceTestnetConfig:
    """[exchange.binance_testnet] -> BinanceTestnetConfig (env var names only, never values)."""
    d = BinanceTestnetConfig()
    base_url = r.string("base_url", d.base_url)
    if not base_url.startswith(("https://", "http://")):
        raise r.error("base_url", "must start with https:// (or http:// for a loopback server)")

    def env(key: str, default: str) -> str:
        return r.string(key, default, pattern=ENV_VAR_NAME, hint=_ENV_HINT)

    config = BinanceTestnetConfig(
        enabled=r.boolean("enabled", d.enabled),
        base_url=base_url.rstrip("/"),
        api_key_env_var=env("api_key_env_var", d.api_key_env_var),
        api_secret_env_var=env("api_secret_env_var", d.api_secret_env_var),
        key_type=r.choice("key_type", d.key_type, BinanceKeyType, _KEY_TYPES),
        private_key_path_env_var=env("private_key_path_env_var", d.private_key_path_env_var),
        validate_only=r.boolean("validate_only", d.validate_only),
        timeout_seconds=float(
            r.decimal("timeout_seconds", Decimal(str(d.timeout_seconds)), above=Decimal(0))
        ),
        max_retries=r.integer("max_retries", d.max_retries, minimum=0, maximum=10),
        recv_window_ms=r.integer(
            "recv_window_ms", d.recv_window_ms, minimum=1, maximum=MAX_RECV_WINDOW_MS
        ),
    )
    r.finish()
    return config


def _build(build: VenueBuild) -> ExchangePort:
    from peak_trade.adapters.binance.client import BinanceTestnetClient

    client: ExchangePort = BinanceTestnetClient(build.settings, build.clock, environ=build.environ)
    return client


BINANCE_TESTNET = VenueSpec(
    name="binance_testnet",
    description="Binance Spot Testnet: a real matching engine with virtual funds; orders "
    "execute and real (testnet) fills are booked",
    read_settings=read_binance,
    venue=binance_venue,
    credential_vars=credential_env_vars,
    credentials_help=(
        "a Spot Testnet key (https://testnet.binance.vision, log in with GitHub, "
        "'Generate HMAC_SHA256 Key'); production keys do not work there"
    ),
    timeframes=lambda _settings: TIMEFRAMES,
    build=_build,
)
