"""BinanceTestnetClient: Binance Spot REST behind the ExchangePort; executes only on sandboxes.

On the Spot Testnet (and Demo Mode, and loopback) orders really execute with virtual funds:
fills, partial fills, cancels and unknown outcomes are the venue's. On any production host the
client runs only with `validate_only = true` (orders go to /api/v3/order/test and come back
VALIDATED); the transport refuses executing requests to production on its own as well.

Extras beyond the port, for the application: `klines_range` / `iter_klines` (long candle
histories for `data fetch`, public and safe on production), `balance_details` (free and
locked), `open_orders`, `fee_conversions` (commissions paid in a third asset such as BNB and
how they were booked), `unknown_outcome_horizon_seconds`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING

from peak_trade.adapters.binance.config import BinanceTestnetConfig
from peak_trade.adapters.binance.credentials import BinanceCredentials, credentials_from_env
from peak_trade.adapters.binance.exchange_info import parse_exchange_info
from peak_trade.adapters.binance.fees import FeeBook, FeeConversion
from peak_trade.adapters.binance.intervals import TIMEFRAMES
from peak_trade.adapters.binance.klines import KlineReader, interval_of
from peak_trade.adapters.binance.market_data import (
    AssetBalance,
    last_price,
    parse_account,
    parse_ticker,
)
from peak_trade.adapters.binance.order_queries import BinanceOrderQueries
from peak_trade.adapters.binance.orders import BinanceOrderDesk
from peak_trade.adapters.binance.symbols import BinanceMarket, BinanceSymbolMap
from peak_trade.adapters.binance.transport import BinanceTransport, Request
from peak_trade.adapters.binance.venue import binance_venue
from peak_trade.adapters.venue_http.redaction import install_redaction
from peak_trade.adapters.venue_http.ticker_cache import TICKER_MAX_AGE_SECONDS, TickerCache
from peak_trade.domain.environment import Venue, require_safe_venue
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle, CandleBatch, Ticker
from peak_trade.domain.orders import Fill, OrderAck, OrderRequest, OrderState
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import UnknownSymbolError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

MARKET_RETRY_SECONDS = 60.0  # minimum gap between exchangeInfo reloads for unknown symbols
EXCHANGE_INFO_WEIGHT = 20
ACCOUNT_WEIGHT = 20
# Database lag after recvWindow: how much longer an order may take to show in GET /order.
VISIBILITY_MARGIN_SECONDS = 5.0


class BinanceTestnetClient:
    """Binance Spot REST as an ExchangePort; refuses to execute on production at construction."""

    def __init__(
        self,
        config: BinanceTestnetConfig,
        clock: ClockPort,
        *,
        http: httpx.Client | None = None,
        credentials: BinanceCredentials | None = None,
        environ: Mapping[str, str] | None = None,
        ticker_max_age_seconds: float = TICKER_MAX_AGE_SECONDS,
    ) -> None:
        self._config = config
        self._clock = clock
        self._venue = binance_venue(config)
        require_safe_venue(self._venue)
        missing = None
        if credentials is None:
            credentials, missing = credentials_from_env(
                config, environ if environ is not None else os.environ
            )
        if credentials is not None:
            install_redaction(*credentials.secrets)
        self.transport = BinanceTransport(
            config, clock, http, credentials, missing_credentials=missing
        )
        self._tickers = TickerCache(clock, ticker_max_age_seconds)
        self._symbols: BinanceSymbolMap | None = None
        self._markets_loaded_at: float | None = None
        self._klines = KlineReader(self.transport)
        self._fees = FeeBook(self._last_price)
        self._queries = BinanceOrderQueries(
            self.transport, clock, markets=self.markets, fees=self._fees
        )
        self._orders = BinanceOrderDesk(
            self.transport,
            self._queries,
            validate_only=config.validate_only,
            markets=self.markets,
            ticker=self._market_ticker,
        )

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> BinanceTestnetClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BinanceTestnetClient(venue={self._venue!r})"

    # -- symbols -----------------------------------------------------------------------------
    def markets(self) -> BinanceSymbolMap:
        """The symbol map from exchangeInfo, loaded on first use."""
        if self._symbols is None:
            self.refresh_markets()
        assert self._symbols is not None
        return self._symbols

    def refresh_markets(self) -> BinanceSymbolMap:
        """Reload exchangeInfo (weight 20; at start-up and when a symbol is missing)."""
        request = Request(method="GET", path="/api/v3/exchangeInfo", weight=EXCHANGE_INFO_WEIGHT)
        symbols = parse_exchange_info(self.transport.call(request))
        if symbols.weight_limit is not None:
            self.transport.weights.set_limit(symbols.weight_limit)
        self._symbols = symbols
        self._markets_loaded_at = self._clock.monotonic()
        return symbols

    def _market(self, symbol: Symbol) -> BinanceMarket:
        try:
            return self.markets().market(symbol)
        except UnknownSymbolError:
            loaded = self._markets_loaded_at
            if loaded is not None and self._clock.monotonic() - loaded < MARKET_RETRY_SECONDS:
                raise
            return self.refresh_markets().market(symbol)  # a new listing since the last load

    # -- ExchangePort ------------------------------------------------------------------------
    @property
    def venue(self) -> Venue:
        return self._venue

    @property
    def timeframes(self) -> tuple[Timeframe, ...]:
        return TIMEFRAMES

    def instrument(self, symbol: Symbol) -> InstrumentRules:
        rules = self._market(symbol).rules
        assert rules is not None
        return rules

    def ticker(self, symbol: Symbol) -> Ticker:
        return self._market_ticker(self._market(symbol))

    def _market_ticker(self, market: BinanceMarket) -> Ticker:
        """The cached ticker while fresh, else bookTicker + ticker/price (weight 2 + 2)."""
        cached = self._tickers.get(market.name)
        if cached is not None:
            return cached
        params = (("symbol", market.name),)
        book = self.transport.call(
            Request(method="GET", path="/api/v3/ticker/bookTicker", params=params, weight=2)
        )
        price = self.transport.call(
            Request(method="GET", path="/api/v3/ticker/price", params=params, weight=2)
        )
        assert market.symbol is not None
        ticker = parse_ticker(book, price, market.symbol, self._clock.now())
        self._tickers.put(market.name, ticker)
        return ticker

    def _last_price(self, market: BinanceMarket) -> Decimal:
        """Last trade price of any market (fee conversion; markets without a canonical symbol
        included)."""
        params = (("symbol", market.name),)
        return last_price(
            self.transport.call(
                Request(method="GET", path="/api/v3/ticker/price", params=params, weight=2)
            )
        )

    def candles(
        self, symbol: Symbol, timeframe: Timeframe, since: datetime | None = None
    ) -> CandleBatch:
        """Closed candles after `since` (paging past 1000-row answers) plus the forming one."""
        interval_of(timeframe)  # an unserved timeframe fails before any request
        market = self._market(symbol)
        if since is None:
            return self._klines.latest(market, symbol, timeframe)
        return self._klines.since(market, symbol, timeframe, since)

    def submit_order(self, order: OrderRequest) -> OrderAck:
        return self._orders.submit(order)

    def order_status(self, symbol: Symbol, order_id: str) -> OrderState:
        return self._queries.status(self._market(symbol), order_id)

    def find_order(self, symbol: Symbol, client_order_id: str) -> OrderState | None:
        return self._queries.find(self._market(symbol), client_order_id)

    def fills(self, symbol: Symbol, order_id: str) -> tuple[Fill, ...]:
        return self._queries.fills(self._market(symbol), order_id)

    def cancel_order(self, symbol: Symbol, order_id: str) -> OrderState:
        return self._queries.cancel(self._market(symbol), order_id)

    def balances(self) -> Mapping[str, Decimal]:
        """Total (free + locked) per asset, non-zero balances only."""
        return {asset: b.total for asset, b in self.balance_details().items()}

    # -- extras (not part of the port) --------------------------------------------------------
    def balance_details(self) -> Mapping[str, AssetBalance]:
        """Free and locked (held by open orders) per asset; GET /api/v3/account (weight 20)."""
        request = Request(
            method="GET",
            path="/api/v3/account",
            params=(("omitZeroBalances", "true"),),
            signed=True,
            weight=ACCOUNT_WEIGHT,
        )
        return parse_account(self.transport.call(request))

    def open_orders(self, symbol: Symbol) -> tuple[OrderState, ...]:
        """Open orders of this account on one market."""
        return self._queries.open_orders(self._market(symbol))

    def fee_conversions(self, symbol: Symbol, order_id: str) -> tuple[FeeConversion, ...]:
        """How third-asset commissions (BNB) of this order's fills were booked, once read by
        `fills` or `order_status` (empty when every fee was in base or quote)."""
        return self._fees.conversions(symbol, order_id)

    def klines_range(
        self, symbol: Symbol, timeframe: Timeframe, start: datetime, end: datetime | None = None
    ) -> tuple[Candle, ...]:
        """Closed candles with start <= open time < end (None: up to now), oldest first."""
        return tuple(c for page in self.iter_klines(symbol, timeframe, start, end) for c in page)

    def iter_klines(
        self, symbol: Symbol, timeframe: Timeframe, start: datetime, end: datetime | None = None
    ) -> Iterator[tuple[Candle, ...]]:
        """`klines_range` a page (<= 1000 candles) at a time, for streaming to a file; the
        weight budget paces long histories (2 per page)."""
        interval_of(timeframe)
        return self._klines.closed_pages(self._market(symbol), symbol, timeframe, start, end)

    @property
    def unknown_outcome_horizon_seconds(self) -> float:
        """After an UNKNOWN submit, Binance forwards the order to its matching engine only
        within recvWindow of the request's timestamp; past that (plus database lag) a
        find_order that answers None is conclusive: the order was never placed."""
        return self._config.recv_window_ms / 1000 + VISIBILITY_MARGIN_SECONDS
