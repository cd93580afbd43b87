"""Kraken Spot REST adapter: KrakenTestnetClient implements the ExchangePort.

The public names are imported from their modules below, once (`X as X` marks the re-export):
there is no second list to keep in step. None of these modules imports httpx; the HTTP stack is
loaded when the client sends its first request, so building a client (e.g. for
`peak-trade session --dry-run`) stays cheap.
"""

from __future__ import annotations

from peak_trade.adapters.kraken.client import KrakenTestnetClient as KrakenTestnetClient
from peak_trade.adapters.kraken.config import KrakenTestnetConfig as KrakenTestnetConfig
from peak_trade.adapters.kraken.config import KrakenTier as KrakenTier
from peak_trade.adapters.kraken.credentials import KrakenCredentials as KrakenCredentials
from peak_trade.adapters.kraken.errors import KrakenAuthError as KrakenAuthError
from peak_trade.adapters.kraken.errors import KrakenCredentialsError as KrakenCredentialsError
from peak_trade.adapters.kraken.errors import KrakenNonceError as KrakenNonceError
from peak_trade.adapters.kraken.errors import KrakenOrderNotFoundError as KrakenOrderNotFoundError
from peak_trade.adapters.kraken.errors import KrakenOrderRejectedError as KrakenOrderRejectedError
from peak_trade.adapters.kraken.errors import KrakenRateLimitError as KrakenRateLimitError
from peak_trade.adapters.kraken.errors import KrakenUnavailableError as KrakenUnavailableError
from peak_trade.adapters.kraken.errors import KrakenUnknownSymbolError as KrakenUnknownSymbolError
from peak_trade.adapters.kraken.venue import kraken_venue as kraken_venue
