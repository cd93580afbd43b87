"""Which Kraken endpoints are production: every host except loopback and known sandboxes."""

from __future__ import annotations

from urllib.parse import urlsplit

from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.domain.environment import Venue, is_loopback_host

VENUE_NAME = "kraken"

# Kraken Spot has no public sandbox (its Futures demo was retired in July 2026), so this is empty:
# only loopback servers (tests, benchmarks) count as sandboxes.
SANDBOX_HOSTS: frozenset[str] = frozenset()


def host_of(base_url: str) -> str:
    """The host name of a base URL, lower-cased."""
    return (urlsplit(base_url).hostname or "").lower()


def kraken_venue(config: KrakenTestnetConfig) -> Venue:
    """The Venue for config.base_url: production unless loopback or a known sandbox host."""
    host = host_of(config.base_url)
    sandbox = is_loopback_host(host) or host in SANDBOX_HOSTS
    return Venue(
        name=VENUE_NAME, production=not sandbox, validate_only=config.validate_only, host=host
    )
