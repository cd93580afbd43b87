"""Tolerant JSON-lines reading: complete lines only, a truncated last line is left for later."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from peak_trade.ports.runlog import LogRecord, ReadStats

_BLOCK = 1 << 16
_NOFOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def open_no_symlink(path: Path) -> BinaryIO:
    """Open a run-log file for reading, refusing a symlink (a run directory's files are never
    links: following one could show a file from outside the run log directory). A symlink
    reads as missing (FileNotFoundError)."""
    try:
        fd = os.open(path, _NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileNotFoundError(
                errno.ENOENT, "a symlink is not a run-log file", str(path)
            ) from None
        raise
    return os.fdopen(fd, "rb")


def parse_line(raw: bytes) -> dict[str, Any] | None:
    """One JSON object from a line, or None when it is not one (floats become Decimal)."""
    try:
        value = json.loads(raw, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def iter_jsonl(path: Path, offset: int = 0, stats: ReadStats | None = None) -> Iterator[LogRecord]:
    """Stream the objects of a JSONL file from `offset`; a missing file yields nothing.

    A complete line that is not a JSON object is skipped and counted. A last line without a
    newline is yielded only if it parses (the writer may have been killed mid-line); otherwise it
    is reported as `partial_tail` and its bytes are not consumed.
    """
    stats = stats if stats is not None else ReadStats()
    try:
        handle = open_no_symlink(path)
    except FileNotFoundError:
        return
    with handle:
        handle.seek(offset)
        position = offset
        pending = b""
        while True:
            block = handle.read(_BLOCK)
            if not block:
                break
            pending += block
            lines = pending.split(b"\n")
            pending = lines.pop()
            for line in lines:
                position += len(line) + 1
                if not line.strip():
                    continue
                record = parse_line(line)
                if record is None:
                    stats.bad_lines += 1
                    continue
                yield LogRecord(record=record, end_offset=position)
        if pending.strip():
            record = parse_line(pending)
            if record is None:
                stats.partial_tail = True
            else:
                yield LogRecord(record=record, end_offset=position + len(pending))


def tail_jsonl(path: Path, count: int) -> list[dict[str, Any]]:
    """The last `count` objects of a JSONL file, reading backwards from the end."""
    if count <= 0:
        return []
    try:
        handle = open_no_symlink(path)
    except FileNotFoundError:
        return []
    with handle:
        end = handle.seek(0, 2)
        data = b""
        position = end
        while position > 0 and data.count(b"\n") <= count + 1:
            step = min(_BLOCK, position)
            position -= step
            handle.seek(position)
            data = handle.read(step) + data
    lines = data.split(b"\n")
    if position > 0:
        lines = lines[1:]  # the first piece may be the middle of a line
    records = [r for r in (parse_line(line) for line in lines if line.strip()) if r is not None]
    return records[-count:]


def read_json_object(path: Path) -> dict[str, Any] | None:
    """A whole-file JSON object (meta.json, summary.json); None when missing or unreadable."""
    try:
        with open_no_symlink(path) as handle:
            raw = handle.read()
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return None
    return parse_line(raw)
