"""Graceful stop on signals: the first SIGINT/SIGTERM asks the session to finish its step; a
second one ends the process at once (every event already written stays readable)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from peak_trade.app.session.stop import StopRequest

EXIT_SECOND_SIGNAL = 130


@contextmanager
def stop_on_signals(stop: StopRequest) -> Iterator[None]:
    """Install SIGINT/SIGTERM handlers for the duration of a session (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.requested:
            sys.stderr.write(f"\npeak-trade: second {name}, exiting now\n")
            sys.stderr.flush()
            os._exit(EXIT_SECOND_SIGNAL)
        stop.request(name)
        sys.stderr.write(
            f"\npeak-trade: {name} received, finishing the current step "
            "(send it again to exit at once)\n"
        )
        sys.stderr.flush()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
