"""Binance Spot REST adapter: BinanceTestnetClient implements the ExchangePort.

On the Spot Testnet (`testnet.binance.vision`) real orders execute with virtual funds. The
public names are imported from their modules below, once (`X as X` marks the re-export). None
of these modules imports httpx (loaded on the first request) or cryptography (loaded only to
read an Ed25519 key), so building a client for a dry run stays cheap.
"""

from __future__ import annotations

from peak_trade.adapters.binance.client import BinanceTestnetClient as BinanceTestnetClient
from peak_trade.adapters.binance.config import BinanceKeyType as BinanceKeyType
from peak_trade.adapters.binance.config import BinanceTestnetConfig as BinanceTestnetConfig
from peak_trade.adapters.binance.credentials import BinanceCredentials as BinanceCredentials
from peak_trade.adapters.binance.credentials import (
    credential_env_vars as credential_env_vars,
)
from peak_trade.adapters.binance.errors import BinanceAuthError as BinanceAuthError
from peak_trade.adapters.binance.errors import BinanceCredentialsError as BinanceCredentialsError
from peak_trade.adapters.binance.errors import (
    BinanceOrderNotFoundError as BinanceOrderNotFoundError,
)
from peak_trade.adapters.binance.errors import BinanceRateLimitError as BinanceRateLimitError
from peak_trade.adapters.binance.errors import BinanceUnavailableError as BinanceUnavailableError
from peak_trade.adapters.binance.fees import FeeConversion as FeeConversion
from peak_trade.adapters.binance.intervals import TIMEFRAMES as TIMEFRAMES
from peak_trade.adapters.binance.market_data import AssetBalance as AssetBalance
from peak_trade.adapters.binance.venue import binance_venue as binance_venue
