"""StopRequest: the flag a graceful stop (Ctrl+C, SIGTERM, an embedding tool) sets; the session
finishes its current step and ends with status `interrupted`."""

from __future__ import annotations

import threading


class StopRequest:
    """A flag the session polls between steps and while it sleeps."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def request(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
        self._event.set()
