"""ExchangePort: the one interface the application uses to talk to any venue."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

from peak_trade.domain.environment import Venue
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import CandleBatch, Ticker
from peak_trade.domain.orders import Fill, OrderAck, OrderRequest, OrderState
from peak_trade.domain.symbols import Symbol, Timeframe


@runtime_checkable
class ExchangePort(Protocol):
    """A venue, spoken to in domain types only (never dicts, responses or venue strings).

    Contract:
    - `instrument` raises UnknownSymbolError for a symbol the venue does not list.
    - `candles` returns closed candles with open_time strictly after `since` (all available when
      None), oldest first, and the still-forming candle separately (never among `closed`); a
      timeframe the venue cannot serve raises UnsupportedTimeframeError.
    - `submit_order` returns an OrderAck: VALIDATED on validate-only venues, ACCEPTED with the
      venue order id, REJECTED with a reason code for business rejections, or UNKNOWN when the
      request may have reached the venue but the outcome is not known. It never resends an order
      whose outcome is unknown; `find_order(symbol, client_order_id)` resolves it.
    - Order calls name the symbol with the id: some venues (Binance) need it for every order
      call and number orders per symbol. `order_status`, `fills` and `cancel_order` raise
      OrderNotFoundError for an id the venue does not know for that symbol.
    - `timeframes` lists the candle timeframes `candles` serves; any other raises
      UnsupportedTimeframeError (timeframes themselves are venue-neutral lengths).
    - Failures raise the errors in peak_trade.ports.errors; nothing else crosses the port.
    - `close` releases the adapter's resources; the session's owner calls it once at the end.
    """

    @property
    def venue(self) -> Venue: ...

    @property
    def timeframes(self) -> tuple[Timeframe, ...]: ...

    def instrument(self, symbol: Symbol) -> InstrumentRules: ...

    def candles(
        self, symbol: Symbol, timeframe: Timeframe, since: datetime | None = None
    ) -> CandleBatch: ...

    def ticker(self, symbol: Symbol) -> Ticker: ...

    def submit_order(self, order: OrderRequest) -> OrderAck: ...

    def order_status(self, symbol: Symbol, order_id: str) -> OrderState: ...

    def find_order(self, symbol: Symbol, client_order_id: str) -> OrderState | None: ...

    def fills(self, symbol: Symbol, order_id: str) -> tuple[Fill, ...]: ...

    def cancel_order(self, symbol: Symbol, order_id: str) -> OrderState: ...

    def balances(self) -> Mapping[str, Decimal]: ...

    def close(self) -> None:
        """Release what the adapter holds (HTTP connections, nonce files); idempotent."""


@runtime_checkable
class UnknownOutcomeHorizon(Protocol):
    """Optional beside ExchangePort: a venue that documents how long after an UNKNOWN submit an
    order can still appear. Past `unknown_outcome_horizon_seconds` (counted from the moment
    submit_order returned), a `find_order` that answers None is conclusive: never placed.
    Venues without such a bound do not implement it; the session then looks up for its
    configured resolution window."""

    @property
    def unknown_outcome_horizon_seconds(self) -> float: ...
