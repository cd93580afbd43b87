"""Which Kraken endpoints are production: every host except loopback and known sandboxes."""

from __future__ import annotations

from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.adapters.venue_http.venues import venue_for
from peak_trade.domain.environment import Venue

VENUE_NAME = "kraken"

# Kraken Spot has no public sandbox (its Futures demo was retired in July 2026), so this is empty:
# only loopback servers (tests, benchmarks) count as sandboxes.
SANDBOX_HOSTS: frozenset[str] = frozenset()


def kraken_venue(config: KrakenTestnetConfig) -> Venue:
    """The Venue for config.base_url: production unless loopback or a known sandbox host."""
    return venue_for(
        VENUE_NAME, config.base_url, validate_only=config.validate_only, sandbox_hosts=SANDBOX_HOSTS
    )
