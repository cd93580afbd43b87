"""Kraken Spot REST adapter: KrakenTestnetClient implements the ExchangePort."""

from __future__ import annotations

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
