"""Kraken Spot (validate-only on api.kraken.com): the registry entry and its config section."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from peak_trade.adapters.kraken.config import KrakenTestnetConfig, KrakenTier
from peak_trade.adapters.kraken.intervals import OHLC_TIMEFRAMES
from peak_trade.adapters.kraken.venue import kraken_venue
from peak_trade.app.config.reader import ENV_VAR_NAME, TableReader
from peak_trade.app.venues import VenueBuild, VenueSpec
from peak_trade.ports.exchange import ExchangePort

_ENV_HINT = "an environment variable name such as KRAKEN_TESTNET_API_KEY"
_TIERS = tuple(tier.value for tier in KrakenTier)


def read_kraken(r: TableReader) -> KrakenTestnetConfig:
    """[exchange.kraken_testnet] -> KrakenTestnetConfig (env var names only, never values)."""
    d = KrakenTestnetConfig()
    base_url = r.string("base_url", d.base_url)
    if not base_url.startswith(("https://", "http://")):
        raise r.error("base_url", "must start with https:// (or http:// for a loopback server)")
    config = KrakenTestnetConfig(
        enabled=r.boolean("enabled", d.enabled),
        base_url=base_url.rstrip("/"),
        api_key_env_var=r.string(
            "api_key_env_var", d.api_key_env_var, pattern=ENV_VAR_NAME, hint=_ENV_HINT
        ),
        api_secret_env_var=r.string(
            "api_secret_env_var", d.api_secret_env_var, pattern=ENV_VAR_NAME, hint=_ENV_HINT
        ),
        validate_only=r.boolean("validate_only", d.validate_only),
        timeout_seconds=float(
            r.decimal("timeout_seconds", Decimal(str(d.timeout_seconds)), above=Decimal(0))
        ),
        max_retries=r.integer("max_retries", d.max_retries, minimum=0, maximum=10),
        rate_limit_ms=r.integer("rate_limit_ms", d.rate_limit_ms, minimum=0),
        tier=r.choice("tier", d.tier, KrakenTier, _TIERS),
        state_dir=Path(r.string("state_dir", str(d.state_dir))),
    )
    r.finish()
    return config


def _credential_vars(settings: KrakenTestnetConfig) -> tuple[str, ...]:
    return (settings.api_key_env_var, settings.api_secret_env_var)


def _build(build: VenueBuild) -> ExchangePort:
    from peak_trade.adapters.kraken.client import KrakenTestnetClient

    client: ExchangePort = KrakenTestnetClient(build.settings, build.clock, environ=build.environ)
    return client


KRAKEN_TESTNET = VenueSpec(
    name="kraken_testnet",
    description="Kraken Spot: real market data, orders validated by Kraken (validate=true), "
    "fills simulated in a local paper ledger",
    read_settings=read_kraken,
    venue=kraken_venue,
    credential_vars=_credential_vars,
    credentials_help="a Kraken API key with the 'Create & Modify Orders' permission",
    timeframes=lambda _settings: OHLC_TIMEFRAMES,
    build=_build,
)
