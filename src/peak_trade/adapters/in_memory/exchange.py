"""InMemoryExchange: a deterministic ExchangePort over replayed candles and a ClockPort."""

from __future__ import annotations

import difflib
import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from operator import attrgetter, is_

import attrs

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

from .candle_feed import CandleFeed, CandleQueue
from .config import InMemoryExchangeConfig, in_memory_venue
from .matching import MatchingEngine, Wallet

_SYMBOL = attrgetter("symbol")
CATCH_UP = 256  # candles a replay may queue before the venue closes them (bounded memory)
# What `candles` serves besides the replay's own timeframe: the common multiples of it.
SERVED_TIMEFRAMES = tuple(
    Timeframe.parse(label)
    for label in ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d", "1w")
)


@attrs.define
class _Market:
    rules: InstrumentRules
    feed: CandleFeed
    engine: MatchingEngine
    queue: CandleQueue | None  # fed by a replay (ReplayVenuePort); None: a fixed candle source
    waiting: deque[Candle] = attrs.field(init=False)  # the queue's candles not yet taken

    def __attrs_post_init__(self) -> None:
        self.waiting = self.queue.waiting if self.queue is not None else deque()


class InMemoryExchange:
    """A sandbox venue over replayed candles of one or several symbols; every call first
    catches up to `clock.now()`, so the same clock and candles always give the same answers.

    Candles come either from a fixed source per symbol (`candles`, revealed as the clock passes
    them) or, for a replay, from `feed` (ReplayVenuePort: the replay hands each candle over one
    ahead of the clock). The ticker (bid = ask = last) is the open of the forming candle, or the
    last close between candles. Orders are checked against the configured InstrumentRules like
    a venue would; validate-only mode answers VALIDATED and stores nothing (like Kraken's
    `validate=true`); it neither checks nor moves balances, since the session's paper ledger
    holds the money then. One wallet serves every market.
    """

    def __init__(
        self,
        config: InMemoryExchangeConfig,
        clock: ClockPort,
        candles: Iterable[Candle] | Mapping[Symbol, Iterable[Candle]] | None = None,
        *,
        symbol: Symbol | None = None,
        symbols: Sequence[Symbol] = (),
        timeframe: Timeframe,
    ) -> None:
        markets = tuple(symbols) or ((symbol,) if symbol is not None else ())
        if not markets:
            raise ValueError("the in-memory venue needs at least one symbol")
        sources = _sources(candles, markets)
        self._config = config
        self._clock = clock
        self._timeframe = timeframe
        self._venue = in_memory_venue(config)
        wallet = Wallet.from_config(config)
        order_ids, trade_ids = itertools.count(1), itertools.count(1)
        self._markets: dict[Symbol, _Market] = {}
        for market in markets:
            rules = InstrumentRules(
                symbol=market,
                venue_symbol=f"{market.base}{market.quote}",
                price_tick=config.price_tick,
                lot_step=config.lot_step,
                min_quantity=config.min_quantity,
                min_cost=config.min_cost,
            )
            source = sources.get(market)
            queue = CandleQueue() if source is None else None
            self._markets[market] = _Market(
                rules=rules,
                feed=CandleFeed(
                    queue if queue is not None else source or (),
                    symbol=market,
                    timeframe=timeframe,
                    endless=queue is not None,
                ),
                engine=MatchingEngine(
                    config, rules, wallet, order_ids=order_ids, trade_ids=trade_ids
                ),
                queue=queue,
            )
        self._wallet = wallet
        self._now: datetime | None = None
        self._fed: tuple[Symbol | None, _Market | None] = (None, None)  # the last fed market
        self._queued = False  # a candle was fed since the markets last caught up

    @property
    def venue(self) -> Venue:
        return self._venue

    @property
    def symbol(self) -> Symbol:
        """The first (for a single-symbol replay: the only) symbol."""
        return next(iter(self._markets))

    @property
    def timeframe(self) -> Timeframe:
        return self._timeframe

    @property
    def timeframes(self) -> tuple[Timeframe, ...]:
        """The replay's timeframe and the listed multiples of it (built by aggregation)."""
        base = self._timeframe.seconds
        return tuple(
            tf for tf in SERVED_TIMEFRAMES if tf.seconds >= base and tf.seconds % base == 0
        )

    # --- ReplayVenuePort -----------------------------------------------------------------
    def feed(self, candle: Candle) -> None:
        """The replay's next candle of its symbol (one ahead of the clock): queued. The venue
        catches up with the clock at its next answer, closing the queued candles in bulk; at
        once while an order works there (it sees every candle at its time), and every
        `CATCH_UP` candles (the queue stays short)."""
        symbol, market = self._fed
        if candle.symbol is not symbol or market is None:
            market = self._market(candle.symbol)
            if market.queue is None:
                raise ValueError(f"{candle.symbol} replays a fixed candle source; it is not fed")
            self._fed = (candle.symbol, market)
        waiting = market.waiting
        waiting.append(candle)
        self._queued = True
        if market.engine.watching or len(waiting) >= CATCH_UP:
            market.feed.advance(self._clock.now(), market.engine)

    def feed_many(self, candles: Sequence[Candle]) -> None:
        """`feed` for each of `candles` in order: while no order works on their market they
        are queued at once and the ones the clock has passed are closed in bulk right away
        (while the replay has them at hand), else one by one."""
        if not candles:
            return
        symbol, market = self._fed
        if (
            market is None
            or market.engine.watching
            or not all(map(is_, map(_SYMBOL, candles), repeat(symbol)))
        ):  # another market's candles, or an order works: one at a time
            for candle in candles:
                self.feed(candle)
            return
        market.waiting.extend(candles)
        self._queued = True
        market.feed.advance(self._clock.now(), market.engine)

    @property
    def idle(self) -> bool:
        """True while no order works at the venue: nothing acts on a candle as it arrives."""
        return not any(market.engine.watching for market in self._markets.values())

    # --- ExchangePort --------------------------------------------------------------------
    def instrument(self, symbol: Symbol) -> InstrumentRules:
        return self._market(symbol).rules

    def candles(
        self, symbol: Symbol, timeframe: Timeframe, since: datetime | None = None
    ) -> CandleBatch:
        """Closed candles strictly after `since` (at most 720) plus the forming one.

        Another timeframe than the replay's is aggregated when `timeframes` lists it; anything
        else raises UnsupportedTimeframeError.
        """
        market = self._market(symbol)
        if timeframe not in self.timeframes:
            served = ", ".join(tf.label for tf in self.timeframes)
            raise UnsupportedTimeframeError(
                f"the in-memory venue replays {self._timeframe.label} candles and serves "
                f"{served}; {timeframe.label} is not one of them"
            )
        now = self._sync()
        return market.feed.batch(timeframe, since, now)

    def ticker(self, symbol: Symbol) -> Ticker:
        market = self._market(symbol)
        now = self._sync()
        price = market.feed.price
        if price is None:
            raise ExchangeUnavailableError(
                "in-memory venue has no price yet: the replay starts later"
            )
        return Ticker(symbol=symbol, bid=price, ask=price, last=price, time=now)

    def submit_order(self, order: OrderRequest) -> OrderAck:
        market = self._markets.get(order.symbol)
        if market is None:
            return self._reject(order, RejectReason.UNKNOWN_SYMBOL, f"unknown pair {order.symbol}")
        now = self._sync()
        price = market.feed.price
        violation = market.rules.check(order, price)
        if violation is not None:
            return self._reject(order, violation.reason, violation.message)
        if self._venue.validate_only:
            return OrderAck(
                status=AckStatus.VALIDATED,
                client_order_id=order.client_order_id,
                description=self._describe(order, market.rules),
            )
        if any(m.engine.knows_client_id(order.client_order_id) for m in self._markets.values()):
            return self._reject(
                order,
                RejectReason.INVALID_ARGUMENTS,
                f"client order id {order.client_order_id!r} is already in use",
            )
        return market.engine.accept(
            order, now, price, description=self._describe(order, market.rules)
        )

    def order_status(self, symbol: Symbol, order_id: str) -> OrderState:
        market = self._market(symbol)
        self._sync()
        return market.engine.state(order_id)

    def find_order(self, symbol: Symbol, client_order_id: str) -> OrderState | None:
        market = self._market(symbol)
        self._sync()
        return market.engine.find(client_order_id)

    def fills(self, symbol: Symbol, order_id: str) -> tuple[Fill, ...]:
        market = self._market(symbol)
        self._sync()
        return market.engine.fills(order_id)

    def cancel_order(self, symbol: Symbol, order_id: str) -> OrderState:
        market = self._market(symbol)
        self._sync()
        return market.engine.cancel(order_id)

    def balances(self) -> Mapping[str, Decimal]:
        self._sync()
        return dict(self._wallet.total)

    def close(self) -> None:
        """Nothing to release: the venue holds only memory."""

    # --- internals -----------------------------------------------------------------------
    def _sync(self) -> datetime:
        """Bring every market up to the clock; venue time never goes back."""
        now = self._clock.now()
        if self._now is None or now > self._now or self._queued:
            for market in self._markets.values():
                market.feed.advance(now, market.engine)
            self._queued = False
            if self._now is None or now > self._now:
                self._now = now
        return self._now

    def _market(self, symbol: Symbol) -> _Market:
        market = self._markets.get(symbol)
        if market is None:
            listed = [str(s) for s in self._markets]
            close = difflib.get_close_matches(str(symbol), listed, n=3, cutoff=0.3)
            shares = [
                str(s) for s in self._markets if symbol.base == s.base or symbol.quote == s.quote
            ]
            raise UnknownSymbolError(
                f"in-memory venue lists only {', '.join(listed)}, not {symbol}",
                suggestions=tuple(dict.fromkeys([*close, *shares])),
            )
        return market

    @staticmethod
    def _describe(order: OrderRequest, rules: InstrumentRules) -> str:
        quantity = format(order.quantity.quantize(rules.lot_step), "f")
        text = f"{order.side.value} {quantity} {rules.venue_symbol} @ "
        if order.order_type is OrderType.LIMIT and order.limit_price is not None:
            return text + f"limit {format(order.limit_price.quantize(rules.price_tick), 'f')}"
        return text + "market"

    @staticmethod
    def _reject(order: OrderRequest, reason: RejectReason, message: str) -> OrderAck:
        return OrderAck(
            status=AckStatus.REJECTED,
            client_order_id=order.client_order_id,
            reason=reason,
            message=message,
        )


def _sources(
    candles: Iterable[Candle] | Mapping[Symbol, Iterable[Candle]] | None,
    markets: tuple[Symbol, ...],
) -> Mapping[Symbol, Iterable[Candle]]:
    if candles is None:
        return {}
    if isinstance(candles, Mapping):
        return candles
    if len(markets) != 1:
        raise ValueError("one candle iterable serves one symbol: pass a mapping per symbol")
    return {markets[0]: candles}
