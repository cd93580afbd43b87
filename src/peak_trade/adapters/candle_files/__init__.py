"""Candle files as traders have them: detect the format, validate every row, stream, aggregate.

Reads this project's v1 files, Kraken OHLCVT downloads, Binance kline CSVs, ccxt dumps,
Yahoo / backtesting.py CSVs and any CSV with a recognisable header (docs/candle-files.md).
`inspect_candle_file` validates a whole file before anything trades; `iter_candle_file` then
streams exactly those candles; `aggregate_candles` builds larger timeframes exactly.
"""

from __future__ import annotations

from .aggregation import aggregate_candles
from .errors import CandleFileError
from .formats import CandleFileFormat
from .info import CandleFileInfo, FileFingerprint, MetadataSource
from .preamble import read_candle_header
from .reader import CandleFileReader
from .stream import iter_candle_file
from .validation import inspect_candle_file
from .writer import FORMAT_LINE, V1_HEADER, write_candles_csv

__all__ = [
    "FORMAT_LINE",
    "V1_HEADER",
    "CandleFileError",
    "CandleFileFormat",
    "CandleFileInfo",
    "CandleFileReader",
    "FileFingerprint",
    "MetadataSource",
    "aggregate_candles",
    "inspect_candle_file",
    "iter_candle_file",
    "read_candle_header",
    "write_candles_csv",
]
