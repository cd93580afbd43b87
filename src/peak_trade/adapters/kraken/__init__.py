"""Kraken Spot REST adapter: KrakenTestnetClient implements the ExchangePort.

The names below load on first use (PEP 562 module `__getattr__`), so importing a light
submodule such as `peak_trade.adapters.kraken.config` or `.venue` does not load the client, its
mapping and errors, or httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peak_trade.adapters.kraken.client import KrakenTestnetClient
    from peak_trade.adapters.kraken.config import KrakenTestnetConfig, KrakenTier
    from peak_trade.adapters.kraken.credentials import KrakenCredentials
    from peak_trade.adapters.kraken.errors import (
        ExchangeAPIError,
        KrakenAuthError,
        KrakenCredentialsError,
        KrakenNonceError,
        KrakenOrderNotFoundError,
        KrakenOrderRejectedError,
        KrakenProtocolError,
        KrakenRateLimitError,
        KrakenUnavailableError,
        KrakenUnknownSymbolError,
    )
    from peak_trade.adapters.kraken.order_mapping import KrakenOrderResponse, KrakenOrderStatus

_HOMES = {
    "ExchangeAPIError": "errors",
    "KrakenAuthError": "errors",
    "KrakenCredentials": "credentials",
    "KrakenCredentialsError": "errors",
    "KrakenNonceError": "errors",
    "KrakenOrderNotFoundError": "errors",
    "KrakenOrderRejectedError": "errors",
    "KrakenOrderResponse": "order_mapping",
    "KrakenOrderStatus": "order_mapping",
    "KrakenProtocolError": "errors",
    "KrakenRateLimitError": "errors",
    "KrakenTestnetClient": "client",
    "KrakenTestnetConfig": "config",
    "KrakenTier": "config",
    "KrakenUnavailableError": "errors",
    "KrakenUnknownSymbolError": "errors",
}

__all__ = [
    "ExchangeAPIError",
    "KrakenAuthError",
    "KrakenCredentials",
    "KrakenCredentialsError",
    "KrakenNonceError",
    "KrakenOrderNotFoundError",
    "KrakenOrderRejectedError",
    "KrakenOrderResponse",
    "KrakenOrderStatus",
    "KrakenProtocolError",
    "KrakenRateLimitError",
    "KrakenTestnetClient",
    "KrakenTestnetConfig",
    "KrakenTier",
    "KrakenUnavailableError",
    "KrakenUnknownSymbolError",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines `name` on first access."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
