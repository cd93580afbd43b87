"""CandleFileInfo: what validating a candle file found, and what streaming it needs."""

from __future__ import annotations

import enum
import os
from datetime import datetime
from pathlib import Path

import attrs

from peak_trade.domain.symbols import Symbol, Timeframe

from .formats import CandleFileFormat, Layout


class MetadataSource(enum.StrEnum):
    """Where a file's symbol or timeframe came from."""

    HEADER = "header"  # the file's `# symbol:` / `# timeframe:` comment
    GIVEN = "given"  # the caller's argument
    INFERRED = "inferred"  # the spacing of the rows


@attrs.frozen(kw_only=True)
class FileFingerprint:
    """Size, modification time and inode: a file replaced or edited after validation differs."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, result: os.stat_result) -> FileFingerprint:
        return cls(size=result.st_size, mtime_ns=result.st_mtime_ns, inode=result.st_ino)


@attrs.frozen(kw_only=True)
class CandleFileInfo:
    """A validated candle file: its format, metadata, extent and gaps, ready to stream.

    `gaps` counts the candles missing between rows (a minute without trades is absent from
    Kraken's files). `layout`, `line_count` and `fingerprint` are what `iter_candle_file`
    needs to read exactly the rows validated here.
    """

    path: Path
    format: CandleFileFormat
    symbol: Symbol | None
    symbol_source: MetadataSource | None
    timeframe: Timeframe | None
    timeframe_source: MetadataSource | None
    rows: int
    first_open_time: datetime
    last_open_time: datetime
    gaps: int
    fingerprint: FileFingerprint
    layout: Layout
    first_row_line: int
    line_count: int
