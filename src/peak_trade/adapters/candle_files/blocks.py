"""The candle-file readers' fast path: a block of common rows, read a column at a time.

Both passes over a file read it in blocks of lines. A block whose rows are all common (the
layout's width, no blank line, plain numbers, times of one simple kind) is split into columns,
and each column is parsed in one C-level pass: the validation pass decides the whole block
with floats where they are exact (`vouch_block`), the streaming pass builds its candles from
Decimal columns (`block_candles`). Any other block is read row by row by the caller, with the
same verdicts, times and values (tests/unit/candle_files/test_candle_file_blocks.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import compress, repeat
from itertools import count as count_from
from operator import add, attrgetter, eq, ge, mul, sub

import attrs

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.market import Candle, trusted_candles
from peak_trade.domain.symbols import Symbol

from .formats import Layout
from .timestamps import (
    END_MICROS,
    EPOCH,
    MAX_GAP_MICROS,
    MICROS_BELOW,
    MILLIS_BELOW,
    ONE_MICROSECOND,
    SECONDS_BELOW,
    to_utc,
)

BLOCK_HINT = 1 << 15  # characters per block of lines (memory stays flat: one block at a time)
_INFINITY = float("inf")
_TZINFO = attrgetter("tzinfo")
_NAIVE_EPOCH = datetime(1970, 1, 1)


@attrs.define
class ScanState:
    """Where the validation pass stands: rows and lines read, and the spacing seen so far."""

    previous: int  # the last row's time (µs)
    lineno: int  # the last line read
    rows: int = 1
    last_gap: int = -1  # no gap yet: the first one is always checked
    step_gcd: int = 0
    min_gap: int = MAX_GAP_MICROS + 1
    min_gap_line: int = 0


def vouch_block(block: list[str], scan: ScanState, layout: Layout) -> bool:
    """Validate a block of rows that are all common (ASCII, the layout's width, plain numbers,
    times of one kind, strictly increasing): True and `scan` moved past them, or False and
    `scan` untouched (the block is then read row by row). Whatever it accepts, `_scan_rows`
    accepts with the same times; a float decides an order only where that is exact (see there)."""
    text = "".join(block)
    if not text.endswith("\n"):
        text += "\n"  # the file's last line
    count = len(block)
    width = layout.width
    if (
        not text.isascii()
        or "_" in text
        or "n" in text  # nan, inf, infinity: the careful path names them
        or "N" in text
        or text.count("\n") != count
        or set(map(str.count, block, repeat(","))) != {width - 1}
    ):
        return False
    fields = text.replace("\n", ",").split(",")
    end = count * width

    def column(index: int) -> list[str]:
        return fields[index:end:width]

    try:
        times = _times(column(layout.time), layout.epoch_times)
        opens, highs, lows, closes = (
            column(layout.open),
            column(layout.high),
            column(layout.low),
            column(layout.close),
        )
        o, h, lo, c = (list(map(float, texts)) for texts in (opens, highs, lows, closes))
        if layout.volume is not None:
            volumes = column(layout.volume)
            if "-" in ",".join(volumes) or max(map(float, volumes)) == _INFINITY:
                return False
    except ValueError:
        return False
    if times is None or min(lo) <= 0.0 or max(h) == _INFINITY:
        return False
    for above, below, above_text, below_text in (
        (h, o, highs, opens),
        (h, c, highs, closes),
        (o, lo, opens, lows),
        (c, lo, closes, lows),
    ):
        if not all(map(ge, above, below)):
            return False
        for index in compress(count_from(), map(eq, above, below)):
            if above_text[index] != below_text[index]:
                return False  # equal floats of different texts: the Decimals decide
    first, last, gaps = times
    gaps.insert(0, first - scan.previous)
    distinct = set(gaps)
    smallest = min(distinct)
    if smallest <= 0 or max(distinct) > MAX_GAP_MICROS or last >= END_MICROS:
        return False
    step_gcd = scan.step_gcd
    for gap in distinct:
        step_gcd = math.gcd(step_gcd, gap)
    if smallest < scan.min_gap:
        scan.min_gap, scan.min_gap_line = smallest, scan.lineno + 1 + gaps.index(smallest)
    scan.step_gcd = step_gcd
    scan.last_gap = gaps[-1]
    scan.previous = last
    scan.rows += count
    scan.lineno += count
    return True


def _times(texts: list[str], epoch: bool) -> tuple[int, int, list[int]] | None:
    """The first and last time of a block in µs and the gaps between its rows; None when its
    times are not all of one simple kind (one epoch unit, or ISO-8601 all in UTC or all
    without an offset). ValueError for a time that does not parse this way."""
    if epoch:
        numbers = list(map(int, texts))
        low, high = min(numbers), max(numbers)
        if high < SECONDS_BELOW:
            unit = 1_000_000
        elif low >= SECONDS_BELOW and high < MILLIS_BELOW:
            unit = 1000
        elif low >= MILLIS_BELOW and high < MICROS_BELOW:
            unit = 1
        else:
            return None
        gaps = list(map(sub, numbers[1:], numbers[:-1]))
        if unit != 1:
            gaps = list(map(mul, gaps, repeat(unit)))
        return numbers[0] * unit, numbers[-1] * unit, gaps
    moments = list(map(datetime.fromisoformat, texts))
    zones = set(map(_TZINFO, moments))
    if zones == {UTC}:
        start = EPOCH
    elif zones == {None}:
        start = _NAIVE_EPOCH  # read as UTC, like to_utc
    else:
        return None
    steps = list(map(sub, moments[1:], moments[:-1]))
    distinct = set(steps)
    if len(distinct) == 1:  # the usual block: one spacing throughout
        gaps = [next(iter(distinct)) // ONE_MICROSECOND] * len(steps)
    else:
        in_micros = {step: step // ONE_MICROSECOND for step in distinct}
        gaps = list(map(in_micros.__getitem__, steps))
    first = (moments[0] - start) // ONE_MICROSECOND
    last = (moments[-1] - start) // ONE_MICROSECOND
    return first, last, gaps


def block_candles(block: list[str], layout: Layout, symbol: Symbol) -> Iterator[Candle] | None:
    """The candles of a block of validated rows without blank lines, built column by column
    (each column parsed in one C-level pass); None when the block needs reading row by row."""
    text = "".join(block)
    if not text.endswith("\n"):
        text += "\n"  # the file's last line
    count, width = len(block), layout.width
    if text.count(",") != count * (width - 1) or text.count("\n") != count:
        return None  # a blank line (a validated row has exactly width - 1 commas)
    fields = text.replace("\n", ",").split(",")
    end = count * width

    def column(index: int) -> list[str]:
        return fields[index:end:width]

    try:
        times = _open_times(column(layout.time), layout.epoch_times)
        if times is None:
            return None
        opens, highs, lows, closes = (
            list(map(Decimal, column(index)))
            for index in (layout.open, layout.high, layout.low, layout.close)
        )
        volumes: Iterable[Decimal] = (
            repeat(ZERO) if layout.volume is None else list(map(Decimal, column(layout.volume)))
        )
    except (ValueError, ArithmeticError):
        return None  # e.g. a time with spaces around it: the row path reads it carefully
    return trusted_candles(symbol, times, opens, highs, lows, closes, volumes)


def _open_times(texts: list[str], epoch: bool) -> list[datetime] | None:
    """The open times of a block as UTC datetimes, as `_rows` reads each; None when its epoch
    numbers are not all of one unit. ValueError for a time that does not parse this way."""
    if not epoch:
        moments = list(map(datetime.fromisoformat, texts))
        if set(map(_TZINFO, moments)) != {UTC}:
            moments = list(map(to_utc, moments))
        return moments
    numbers = list(map(int, texts))
    low, high = min(numbers), max(numbers)
    if high < SECONDS_BELOW:
        return list(map(datetime.fromtimestamp, numbers, repeat(UTC)))
    if low >= SECONDS_BELOW and high < MILLIS_BELOW:
        micros: Iterable[int] = map(mul, numbers, repeat(1000))
    elif low >= MILLIS_BELOW and high < MICROS_BELOW:
        micros = numbers
    else:
        return None
    return list(map(add, repeat(EPOCH), map(timedelta, repeat(0), repeat(0), micros)))
