"""Market data values: candles, candle batches and tickers."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

import attrs

from peak_trade.domain.decimals import ZERO, format_decimal, name_decimal_fields, to_decimal
from peak_trade.domain.symbols import Symbol
from peak_trade.domain.timeutil import utc_validator


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class Candle:
    """One OHLCV bar; `open_time` is the start of the bar; `closed` is False while it forms."""

    symbol: Symbol
    open_time: datetime = attrs.field(validator=utc_validator)
    open: Decimal = attrs.field(converter=to_decimal)
    high: Decimal = attrs.field(converter=to_decimal)
    low: Decimal = attrs.field(converter=to_decimal)
    close: Decimal = attrs.field(converter=to_decimal)
    volume: Decimal = attrs.field(converter=to_decimal, default=ZERO)
    closed: bool = True

    def __attrs_post_init__(self) -> None:
        if min(self.open, self.high, self.low, self.close) <= 0:
            raise ValueError(f"candle prices must be positive: {self}")
        if self.high < max(self.open, self.close, self.low) or self.low > min(
            self.open, self.close
        ):
            raise ValueError(f"candle high/low inconsistent with open/close: {self}")
        if self.volume < 0:
            raise ValueError(f"candle volume must be >= 0: {self}")

    @classmethod
    def trusted(
        cls,
        *,
        symbol: Symbol,
        open_time: datetime,
        open: Decimal,
        high: Decimal,
        low: Decimal,
        close: Decimal,
        volume: Decimal,
        closed: bool = True,
    ) -> Candle:
        """A candle built without conversion or checks, for an adapter's hot path only.

        The caller guarantees what the constructor would check: Decimal values for which
        `ohlcv_valid` holds and a tz-aware UTC `open_time` (the candle CSV reader checks both
        before each call and uses the validating constructor for anything else).
        """
        candle = object.__new__(cls)
        # Candle is frozen and slotted: its slot descriptors are the documented bypass (they
        # are what attrs' own __init__ uses), and the cheapest way to set eight fields.
        _SET_SYMBOL(candle, symbol)
        _SET_OPEN_TIME(candle, open_time)
        _SET_OPEN(candle, open)
        _SET_HIGH(candle, high)
        _SET_LOW(candle, low)
        _SET_CLOSE(candle, close)
        _SET_VOLUME(candle, volume)
        _SET_CLOSED(candle, closed)
        return candle


def trusted_candles(
    symbol: Symbol,
    open_times: Iterable[datetime],
    opens: Iterable[Decimal],
    highs: Iterable[Decimal],
    lows: Iterable[Decimal],
    closes: Iterable[Decimal],
    volumes: Iterable[Decimal],
) -> Iterator[Candle]:
    """`Candle.trusted` for whole columns (a candle file's block of rows), closed candles in
    order: the same guarantees are the caller's, row by row. The candles end with the times;
    `volumes` may be endless (zero for a file without volumes)."""
    new, cls = object.__new__, Candle
    set_symbol, set_time, set_open, set_high = _SET_SYMBOL, _SET_OPEN_TIME, _SET_OPEN, _SET_HIGH
    set_low, set_close, set_volume, set_closed = _SET_LOW, _SET_CLOSE, _SET_VOLUME, _SET_CLOSED
    for open_time, open_, high, low, close, volume in zip(
        open_times, opens, highs, lows, closes, volumes, strict=False
    ):
        candle = new(cls)
        set_symbol(candle, symbol)
        set_time(candle, open_time)
        set_open(candle, open_)
        set_high(candle, high)
        set_low(candle, low)
        set_close(candle, close)
        set_volume(candle, volume)
        set_closed(candle, True)
        yield candle


_SET_SYMBOL = Candle.__dict__["symbol"].__set__
_SET_OPEN_TIME = Candle.__dict__["open_time"].__set__
_SET_OPEN = Candle.__dict__["open"].__set__
_SET_HIGH = Candle.__dict__["high"].__set__
_SET_LOW = Candle.__dict__["low"].__set__
_SET_CLOSE = Candle.__dict__["close"].__set__
_SET_VOLUME = Candle.__dict__["volume"].__set__
_SET_CLOSED = Candle.__dict__["closed"].__set__


def ohlcv_valid(
    open: Decimal, high: Decimal, low: Decimal, close: Decimal, volume: Decimal
) -> bool:
    """True when these Decimals pass every check of the Candle constructor (finite, positive
    prices, low <= open/close <= high, volume >= 0)."""
    return (
        open.is_finite()
        and high.is_finite()
        and low.is_finite()
        and close.is_finite()
        and volume.is_finite()
        and min(open, high, low, close) > 0
        and high >= max(open, close, low)
        and low <= min(open, close)
        and volume >= 0
    )


@attrs.frozen(kw_only=True)
class CandleBatch:
    """Closed candles (oldest first, strictly increasing open time) plus the forming one, if any."""

    closed: tuple[Candle, ...] = ()
    forming: Candle | None = None

    def __attrs_post_init__(self) -> None:
        times = [c.open_time for c in self.closed]
        if any(b <= a for a, b in itertools.pairwise(times)):
            raise ValueError("closed candles must be strictly increasing in open_time")
        if any(not c.closed for c in self.closed):
            raise ValueError("CandleBatch.closed contains a forming candle")
        if self.forming is not None and self.forming.closed:
            raise ValueError("CandleBatch.forming must not be marked closed")

    @classmethod
    def trusted(cls, closed: tuple[Candle, ...], forming: Candle | None) -> CandleBatch:
        """A batch built without checks, for an adapter's hot path only.

        The caller guarantees what the constructor would check: `closed` holds closed candles
        in strictly increasing open time and `forming` is not marked closed (the in-memory
        venue's bounded window keeps exactly that).
        """
        batch = object.__new__(cls)
        object.__setattr__(batch, "closed", closed)  # frozen; this is its documented bypass
        object.__setattr__(batch, "forming", forming)
        return batch


@attrs.frozen(kw_only=True, field_transformer=name_decimal_fields)
class Ticker:
    """Best bid, best ask and last trade price at `time`."""

    symbol: Symbol
    bid: Decimal = attrs.field(converter=to_decimal)
    ask: Decimal = attrs.field(converter=to_decimal)
    last: Decimal = attrs.field(converter=to_decimal)
    time: datetime = attrs.field(validator=utc_validator)

    def __attrs_post_init__(self) -> None:
        if min(self.bid, self.ask, self.last) <= 0:
            raise ValueError(f"ticker prices must be positive: {self}")
        if self.bid > self.ask:
            raise ValueError(
                f"ticker bid {format_decimal(self.bid)} is above ask "
                f"{format_decimal(self.ask)} (crossed): {self}"
            )

    @property
    def mid(self) -> Decimal:
        return (self.bid + self.ask) / 2
