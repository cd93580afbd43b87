"""Application errors and the CLI exit codes they map to (design.md section 7)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # config or usage error
EXIT_SAFETY = 3  # environment or venue guard refused


class ConfigError(Exception):
    """Malformed or inconsistent configuration; the message names file, section and key."""

    def __init__(self, message: str, *, file: str = "", section: str = "", key: str = "") -> None:
        where = ":".join(p for p in (file, f"[{section}]" if section else "", key) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.section = section
        self.key = key


class UsageError(Exception):
    """The command line asked for something impossible (unknown run id, missing file...)."""
