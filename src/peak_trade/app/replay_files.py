"""Replay files on the command line: `--replay [SYMBOL=]PATH`, validated before anything trades.

Each file is read whole (CandleFilesPort.inspect: every row, errors naming file and line) when
the plan is made, so a broken row at line 1500 can never end a run after 38 orders; `--dry-run`
does the same. A bare PATH takes its symbol from the file's header, else from `--symbol` when
the session trades exactly one symbol and only one file is given. The session's timeframe must
be the files' own or a whole multiple of it (then candles are aggregated exactly); a finer or
non-multiple timeframe is refused. Without a timeframe from `--timeframe`, the files' own is
used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from peak_trade.app.errors import UsageError
from peak_trade.domain.symbols import Symbol, Timeframe
from peak_trade.ports.replay import CandleFilesPort, ReplayFile


def parse_replay_args(texts: Sequence[str]) -> list[tuple[Symbol | None, Path]]:
    """`SYMBOL=PATH` or `PATH` per --replay flag (a path may itself contain '=')."""
    parsed: list[tuple[Symbol | None, Path]] = []
    for text in texts:
        name, sep, rest = text.partition("=")
        if sep and "/" in name and not Path(text).exists():
            try:
                parsed.append((Symbol.parse(name), Path(rest)))
                continue
            except ValueError as exc:
                raise UsageError(f"--replay {text}: {exc}") from None
        parsed.append((None, Path(text)))
    return parsed


def read_replay_files(
    reader: CandleFilesPort,
    args: Sequence[tuple[Symbol | None, Path]],
    symbols: Sequence[Symbol],
    timeframe: Timeframe | None,
) -> dict[Symbol, ReplayFile]:
    """Validate every file and key it by symbol; `symbols` are the session's (from --symbol or
    config) and name a bare PATH's symbol when there is exactly one and one file (several
    files are several symbols: each bare PATH's header names its own)."""
    files: dict[Symbol, ReplayFile] = {}
    for given, path in args:
        if not path.is_file():
            raise UsageError(f"--replay: no such file {path}")
        hint = given or (symbols[0] if len(symbols) == 1 and len(args) == 1 else None)
        try:
            file = reader.inspect(path, symbol=hint, timeframe=timeframe)
        except ValueError as exc:
            raise UsageError(f"--replay: {exc}") from None
        if given is not None and file.symbol != given:
            raise UsageError(
                f"--replay {given}={path}: the file holds {file.symbol} candles "
                f"(its header says so); pass --replay {file.symbol}={path}"
            )
        if file.symbol in files:
            raise UsageError(f"--replay: two files for {file.symbol}")
        files[file.symbol] = file
    return files


def session_timeframe(files: Mapping[Symbol, ReplayFile], requested: Timeframe | None) -> Timeframe:
    """The timeframe the strategy will see: `requested` if every file can give it (equal or a
    whole multiple of the file's), else the files' own when they agree; UsageError otherwise."""
    own = {file.timeframe for file in files.values()}
    if requested is None:
        if len(own) != 1:
            shown = ", ".join(f"{s} {f.timeframe}" for s, f in files.items())
            raise UsageError(f"--replay files differ in timeframe ({shown}): pass --timeframe")
        return own.pop()
    for symbol, file in files.items():
        if requested.seconds < file.timeframe.seconds or requested.seconds % file.timeframe.seconds:
            how = (
                "is finer than"
                if requested.seconds < file.timeframe.seconds
                else ("is not a whole multiple of")
            )
            raise UsageError(
                f"--timeframe {requested} {how} the {file.timeframe} candles of {file.path} "
                f"({symbol}; {file.timeframe_source}): candles can only be combined into "
                f"longer ones, e.g. --timeframe {file.timeframe}"
            )
    return requested


def describe(file: ReplayFile, timeframe: Timeframe) -> str:
    """One line for the plan: what the file is and how it will be replayed."""
    source = {"inferred": "inferred from the row spacing", "header": "from the file's header"}
    how = source.get(file.timeframe_source, "as given")
    combined = f", combined into {timeframe}" if timeframe != file.timeframe else ""
    return (
        f"{file.path}: {file.format}, {file.rows} {file.timeframe} candles ({how}{combined}) "
        f"{file.first_open_time:%Y-%m-%d %H:%M} .. {file.last_open_time:%Y-%m-%d %H:%M} UTC, "
        f"{file.gaps} missing"
    )
