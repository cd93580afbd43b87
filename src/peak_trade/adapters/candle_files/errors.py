"""CandleFileError (a file refused, naming the file and the line) and shared reason texts."""

from __future__ import annotations

import unicodedata


class CandleFileError(ValueError):
    """A file that cannot be read as candles; `str()` is `<file>:<line>: <reason>`."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        location = file if line is None else f"{file}:{line}"
        super().__init__(f"{location}: {reason}")

    def __reduce__(self) -> tuple[type[CandleFileError], tuple[str, int | None, str]]:
        # BaseException pickles `args` (the message); rebuild from the three attributes instead
        return (type(self), (self.file, self.line, self.reason))


def non_ascii_reason(line: str) -> str:
    """Why a line that is not pure ASCII is refused: undecodable bytes or a non-ASCII character.

    Files are opened with errors="surrogateescape": each byte that is not UTF-8 arrives as a
    lone surrogate U+DC80..U+DCFF.
    """
    for column, char in enumerate(line, start=1):
        if "\udc80" <= char <= "\udcff":
            byte = ord(char) - 0xDC00
            return f"bytes that are not UTF-8 (0x{byte:02x} at character {column})"
    for column, char in enumerate(line, start=1):
        if not char.isascii():
            name = unicodedata.name(char, "unnamed")
            return (
                f"non-ASCII character {char!r} (U+{ord(char):04X} {name}) at character "
                f"{column}: numbers and times must be written with ASCII characters"
            )
    raise AssertionError("unreachable: called for a line that is pure ASCII")
