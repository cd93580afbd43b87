"""CandleFileReader: the CandleFilesPort over this package's validation, streaming and
aggregation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from peak_trade.domain.market import Candle
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.replay import ReplayFile

from .aggregation import aggregate_candles
from .errors import CandleFileError
from .info import CandleFileInfo
from .stream import iter_candle_file
from .validation import inspect_candle_file


class CandleFileReader:
    """Validates candle files and streams them (CandleFilesPort)."""

    def inspect(
        self, path: Path, *, symbol: Symbol | None, timeframe: Timeframe | None
    ) -> ReplayFile:
        """Validate every row; the symbol comes from the file's header or `symbol`, the
        timeframe from its header, its spacing, or `timeframe` for a one-row file."""
        info = inspect_candle_file(path, symbol=symbol)
        if info.symbol is None:
            raise CandleFileError(
                str(path), None, "the file names no symbol: pass it (--symbol or SYMBOL=PATH)"
            )
        file_timeframe = info.timeframe or timeframe
        if file_timeframe is None:
            raise CandleFileError(
                str(path), None, "one row shows no timeframe: pass it with --timeframe"
            )
        source = info.timeframe_source.value if info.timeframe_source else "given"
        return ReplayFile(
            path=Path(path),
            symbol=info.symbol,
            timeframe=file_timeframe,
            timeframe_source=source,
            format=info.format.description,
            rows=info.rows,
            gaps=info.gaps,
            first_open_time=info.first_open_time,
            last_open_time=info.last_open_time,
            handle=info,
        )

    def stream(self, file: ReplayFile, timeframe: Timeframe) -> Iterator[Candle]:
        """The file's candles (one pass, constant memory), aggregated to `timeframe`."""
        info = file.handle
        if not isinstance(info, CandleFileInfo):
            raise TypeError("a ReplayFile from another reader")
        candles = iter_candle_file(info, file.symbol)
        if timeframe == file.timeframe:
            return candles
        return aggregate_candles(candles, file.timeframe, timeframe)
