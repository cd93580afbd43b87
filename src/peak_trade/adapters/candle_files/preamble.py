"""What comes before the rows: `#` metadata comments, the header line, the first data row.

Reading these decides a file's layout (its format, the column positions and whether times are
epoch numbers or ISO-8601 text). Files are read as UTF-8 with an optional BOM and any line
ends; bytes that are not UTF-8 arrive as lone surrogates (errors="surrogateescape") so the
line holding them can be named.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

import attrs

from .errors import CandleFileError, non_ascii_reason
from .formats import (
    Layout,
    header_names,
    layout_for_header,
    layout_for_headerless,
    looks_like_header,
)
from .timestamps import is_epoch_text


@attrs.frozen(kw_only=True)
class MetadataLine:
    """One `# key: value` comment (a bare `# text` comment has the key `format`)."""

    key: str
    value: str
    line: int


@attrs.frozen(kw_only=True)
class Preamble:
    """A file's metadata comments and layout, and where its rows start."""

    metadata: tuple[MetadataLine, ...]
    layout: Layout
    first_row_line: int
    first_row: str


def open_candle_file(path: str | Path) -> TextIO:
    """The file as text: UTF-8, BOM skipped, CRLF read as LF, undecodable bytes kept visible."""
    return open(path, encoding="utf-8-sig", errors="surrogateescape")


def read_candle_header(path: str | Path) -> dict[str, str]:
    """The `# key: value` comment lines before the header; a bare comment is kept as `format`."""
    with open_candle_file(path) as fh:
        return {item.key: item.value for item in _comments(fh, str(path))}


def read_preamble(lines: Iterator[str], name: str) -> Preamble:
    """Read up to and including the first data row; CandleFileError if no layout fits."""
    metadata: list[MetadataLine] = []
    header: tuple[str, ...] | None = None
    header_line = time_column = lineno = 0
    for line in lines:
        lineno += 1
        _refuse_undecodable(line, name, lineno)
        text = line.strip()
        if not text:
            continue
        if text.startswith("#") and header is None:
            metadata.append(_comment(text, lineno))
            continue
        fields = text.split(",")
        if header is None and not _is_time(fields[0]):
            header = header_names(fields)
            header_line = lineno
            time_column = _header_layout(header, text, name, lineno).time
            continue
        try:
            if header is None:
                layout = layout_for_headerless(len(fields), epoch_times=is_epoch_text(fields[0]))
            else:  # a row of the wrong width is refused with its reason when it is read
                time_text = fields[time_column] if len(fields) == len(header) else ""
                layout = layout_for_header(header, epoch_times=is_epoch_text(time_text))
        except ValueError as exc:
            raise CandleFileError(name, lineno, str(exc)) from None
        return Preamble(
            metadata=tuple(metadata), layout=layout, first_row_line=lineno, first_row=line
        )
    if header is not None:
        raise CandleFileError(name, header_line, "the file has a header but no rows")
    what = "only comment lines" if metadata else "nothing but blank lines" if lineno else "empty"
    raise CandleFileError(name, None, f"no candles: the file is {what}")


def _comments(lines: TextIO, name: str) -> Iterator[MetadataLine]:
    for lineno, line in enumerate(lines, start=1):
        _refuse_undecodable(line, name, lineno)
        text = line.strip()
        if text and not text.startswith("#"):
            return
        if text:
            yield _comment(text, lineno)


def _comment(text: str, lineno: int) -> MetadataLine:
    body = text[1:].strip()
    key, sep, value = body.partition(":")
    if sep and key.strip():
        return MetadataLine(key=key.strip().lower(), value=value.strip(), line=lineno)
    return MetadataLine(key="format", value=body, line=lineno)


def _refuse_undecodable(line: str, name: str, lineno: int) -> None:
    if not line.isascii() and any("\udc80" <= char <= "\udcff" for char in line):
        raise CandleFileError(name, lineno, non_ascii_reason(line))


def _is_time(text: str) -> bool:
    if is_epoch_text(text):
        return True
    try:
        datetime.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def _header_layout(names: tuple[str, ...], text: str, name: str, lineno: int) -> Layout:
    if not looks_like_header(names):
        raise CandleFileError(
            name,
            lineno,
            f"unknown header {text!r}: expected a time column (time, timestamp, "
            "date, datetime or open_time) and open, high, low, close and optionally volume; "
            "a file without a header starts with a time (an epoch number or ISO-8601)",
        )
    try:
        return layout_for_header(names, epoch_times=False)
    except ValueError as exc:
        raise CandleFileError(name, lineno, str(exc)) from None
