"""KrakenTestnetClient: Kraken Spot REST behind the ExchangePort (validate-only on production).

`ticker()` answers from a short-lived cache (venue_http/ticker_cache.py): a ticker at most
`ticker_max_age_seconds` old on the adapter's clock is reused, so the executor's reference price
and the adapter's own minimum-cost check share one Ticker request per order, and orders placed
back to back within that age share one too. Older prices are never used. The default age,
TICKER_MAX_AGE_SECONDS = 1 s, is Kraken's public request pace (about one call per second), so a
fresher price could rarely have been fetched anyway; 0 disables the cache.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING

from peak_trade.adapters.kraken.config import KrakenTestnetConfig
from peak_trade.adapters.kraken.credentials import KrakenCredentials
from peak_trade.adapters.kraken.errors import KrakenCredentialsError
from peak_trade.adapters.kraken.intervals import OHLC_TIMEFRAMES
from peak_trade.adapters.kraken.mapping import (
    instrument_rules,
    parse_asset_pairs,
    parse_balances,
    parse_ohlc,
    parse_system_status,
    parse_ticker,
)
from peak_trade.adapters.kraken.orders import KrakenOrderDesk
from peak_trade.adapters.kraken.snapshot import bundled_markets
from peak_trade.adapters.kraken.symbols import KrakenMarket, KrakenSymbolMap
from peak_trade.adapters.kraken.transport import Call, KrakenTransport
from peak_trade.adapters.kraken.venue import kraken_venue
from peak_trade.adapters.venue_http.redaction import install_redaction
from peak_trade.adapters.venue_http.ticker_cache import TICKER_MAX_AGE_SECONDS, TickerCache
from peak_trade.domain.environment import Venue, require_safe_venue
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle, CandleBatch, Ticker
from peak_trade.domain.orders import Fill, OrderAck, OrderRequest, OrderState
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import (
    ExchangeProtocolError,
    ExchangeUnavailableError,
    RateLimitedError,
    UnsupportedTimeframeError,
)

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

OHLC_MAX_ROWS = 720  # Kraken returns at most 720 rows per OHLC call
OHLC_MAX_PAGES = 10
MARKET_RETRY_SECONDS = 60.0  # minimum gap between AssetPairs refreshes for unknown symbols


class KrakenTestnetClient:
    """Kraken Spot REST as an ExchangePort; refuses to execute on production at construction."""

    def __init__(
        self,
        config: KrakenTestnetConfig,
        clock: ClockPort,
        *,
        http: httpx.Client | None = None,
        credentials: KrakenCredentials | None = None,
        environ: Mapping[str, str] | None = None,
        ticker_max_age_seconds: float = TICKER_MAX_AGE_SECONDS,
    ) -> None:
        self._config = config
        self._clock = clock
        self._venue = kraken_venue(config)
        require_safe_venue(self._venue)
        missing: KrakenCredentialsError | None = None
        if credentials is None:
            credentials, missing = _credentials_from_env(
                config, environ if environ is not None else os.environ
            )
        if credentials is not None:
            install_redaction(credentials.api_key)
        # The pooled httpx.Client is built on the first request (none for a dry run); an
        # injected one stays the caller's to close.
        self.transport = KrakenTransport(
            config, clock, http, credentials, missing_credentials=missing
        )
        self._tickers = TickerCache(clock, ticker_max_age_seconds)
        self._symbols: KrakenSymbolMap | None = None
        self._markets_checked_at: float | None = None
        self._orders = KrakenOrderDesk(
            self.transport,
            clock,
            validate_only=config.validate_only,
            markets=self.markets,
            ticker=self._market_ticker,
        )

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> KrakenTestnetClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KrakenTestnetClient(venue={self._venue!r})"

    # -- symbols -----------------------------------------------------------------------------
    def markets(self) -> KrakenSymbolMap:
        """The symbol map: AssetPairs from the API when reachable, else the bundled snapshot.

        While on the snapshot, AssetPairs is tried again at most every MARKET_RETRY_SECONDS.
        """
        if self._symbols is None or (
            self._symbols.source == "snapshot" and self._may_retry_markets()
        ):
            try:
                self.refresh_markets()
            except (ExchangeUnavailableError, ExchangeProtocolError, RateLimitedError) as exc:
                if self._symbols is None:
                    log.warning("AssetPairs unavailable (%s); using the bundled snapshot", exc)
                    self._symbols = KrakenSymbolMap(bundled_markets(), source="snapshot")
                self._markets_checked_at = self._clock.monotonic()
        assert self._symbols is not None
        return self._symbols

    def refresh_markets(self) -> KrakenSymbolMap:
        """Reload AssetPairs from the API (one attempt, no retries)."""
        result = self.transport.call(Call(endpoint="AssetPairs", retries=0))
        self._symbols = KrakenSymbolMap(parse_asset_pairs(result), source="api")
        self._markets_checked_at = self._clock.monotonic()
        return self._symbols

    def _market(self, symbol: Symbol) -> KrakenMarket:
        return self.markets().market(symbol)

    def _may_retry_markets(self) -> bool:
        last = self._markets_checked_at
        return last is None or self._clock.monotonic() - last >= MARKET_RETRY_SECONDS

    # -- ExchangePort ------------------------------------------------------------------------
    @property
    def venue(self) -> Venue:
        return self._venue

    @property
    def timeframes(self) -> tuple[Timeframe, ...]:
        return OHLC_TIMEFRAMES

    def instrument(self, symbol: Symbol) -> InstrumentRules:
        return instrument_rules(self._market(symbol))

    def ticker(self, symbol: Symbol) -> Ticker:
        return self._market_ticker(self._market(symbol))

    def _market_ticker(self, market: KrakenMarket) -> Ticker:
        """The cached ticker while it is fresh enough, else one Ticker request."""
        cached = self._tickers.get(market.pair_id)
        if cached is not None:
            return cached
        result = self.transport.call(Call(endpoint="Ticker", params={"pair": market.pair_id}))
        ticker = parse_ticker(result, market, self._clock.now())
        self._tickers.put(market.pair_id, ticker)
        return ticker

    def candles(
        self, symbol: Symbol, timeframe: Timeframe, since: datetime | None = None
    ) -> CandleBatch:
        """Closed candles after `since` (paging past 720-row answers) plus the forming one."""
        if timeframe not in OHLC_TIMEFRAMES:
            served = ", ".join(tf.label for tf in OHLC_TIMEFRAMES)
            raise UnsupportedTimeframeError(
                f"Kraken OHLC serves {served}; {timeframe.label} is not one of them"
            )
        market = self._market(symbol)
        closed: dict[datetime, Candle] = {}
        forming: Candle | None = None
        cursor = int(since.timestamp()) if since is not None else None
        for _ in range(OHLC_MAX_PAGES):
            params = {"pair": market.pair_id, "interval": str(timeframe.minutes)}
            if cursor is not None:
                params["since"] = str(cursor)
            rows, forming, last = parse_ohlc(
                self.transport.call(Call(endpoint="OHLC", params=params)), market
            )
            closed.update((c.open_time, c) for c in rows)
            full = len(rows) + 1 >= OHLC_MAX_ROWS
            if not full or last is None or (cursor is not None and last <= cursor):
                break
            cursor = last
        if forming is not None:
            closed = {t: c for t, c in closed.items() if t < forming.open_time}
        wanted = sorted(
            (c for t, c in closed.items() if since is None or t > since), key=lambda c: c.open_time
        )
        return CandleBatch(closed=tuple(wanted), forming=forming)

    def submit_order(self, order: OrderRequest) -> OrderAck:
        return self._orders.submit(order)

    # Kraken order ids (txid) are unique across pairs: the symbol only has to be listed.
    def order_status(self, symbol: Symbol, order_id: str) -> OrderState:
        self._market(symbol)
        return self._orders.status(order_id)

    def find_order(self, symbol: Symbol, client_order_id: str) -> OrderState | None:
        self._market(symbol)
        return self._orders.find(client_order_id)

    def fills(self, symbol: Symbol, order_id: str) -> tuple[Fill, ...]:
        self._market(symbol)
        return self._orders.fills(order_id)

    def cancel_order(self, symbol: Symbol, order_id: str) -> OrderState:
        self._market(symbol)
        return self._orders.cancel(order_id)

    def balances(self) -> Mapping[str, Decimal]:
        result = self.transport.call(Call(endpoint="Balance", private=True))
        return parse_balances(result, self.markets().asset_code)

    # -- extras (not part of the port) --------------------------------------------------------
    def system_status(self) -> str:
        return parse_system_status(self.transport.call(Call(endpoint="SystemStatus")))


def _credentials_from_env(
    config: KrakenTestnetConfig, environ: Mapping[str, str]
) -> tuple[KrakenCredentials | None, KrakenCredentialsError | None]:
    """Credentials when both variables are set; none set = public-only (error kept for later).

    A half-set or malformed pair fails at construction: that is a configuration mistake.
    """
    key_set = bool(environ.get(config.api_key_env_var, "").strip())
    secret_set = bool(environ.get(config.api_secret_env_var, "").strip())
    if not key_set and not secret_set:
        return None, KrakenCredentialsError(
            f"Kraken private endpoints need credentials: set {config.api_key_env_var} and "
            f"{config.api_secret_env_var}"
        )
    return KrakenCredentials.from_env(config, environ), None
