"""StopRequest: the flag a graceful stop (Ctrl+C, SIGTERM, an embedding tool) sets; the session
finishes its current step and ends with status `interrupted`."""

from __future__ import annotations


class StopRequest:
    """A flag the session polls between steps (a replay after every candle) and while it
    sleeps; a plain attribute, as cheap to read as a flag can be."""

    def __init__(self) -> None:
        self.reason = ""
        self.requested = False

    def request(self, reason: str) -> None:
        """Ask the session to stop after its current step; the first reason given is kept."""
        if not self.requested:
            self.reason = reason
        self.requested = True
