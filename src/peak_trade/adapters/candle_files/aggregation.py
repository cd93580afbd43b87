"""aggregate_candles: exact, streaming OHLCV aggregation into a larger timeframe.

Buckets are epoch-aligned: a bucket of length T starts at a whole multiple of T after
1970-01-01T00:00:00Z (1d buckets start at 00:00 UTC, 1w buckets on Thursdays). A bucket merges
the candles inside it: first open, highest high, lowest low, last close, summed volume (exact).
Missing candles inside a bucket are fine: nothing traded then. The first bucket is emitted even
when the data starts inside it (its trades are real). The last bucket is emitted only when the
data reaches its end (the last candle closes at the bucket's end); otherwise it never closed in
the data and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context

from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Timeframe
from peak_trade.domain.timeutil import isoformat_utc

from .timestamps import EPOCH

# Sums of volumes are exact: no rounding at the default 28 digits.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def aggregate_candles(
    candles: Iterable[Candle], source: Timeframe, target: Timeframe
) -> Iterator[Candle]:
    """Merge `source` candles (oldest first, one symbol) into epoch-aligned `target` candles;
    ValueError unless `target` is a larger whole multiple of `source`."""
    if target.seconds <= source.seconds or target.seconds % source.seconds:
        raise ValueError(
            f"cannot aggregate {source.label} candles into {target.label} candles: the target "
            f"timeframe must be a whole multiple of {source.label} and larger than it"
        )
    return _merged(iter(candles), timedelta(seconds=source.seconds), target)


def _merged(candles: Iterator[Candle], step: timedelta, target: Timeframe) -> Iterator[Candle]:
    span = timedelta(seconds=target.seconds)
    first = next(candles, None)
    if first is None:
        return
    symbol = first.symbol
    start = first.open_time - (first.open_time - EPOCH) % span
    end = start + span
    open_, high, low, close, volume = first.open, first.high, first.low, first.close, first.volume
    closes = first.open_time + step  # the close time of the latest candle
    add = _EXACT.add
    trusted = Candle.trusted
    for candle in candles:
        moment = candle.open_time
        if moment < closes:
            raise ValueError(_overlap(candle, closes))
        if candle.symbol is not symbol and candle.symbol != symbol:
            raise ValueError(f"cannot aggregate {candle.symbol} candles with {symbol} candles")
        if moment >= end:  # the bucket closed: a later candle exists
            if closes > end:
                raise ValueError(_crossing(closes - step, step, end))
            # checked as the constructor would: every part is a valid candle
            yield trusted(
                symbol=symbol,
                open_time=start,
                open=open_,
                high=high,
                low=low,
                close=close,
                volume=volume,
            )
            start = moment - (moment - EPOCH) % span
            end = start + span
            open_, high, low, close = candle.open, candle.high, candle.low, candle.close
            volume = candle.volume
        else:
            if candle.high > high:
                high = candle.high
            if candle.low < low:
                low = candle.low
            close = candle.close
            volume = add(volume, candle.volume)
        closes = moment + step
    if closes > end:
        raise ValueError(_crossing(closes - step, step, end))
    if closes == end:
        yield trusted(
            symbol=symbol,
            open_time=start,
            open=open_,
            high=high,
            low=low,
            close=close,
            volume=volume,
        )


def _overlap(candle: Candle, closes: datetime) -> str:
    return (
        f"candle at {isoformat_utc(candle.open_time)} starts before the previous one closes "
        f"at {isoformat_utc(closes)}: candles must be in time order, one timeframe apart or more"
    )


def _crossing(moment: datetime, step: timedelta, end: datetime) -> str:
    return (
        f"candle at {isoformat_utc(moment)} ({step // timedelta(seconds=1)} s) runs past its "
        f"bucket's end at {isoformat_utc(end)}: candles must lie on the source timeframe's grid"
    )
