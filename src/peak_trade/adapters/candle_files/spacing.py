"""A file's timeframe and gaps from the spacing of its rows.

Without a `# timeframe:` header the timeframe is the smallest gap between consecutive rows,
and every gap must be a whole multiple of it. With the header, every gap must be a whole
multiple of the declared timeframe. Missing candles between rows are counted as gaps.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from peak_trade.domain.symbols import Timeframe

from .errors import CandleFileError
from .formats import Layout
from .info import MetadataSource
from .preamble import open_candle_file
from .timestamps import MICROS_PER_SECOND, describe_micros, parse_time_micros


@attrs.frozen(kw_only=True)
class Spacing:
    """What the validation pass measured about the rows' times (all in µs since the epoch)."""

    rows: int
    first: int
    last: int
    step_gcd: int  # greatest common divisor of all gaps; 0 for a single row
    min_gap: int
    min_gap_line: int


def timeframe_and_gaps(
    spacing: Spacing, declared: Timeframe | None, *, path: Path, layout: Layout, first_line: int
) -> tuple[Timeframe | None, MetadataSource | None, int]:
    """(timeframe, where it came from, missing candles); CandleFileError naming the line of
    the first gap that is not a whole multiple of the timeframe."""
    if declared is not None:
        step = declared.seconds * MICROS_PER_SECOND
        if spacing.step_gcd % step:
            what = f"the {declared.label} timeframe of its '# timeframe:' header"
            _refuse_off_grid(path, layout, first_line, step, what)
        return declared, MetadataSource.HEADER, _gaps(spacing, step)
    if spacing.rows == 1:
        return None, None, 0
    step = spacing.min_gap
    if step % MICROS_PER_SECOND:
        raise CandleFileError(
            str(path),
            spacing.min_gap_line,
            f"this row is {_duration(step)} after the previous one: a timeframe must be "
            "a whole number of seconds",
        )
    timeframe = Timeframe(step // MICROS_PER_SECOND)
    if spacing.step_gcd != step:
        what = f"{timeframe.label}, the smallest spacing (line {spacing.min_gap_line})"
        _refuse_off_grid(path, layout, first_line, step, what)
    return timeframe, MetadataSource.INFERRED, _gaps(spacing, step)


def _gaps(spacing: Spacing, step: int) -> int:
    return (spacing.last - spacing.first) // step - (spacing.rows - 1)


def _refuse_off_grid(path: Path, layout: Layout, first_line: int, step: int, what: str) -> None:
    """Find the first gap that is not a multiple of `step` (a second pass, on refusal only)."""
    previous: int | None = None
    with open_candle_file(path) as fh:
        for lineno, line in enumerate(fh, start=1):
            if lineno < first_line or not line.strip():
                continue
            micros = parse_time_micros(line.split(",")[layout.time], epoch=layout.epoch_times)
            if previous is not None and (micros - previous) % step:
                raise CandleFileError(
                    str(path),
                    lineno,
                    f"time {describe_micros(micros)} is {_duration(micros - previous)} after "
                    f"the previous row's {describe_micros(previous)}: not a whole multiple of "
                    f"{what}",
                )
            previous = micros
    raise CandleFileError(str(path), None, "the file changed while it was being validated")


def _duration(micros: int) -> str:
    if micros % MICROS_PER_SECOND:
        return f"{micros} µs"
    return Timeframe(micros // MICROS_PER_SECOND).label
