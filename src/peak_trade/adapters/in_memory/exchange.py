"""InMemoryExchange: a deterministic ExchangePort over replayed candles and a ClockPort."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from peak_trade.domain.environment import Venue
from peak_trade.domain.instruments import InstrumentRules
from peak_trade.domain.market import Candle, CandleBatch, Ticker
from peak_trade.domain.orders import (
    AckStatus,
    Fill,
    OrderAck,
    OrderRequest,
    OrderState,
    OrderType,
    RejectReason,
)
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.clock import ClockPort
from peak_trade.ports.errors import (
    ExchangeUnavailableError,
    UnknownSymbolError,
    UnsupportedTimeframeError,
)

from .candle_feed import CandleFeed
from .config import InMemoryExchangeConfig, in_memory_venue
from .matching import MatchingEngine

# What `candles` serves besides the replay's own timeframe: the common multiples of it.
SERVED_TIMEFRAMES = tuple(
    Timeframe.parse(label)
    for label in ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d", "1w")
)


class InMemoryExchange:
    """A sandbox venue that replays candles for one symbol; every call first catches up to
    `clock.now()`, so the same clock and candles always give the same answers.

    The ticker (bid = ask = last) is the open of the forming candle, or the last close between
    candles. Orders are checked against the configured InstrumentRules like a venue would;
    validate-only mode answers VALIDATED and stores nothing (like Kraken's `validate=true`); it
    neither checks nor moves balances, since the session's paper ledger holds the money then.
    """

    def __init__(
        self,
        config: InMemoryExchangeConfig,
        clock: ClockPort,
        candles: Iterable[Candle],
        *,
        symbol: Symbol,
        timeframe: Timeframe,
    ) -> None:
        self._config = config
        self._clock = clock
        self._symbol = symbol
        self._timeframe = timeframe
        self._rules = InstrumentRules(
            symbol=symbol,
            venue_symbol=f"{symbol.base}{symbol.quote}",
            price_tick=config.price_tick,
            lot_step=config.lot_step,
            min_quantity=config.min_quantity,
            min_cost=config.min_cost,
        )
        self._venue = in_memory_venue(config)
        self._feed = CandleFeed(candles, symbol=symbol, timeframe=timeframe)
        self._engine = MatchingEngine(config, self._rules)
        self._now: datetime | None = None

    @property
    def venue(self) -> Venue:
        return self._venue

    @property
    def symbol(self) -> Symbol:
        return self._symbol

    @property
    def timeframe(self) -> Timeframe:
        return self._timeframe

    @property
    def exhausted(self) -> bool:
        """True once the replay has no more candles: every candle has closed."""
        self._sync()
        return self._feed.exhausted

    def instrument(self, symbol: Symbol) -> InstrumentRules:
        self._require_listed(symbol)
        return self._rules

    def candles(
        self, symbol: Symbol, timeframe: Timeframe, since: datetime | None = None
    ) -> CandleBatch:
        """Closed candles strictly after `since` (at most 720) plus the forming one.

        Another timeframe than the replay's is aggregated when `timeframes` lists it; anything
        else raises UnsupportedTimeframeError.
        """
        self._require_listed(symbol)
        if timeframe not in self.timeframes:
            served = ", ".join(tf.label for tf in self.timeframes)
            raise UnsupportedTimeframeError(
                f"the in-memory venue replays {self._timeframe.label} candles and serves "
                f"{served}; {timeframe.label} is not one of them"
            )
        now = self._sync()
        return self._feed.batch(timeframe, since, now)

    def ticker(self, symbol: Symbol) -> Ticker:
        self._require_listed(symbol)
        now = self._sync()
        price = self._price()
        if price is None:
            raise ExchangeUnavailableError(
                "in-memory venue has no price yet: the replay starts later"
            )
        return Ticker(symbol=symbol, bid=price, ask=price, last=price, time=now)

    def submit_order(self, order: OrderRequest) -> OrderAck:
        now = self._sync()
        if order.symbol != self._symbol:
            return self._reject(order, RejectReason.UNKNOWN_SYMBOL, f"unknown pair {order.symbol}")
        price = self._price()
        violation = self._rules.check(order, price)
        if violation is not None:
            return self._reject(order, violation.reason, violation.message)
        if self._venue.validate_only:
            return OrderAck(
                status=AckStatus.VALIDATED,
                client_order_id=order.client_order_id,
                description=self._describe(order),
            )
        if self._engine.knows_client_id(order.client_order_id):
            return self._reject(
                order,
                RejectReason.INVALID_ARGUMENTS,
                f"client order id {order.client_order_id!r} is already in use",
            )
        return self._engine.accept(order, now, price, description=self._describe(order))

    @property
    def timeframes(self) -> tuple[Timeframe, ...]:
        """The replay's timeframe and the listed multiples of it (built by aggregation)."""
        base = self._timeframe.seconds
        return tuple(
            tf for tf in SERVED_TIMEFRAMES if tf.seconds >= base and tf.seconds % base == 0
        )

    def order_status(self, symbol: Symbol, order_id: str) -> OrderState:
        self._require_listed(symbol)
        self._sync()
        return self._engine.state(order_id)

    def find_order(self, symbol: Symbol, client_order_id: str) -> OrderState | None:
        self._require_listed(symbol)
        self._sync()
        return self._engine.find(client_order_id)

    def fills(self, symbol: Symbol, order_id: str) -> tuple[Fill, ...]:
        self._require_listed(symbol)
        self._sync()
        return self._engine.fills(order_id)

    def cancel_order(self, symbol: Symbol, order_id: str) -> OrderState:
        self._require_listed(symbol)
        self._sync()
        return self._engine.cancel(order_id)

    def balances(self) -> Mapping[str, Decimal]:
        self._sync()
        return self._engine.balances()

    def close(self) -> None:
        """Nothing to release: the venue holds only memory."""

    def _sync(self) -> datetime:
        """Bring the venue up to the clock; venue time never goes back."""
        now = self._clock.now()
        if self._now is None or now > self._now:
            self._feed.advance(now, self._engine)
            self._now = now
        return self._now

    def _price(self) -> Decimal | None:
        return self._feed.price

    def _require_listed(self, symbol: Symbol) -> None:
        if symbol != self._symbol:
            listed = str(self._symbol)
            close = difflib.get_close_matches(str(symbol), [listed], n=1, cutoff=0.3)
            shares = symbol.base == self._symbol.base or symbol.quote == self._symbol.quote
            suggestions = (listed,) if close or shares else ()
            raise UnknownSymbolError(
                f"in-memory venue lists only {listed}, not {symbol}", suggestions=suggestions
            )

    def _describe(self, order: OrderRequest) -> str:
        quantity = format(order.quantity.quantize(self._rules.lot_step), "f")
        text = f"{order.side.value} {quantity} {self._rules.venue_symbol} @ "
        if order.order_type is OrderType.LIMIT and order.limit_price is not None:
            return text + f"limit {format(order.limit_price.quantize(self._rules.price_tick), 'f')}"
        return text + "market"

    @staticmethod
    def _reject(order: OrderRequest, reason: RejectReason, message: str) -> OrderAck:
        return OrderAck(
            status=AckStatus.REJECTED,
            client_order_id=order.client_order_id,
            reason=reason,
            message=message,
        )
