"""inspect_candle_file: detect a candle file's format and validate every row before trading."""

from __future__ import annotations

import math
import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import NoReturn, TextIO

from peak_trade.domain.decimals import ZERO
from peak_trade.domain.market import ohlcv_valid
from peak_trade.domain.symbols import Symbol

from .blocks import BLOCK_HINT, ScanState, vouch_block
from .errors import CandleFileError
from .formats import Layout
from .info import CandleFileInfo, FileFingerprint
from .metadata import declared_timeframe, resolve_symbol
from .preamble import open_candle_file, read_preamble
from .rows import Row, checked_row
from .spacing import Spacing, timeframe_and_gaps
from .timestamps import (
    END_MICROS,
    EPOCH,
    MAX_GAP_MICROS,
    MICROS_BELOW,
    MILLIS_BELOW,
    ONE_MICROSECOND,
    SECONDS_BELOW,
    describe_micros,
    micros_to_datetime,
    to_utc,
)


def inspect_candle_file(path: str | Path, *, symbol: Symbol | None = None) -> CandleFileInfo:
    """Detect the format, read the metadata and validate every row (CandleFileError if any
    is refused); the result streams with `iter_candle_file`."""
    path = Path(path)
    name = str(path)
    with open_candle_file(path) as fh:
        fingerprint = FileFingerprint.of(os.fstat(fh.fileno()))
        preamble = read_preamble(fh, name)
        file_symbol, symbol_source = resolve_symbol(preamble.metadata, symbol, name)
        declared = declared_timeframe(preamble.metadata, name)
        first = _careful(name, preamble.first_row_line, preamble.first_row, preamble.layout)[0]
        spacing, line_count = _scan(fh, name, preamble.layout, first, preamble.first_row_line)
        if FileFingerprint.of(os.fstat(fh.fileno())) != fingerprint:
            raise CandleFileError(name, None, "the file changed while it was being validated")
    timeframe, timeframe_source, gaps = timeframe_and_gaps(
        spacing, declared, path=path, layout=preamble.layout, first_line=preamble.first_row_line
    )
    return CandleFileInfo(
        path=path,
        format=preamble.layout.format,
        symbol=file_symbol,
        symbol_source=symbol_source,
        timeframe=timeframe,
        timeframe_source=timeframe_source,
        rows=spacing.rows,
        first_open_time=micros_to_datetime(spacing.first),
        last_open_time=micros_to_datetime(spacing.last),
        gaps=gaps,
        fingerprint=fingerprint,
        layout=preamble.layout,
        first_row_line=preamble.first_row_line,
        line_count=line_count,
    )


def _scan(
    lines: TextIO, name: str, layout: Layout, first: int, first_line: int
) -> tuple[Spacing, int]:
    """Validate the rows after the first one, a block of lines at a time: a block of common
    rows is decided in C-level passes over its columns (`vouch_block`); a block with anything
    unusual is read row by row (`_scan_rows`), which gives every refusal its line and reason."""
    scan = ScanState(previous=first, lineno=first_line)
    while block := lines.readlines(BLOCK_HINT):
        if not vouch_block(block, scan, layout):
            _scan_rows(block, scan, name, layout)
    spacing = Spacing(
        rows=scan.rows,
        first=first,
        last=scan.previous,
        step_gcd=scan.step_gcd,
        min_gap=scan.min_gap,
        min_gap_line=scan.min_gap_line,
    )
    return spacing, scan.lineno


