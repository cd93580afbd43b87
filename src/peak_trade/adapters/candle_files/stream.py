"""iter_candle_file: the fast streaming pass over a file `inspect_candle_file` validated."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol

from .blocks import BLOCK_HINT, block_candles
from .errors import CandleFileError
from .info import CandleFileInfo, FileFingerprint
from .preamble import open_candle_file
from .rows import checked_row
from .timestamps import (
    EPOCH,
    epoch_unit,
    micros_to_datetime,
    to_utc,
)


def iter_candle_file(info: CandleFileInfo, symbol: Symbol) -> Iterator[Candle]:
    """Stream the validated file's candles in constant memory; CandleFileError if the file
    changed since it was validated (checked now, when it is opened and after the last row)."""
    name = str(info.path)
    if info.symbol is not None and symbol != info.symbol:
        raise CandleFileError(
            name, None, f"the file holds {info.symbol} candles but {symbol} was asked for"
        )
    _check_unchanged(os.stat(info.path), info)
    return _stream(info, symbol)


def _stream(info: CandleFileInfo, symbol: Symbol) -> Iterator[Candle]:
    """The hot loop: validation has checked every row, so none is checked again. A block of
    common rows becomes candles column by column (`block_candles`); any other block is read row by
    row (`_rows`), where a row the fast path cannot read goes to `checked_row`."""
    with open_candle_file(info.path) as fh:
        _check_unchanged(os.fstat(fh.fileno()), info)
        for _ in range(info.first_row_line - 1):
            fh.readline()
        lineno = info.first_row_line  # of the next line
        remaining = info.line_count - lineno + 1  # never past the rows that were validated
        while remaining > 0 and (block := fh.readlines(BLOCK_HINT)):
            if len(block) > remaining:
                block = block[:remaining]
            candles = block_candles(block, info.layout, symbol)
            yield from _rows(info, block, lineno, symbol) if candles is None else candles
            lineno += len(block)
            remaining -= len(block)
        _check_unchanged(os.fstat(fh.fileno()), info)


def _rows(info: CandleFileInfo, lines: list[str], first: int, symbol: Symbol) -> Iterator[Candle]:
    """Read a block row by row (`first`: the line number of its first line); each row is
    built with `Candle.trusted`, a row the fast path cannot read goes to `checked_row`."""
    layout = info.layout
    width = layout.width
    pick = layout.picker()
    epoch = layout.epoch_times
    has_volume = layout.volume is not None
    decimal = Decimal
    from_iso = datetime.fromisoformat
    utc = UTC
    trusted = Candle.trusted
    close_text, close_value = "", ZERO
    last_number, last_delta, last_unit, last_moment, last_step = 0, -1, 0, EPOCH, timedelta(0)
    for lineno, line in enumerate(lines, start=first):
        fields = line.split(",")
        if len(fields) != width:
            if line.isspace():
                continue  # a blank line
            _careful(info, lineno, line, symbol)  # refuses it: the file changed
        stamp, open_, high, low, close, volume = pick(fields)
        try:
            if epoch:
                number = int(stamp)
                if number - last_number == last_delta:  # the usual step: one addition
                    moment = last_moment + last_step
                else:
                    unit = epoch_unit(number)
                    moment = micros_to_datetime(number * unit)
                    # Only a step between two numbers of one unit is reused: after it,
                    # a validated file (times before 2100, steps of at most 366 days)
                    # cannot reach the next unit's range by the same step.
                    if unit == last_unit:
                        last_delta, last_step = number - last_number, moment - last_moment
                    else:
                        last_delta, last_unit = -1, unit
                last_number, last_moment = number, moment
            else:
                moment = from_iso(stamp)
                if moment.tzinfo is not utc:
                    moment = to_utc(moment)
            # a candle usually opens at the previous close: reuse that Decimal
            open_value = close_value if open_ == close_text else decimal(open_)
            close_text, close_value = close, decimal(close)
            candle = trusted(
                symbol=symbol,
                open_time=moment,
                open=open_value,
                high=decimal(high),
                low=decimal(low),
                close=close_value,
                volume=decimal(volume) if has_volume else ZERO,
            )
        except (ValueError, ArithmeticError):
            candle = _careful(info, lineno, line, symbol)
        yield candle


def _check_unchanged(stat: os.stat_result, info: CandleFileInfo) -> None:
    if FileFingerprint.of(stat) != info.fingerprint:
        raise CandleFileError(
            str(info.path), None, "the file changed after it was validated; inspect it again"
        )


def _careful(info: CandleFileInfo, lineno: int, line: str, symbol: Symbol) -> Candle:
    """A row the fast path could not read (e.g. a time with spaces): read it carefully."""
    try:
        micros, open_, high, low, close, volume = checked_row(line, info.layout)
    except ValueError as exc:
        raise CandleFileError(str(info.path), lineno, str(exc)) from None
    return Candle.trusted(
        symbol=symbol,
        open_time=micros_to_datetime(micros),
        open=open_,
        high=high,
        low=low,
        close=close,
        volume=volume,
    )
