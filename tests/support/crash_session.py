"""Run `peak-trade` in this process and kill it at an exact point of its run log (tests only).

    python -m tests.support.crash_session TYPE:N[:half|:sigint] -- <peak-trade arguments>

The process dies by SIGKILL right after it wrote the N-th event of TYPE to events.jsonl, or
in the middle of that line (`half`: half of its bytes reach the file), or it gets a SIGINT
there (`sigint`: the Ctrl+C path, which finishes the step and ends the run `interrupted`).
A SIGKILL is what a crash, the OOM killer or a power cut leaves behind: no `session_ended`,
no final summary, perhaps half a line.
"""

from __future__ import annotations

import os
import signal
import sys

from peak_trade.adapters.runlog import writer as writer_module
from peak_trade.app.cli.main import main


def install(spec: str) -> None:
    kind, count, *how = spec.split(":")
    wanted = int(count)
    marker = f'"type":"{kind}"'.encode()
    original = writer_module.RunLogWriter._write_line
    seen = 0

    def write_line(self: writer_module.RunLogWriter, data: bytes, *, durable: bool) -> None:
        nonlocal seen
        if marker not in data:
            original(self, data, durable=durable)
            return
        seen += 1
        if seen != wanted:
            original(self, data, durable=durable)
            return
        if how == ["half"]:
            assert self._fd is not None
            os.write(self._fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        original(self, data, durable=durable)
        os.kill(os.getpid(), signal.SIGINT if how == ["sigint"] else signal.SIGKILL)

    writer_module.RunLogWriter._write_line = write_line  # type: ignore[method-assign]


if __name__ == "__main__":
    spec, separator, *arguments = sys.argv[1:]
    assert separator == "--", "usage: crash_session TYPE:N[:half|:sigint] -- ARGS"
    install(spec)
    sys.exit(main(arguments))
