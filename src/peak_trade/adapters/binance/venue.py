"""Binance venue policy: which hosts are sandboxes, and which requests could execute.

Sandboxes (orders may execute, with virtual funds): the Spot Testnet (`testnet.binance.vision`,
`api1.testnet.binance.vision`), Demo Mode (`demo-api.binance.com`) and loopback servers. Every
other host - api.binance.com, api1-4, api-gcp, data-api.binance.vision, anything unknown - is
production: it may read and validate (`POST /api/v3/order/test`), never execute.
"""

from __future__ import annotations

from peak_trade.adapters.binance.config import BinanceTestnetConfig
from peak_trade.adapters.venue_http.venues import venue_for
from peak_trade.domain.environment import Venue

VENUE_NAME = "binance"
# Production's public market data (klines for `data fetch`): read-only, no key, never an order.
MARKET_DATA_URL = "https://api.binance.com"

SANDBOX_HOSTS = frozenset(
    {"testnet.binance.vision", "api1.testnet.binance.vision", "demo-api.binance.com"}
)
# The only non-GET requests a production host may receive: validation without execution.
VALIDATE_ONLY_PATHS = frozenset({"/api/v3/order/test", "/api/v3/sor/order/test"})


def binance_venue(config: BinanceTestnetConfig) -> Venue:
    """The Venue for config.base_url (no network, no credentials): the early safety check."""
    return venue_for(
        VENUE_NAME, config.base_url, validate_only=config.validate_only, sandbox_hosts=SANDBOX_HOSTS
    )


def could_execute(method: str, path: str) -> bool:
    """Whether a request may change orders on the venue: everything but reads and test orders.

    An allow-list on purpose: a new trading endpoint (order lists, amend, SOR, cancel-replace)
    counts as executing without anyone having to remember to add it.
    """
    return method.upper() != "GET" and path not in VALIDATE_ONLY_PATHS
