"""write_candles_csv: the peak_trade candles v1 writer (streaming, atomic replace).

v1: `# peak_trade candles v1`, `# symbol: BTC/EUR`, `# timeframe: 1m`, `# source: ...`, then
the header `time,open,high,low,close,volume` and one row per candle: the open time in ISO-8601
UTC with a `Z`, plain decimal strings (never exponent notation).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from peak_trade.domain.decimals import format_decimal
from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.domain.timeutil import isoformat_utc

FORMAT_LINE = "peak_trade candles v1"
V1_HEADER = ("time", "open", "high", "low", "close", "volume")


def write_candles_csv(
    path: str | Path,
    candles: Iterable[Candle],
    *,
    symbol: Symbol,
    timeframe: Timeframe,
    source: str,
    overwrite: bool = True,
) -> int:
    """Write candles as v1 through a temporary file that then replaces `path` atomically
    (with overwrite=False, FileExistsError if `path` exists); returns the number written."""
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target}: already exists (overwrite=False)")
    # a name of our own beside the target: same filesystem, so the final rename is atomic
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(f"# {FORMAT_LINE}\n# symbol: {symbol}\n# timeframe: {timeframe.label}\n")
            fh.write(f"# source: {' '.join(source.split())}\n{','.join(V1_HEADER)}\n")
            count = _write_rows(fh, candles, symbol, timeframe)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, target)
        else:
            _create(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _write_rows(fh: TextIO, candles: Iterable[Candle], symbol: Symbol, tf: Timeframe) -> int:
    """Refuse what the reader would refuse later: another symbol, times out of order or off
    the timeframe's spacing."""
    step = timedelta(seconds=tf.seconds)
    previous: datetime | None = None
    count = 0
    for candle in candles:
        if candle.symbol != symbol:
            raise ValueError(f"candle for {candle.symbol} in a {symbol} file")
        moment = candle.open_time
        if previous is not None and (moment <= previous or (moment - previous) % step):
            raise ValueError(
                f"candle at {isoformat_utc(moment)} does not follow the one at "
                f"{isoformat_utc(previous)} by a whole number of {tf.label} candles"
            )
        values = (candle.open, candle.high, candle.low, candle.close, candle.volume)
        fh.write(",".join([isoformat_utc(moment), *map(format_decimal, values)]) + "\n")
        previous = moment
        count += 1
    return count


def _create(tmp: Path, target: Path) -> None:
    """Move `tmp` to `target` unless `target` exists, without a window for a race."""
    try:
        os.link(tmp, target)  # fails with FileExistsError if target exists, atomically
    except FileExistsError:
        raise FileExistsError(f"{target}: already exists (overwrite=False)") from None
    except OSError:  # a filesystem without hard links: check, then rename
        if target.exists():
            raise FileExistsError(f"{target}: already exists (overwrite=False)") from None
        os.replace(tmp, target)
