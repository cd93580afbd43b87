"""Candle CSV files for replays: a streaming reader, a header reader and a writer.

Format (v1): optional `#` comment lines first (`# peak_trade candles v1`, `# symbol: BTC/EUR`,
`# timeframe: 1m`, `# source: ...`), then the header `time,open,high,low,close,volume`, then one
row per candle. `time` is the candle's open time, ISO-8601 UTC with a `Z` suffix; prices and
volume are plain decimal strings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.market import Candle, ohlcv_valid
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc

FORMAT_LINE = "peak_trade candles v1"
HEADER = ("time", "open", "high", "low", "close", "volume")
_HEADER_LINE = ",".join(HEADER)


def read_csv_header(path: str | Path) -> dict[str, str]:
    """The `# key: value` comment lines before the header; a bare comment is kept as `format`."""
    header: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for line in fh:
            text = line.strip()
            if not text.startswith("#"):
                break
            body = text[1:].strip()
            key, sep, value = body.partition(":")
            if sep and key.strip():
                header[key.strip().lower()] = value.strip()
            elif body:
                header["format"] = body
    return header


def iter_candles_csv(path: str | Path, symbol: Symbol | None = None) -> Iterator[Candle]:
    """Stream candles from a candle CSV; every error names the file and the line."""
    name = str(path)
    if symbol is None:
        declared = read_csv_header(path).get("symbol")
        if not declared:
            raise ValueError(f"{name}: no '# symbol:' header line and no symbol given")
        try:
            symbol = Symbol.parse(declared)
        except ValueError as exc:
            raise ValueError(f"{name}: invalid '# symbol:' header: {exc}") from None
    return _rows(name, symbol)


def _rows(name: str, symbol: Symbol) -> Iterator[Candle]:
    previous: datetime | None = None
    seen_header = False
    with open(name, encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            text = line.strip()
            if not text or (not seen_header and text.startswith("#")):
                continue
            if not seen_header:
                if text.replace(" ", "").lower() != _HEADER_LINE:
                    raise ValueError(f"{name}:{lineno}: expected header {_HEADER_LINE!r}")
                seen_header = True
                continue
            candle = _parse_row(name, lineno, text, symbol)
            if previous is not None and candle.open_time <= previous:
                raise ValueError(
                    f"{name}:{lineno}: time {isoformat_utc(candle.open_time)} is not after "
                    f"the previous row's {isoformat_utc(previous)}"
                )
            previous = candle.open_time
            yield candle
    if not seen_header:
        raise ValueError(f"{name}: no header line {_HEADER_LINE!r} found")


def _parse_row(name: str, lineno: int, text: str, symbol: Symbol) -> Candle:
    fields = text.split(",")
    if len(fields) != len(HEADER):
        raise ValueError(f"{name}:{lineno}: expected {len(HEADER)} fields, got {len(fields)}")
    stamp = fields[0].strip()
    try:
        if not stamp.endswith("Z"):
            raise ValueError("needs a 'Z' suffix (UTC)")
        open_time = datetime.fromisoformat(stamp)  # 'Z' parses as UTC
    except ValueError as exc:
        raise ValueError(f"{name}:{lineno}: invalid time {stamp!r}: {exc}") from None
    try:
        open_, high, low, close, volume = [Decimal(field) for field in fields[1:]]
    except InvalidOperation:
        raise ValueError(f"{name}:{lineno}: not a decimal number in {text!r}") from None
    if open_time.tzinfo is UTC and ohlcv_valid(open_, high, low, close, volume):
        # checked exactly as the constructor would: skip its conversions (the replay hot path)
        return Candle.trusted(
            symbol=symbol,
            open_time=open_time,
            open=open_,
            high=high,
            low=low,
            close=close,
            volume=volume,
        )
    try:  # the Candle refuses non-finite and inconsistent values, with the precise reason
        return Candle(
            symbol=symbol,
            open_time=open_time,
            open=open_,
            high=high,
            low=low,
            close=close,
            volume=volume,
        )
    except ValueError as exc:
        raise ValueError(f"{name}:{lineno}: {exc}") from None


def write_candles_csv(
    path: str | Path,
    candles: Iterable[Candle],
    *,
    symbol: Symbol,
    timeframe: Timeframe,
    source: str,
) -> None:
    """Write candles (streaming) with the v1 comment header; replaces the file atomically."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(f"# {FORMAT_LINE}\n# symbol: {symbol}\n# timeframe: {timeframe.label}\n")
            fh.write(f"# source: {' '.join(source.split())}\n{_HEADER_LINE}\n")
            for candle in candles:
                if candle.symbol != symbol:
                    raise ValueError(f"candle for {candle.symbol} in a {symbol} file")
                fh.write(_format_row(candle))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _format_row(candle: Candle) -> str:
    values = (candle.open, candle.high, candle.low, candle.close, candle.volume)
    return ",".join([isoformat_utc(candle.open_time), *map(format_decimal, values)]) + "\n"