def _scan_rows(block: list[str], scan: ScanState, name: str, layout: Layout) -> None:
    """Validate rows one by one; the common row is read inline and anything unusual goes to
    `checked_row` for its verdict and reason."""
    width = layout.width
    pick = layout.picker()
    epoch = layout.epoch_times
    has_volume = layout.volume is not None
    decimal = Decimal
    from_iso = datetime.fromisoformat
    utc = UTC
    valid = ohlcv_valid
    to_float = float
    gcd = math.gcd
    previous = scan.previous
    lineno = scan.lineno
    rows = scan.rows
    last_gap = scan.last_gap
    step_gcd, min_gap, min_gap_line = scan.step_gcd, scan.min_gap, scan.min_gap_line
    for line in block:
        lineno += 1
        fields = line.split(",")
        if len(fields) != width or not line.isascii() or "_" in line:
            if not line.strip():
                continue  # a blank line
            _refuse(name, lineno, line, layout)
        stamp, open_, high, low, close, volume = pick(fields)
        try:
            if epoch:
                number = int(stamp)
                if number < SECONDS_BELOW:
                    micros = number * 1_000_000
                elif number < MILLIS_BELOW:
                    micros = number * 1000
                elif number < MICROS_BELOW:
                    micros = number
                else:
                    raise ValueError(stamp)  # nanoseconds: checked_row gives the reason
            else:
                moment = from_iso(stamp)
                if moment.tzinfo is not utc:
                    moment = to_utc(moment)
                micros = (moment - EPOCH) // ONE_MICROSECOND
            # Floats decide the common row fast and exactly: a decimal literal's float never
            # crosses zero or reverses a strict order, so a strict float inequality proves the
            # Decimal one, and equal floats of identical texts are equal Decimals. Anything
            # else (other ties, a minus sign, nan, inf) is decided by the Decimal check.
            o, h, lo, c = to_float(open_), to_float(high), to_float(low), to_float(close)
            plain = (
                lo > 0.0
                and h < _INFINITY
                and (h > o or (h == o and high == open_))
                and (h > c or (h == c and high == close))
                and (o > lo or (o == lo and open_ == low))
                and (c > lo or (c == lo and close == low))
                and (not has_volume or (volume[:1] != "-" and to_float(volume) < _INFINITY))
            )
            if not plain:
                row = (
                    decimal(open_),
                    decimal(high),
                    decimal(low),
                    decimal(close),
                    decimal(volume) if has_volume else ZERO,
                )
                if not valid(*row):
                    _refuse(name, lineno, line, layout)
        except (ValueError, ArithmeticError):  # decimal.InvalidOperation is an ArithmeticError
            micros = _careful(name, lineno, line, layout)[0]
        if micros >= END_MICROS:
            _refuse(name, lineno, line, layout)
        gap = micros - previous
        if gap != last_gap:  # a new spacing: check it (a regular file rarely comes here)
            if gap <= 0 or gap > MAX_GAP_MICROS:
                raise CandleFileError(name, lineno, _out_of_order(micros, previous))
            step_gcd = gcd(step_gcd, gap)
            if gap < min_gap:
                min_gap, min_gap_line = gap, lineno
            last_gap = gap
        previous = micros
        rows += 1
    scan.previous, scan.lineno, scan.rows, scan.last_gap = previous, lineno, rows, last_gap
    scan.step_gcd, scan.min_gap, scan.min_gap_line = step_gcd, min_gap, min_gap_line


_INFINITY = float("inf")


def _careful(name: str, lineno: int, line: str, layout: Layout) -> Row:
    try:
        return checked_row(line, layout)
    except ValueError as exc:
        raise CandleFileError(name, lineno, str(exc)) from None


def _refuse(name: str, lineno: int, line: str, layout: Layout) -> NoReturn:
    _careful(name, lineno, line, layout)
    raise AssertionError(f"{name}:{lineno}: the fast check refused a row checked_row accepts")


def _out_of_order(micros: int, previous: int) -> str:
    time, before = describe_micros(micros), describe_micros(previous)
    if micros == previous:
        return f"time {time} repeats the previous row's time: times must strictly increase"
    if micros < previous:
        return f"time {time} is before the previous row's {before}: times must strictly increase"
    days = (micros - previous) // (86_400 * 1_000_000)
    return (
        f"far-off timestamp {time}: {days} days after the previous row's {before} "
        "(rows may be at most 366 days apart)"
    )
