"""Nonces for Kraken private calls: strictly increasing per API key, across processes.

Kraken rejects a nonce that is not larger than the highest one the key has seen
(`EAPI:Invalid nonce`). Each nonce is max(wall-clock milliseconds, high-water mark + 1), and the
high-water mark lives in `<state_dir>/nonce-<key id>.txt`, read and written under an exclusive
`fcntl.flock`, so a wall clock stepping back or a second process using the same key cannot
produce a lower or repeated nonce.

Cost: the file stays open; a nonce is flock + pread + pwrite of one fixed-width record
(MARK_WIDTH zero-padded digits), never a truncate, so a reader can never see an empty or
half-written mark. The mark is not fsynced: a process crash loses nothing (the write is in the
kernel's page cache, which the next process reads); only an OS crash can lose the last marks,
and the next process after a reboot starts from the wall clock in milliseconds, which by then
is past every nonce that was issued from the clock. (A mark that had run ahead of the clock by
more than the reboot takes, e.g. after the clock stepped back, is the one case the wall clock
does not cover; Kraken then answers `EAPI:Invalid nonce` and the adapter retries once.)

Advice: use one API key per process. Two processes sharing a key still get strictly increasing
nonces here, but their requests can overtake each other on the network, and Kraken then rejects
the late one with `EAPI:Invalid nonce` (the adapter retries once with a fresh nonce; a second
failure is raised as KrakenNonceError). Processes on different machines cannot share the lock.
Never lower the scale: once a key has seen a nonce, smaller ones fail for good.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from pathlib import Path

from peak_trade.ports.clock import ClockPort

MARK_WIDTH = 20  # digits; a 64-bit nonce fits, and ms since 1970 need 13
LockFn = Callable[[int, int], None]  # fcntl.flock's shape: (fd, LOCK_EX | LOCK_UN)


class NonceSource:
    """Hands out strictly increasing nonces for one key, persisted in a file-locked mark.

    `lock` is the file lock (fcntl.flock); injectable so a test can see that the mark is read
    and written only while the lock is held.
    """

    def __init__(
        self, state_dir: Path, key_id: str, clock: ClockPort, *, lock: LockFn = fcntl.flock
    ) -> None:
        self._path = Path(state_dir) / f"nonce-{key_id}.txt"
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()
        self._file_lock = lock
        self._fd: int | None = None
        self._inode: tuple[int, int] | None = None

    @property
    def path(self) -> Path:
        return self._path

    def next(self) -> int:
        """A nonce larger than every nonce this key has been given on this machine."""
        candidate = int(self._clock.now().timestamp() * 1000)
        with self._lock:
            fd = self._open()
            self._file_lock(fd, fcntl.LOCK_EX)
            try:
                nonce = max(candidate, _read_mark(fd) + 1, self._last + 1)
                os.pwrite(fd, str(nonce).zfill(MARK_WIDTH).encode("ascii"), 0)
            finally:
                self._file_lock(fd, fcntl.LOCK_UN)
            self._last = nonce
            return nonce

    def close(self) -> None:
        """Release the state file (the next `next()` opens it again)."""
        with self._lock:
            self._close()

    def _open(self) -> int:
        """The open state file; reopened if it was removed or replaced since it was opened."""
        if self._fd is not None:
            try:
                stat = os.stat(self._path)
                if (stat.st_dev, stat.st_ino) == self._inode:
                    return self._fd
            except FileNotFoundError:
                pass
            self._close()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        stat = os.fstat(fd)
        self._fd, self._inode = fd, (stat.st_dev, stat.st_ino)
        return fd

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = self._inode = None


def _read_mark(fd: int) -> int:
    """The stored mark; files written by older versions (unpadded digits) read the same."""
    raw = os.pread(fd, 64, 0).decode("ascii", errors="replace").strip()
    return int(raw) if raw.isdigit() else 0
