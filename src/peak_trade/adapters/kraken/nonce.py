"""Nonces for Kraken private calls: strictly increasing per API key, across processes.

Kraken rejects a nonce that is not larger than the highest one the key has seen
(`EAPI:Invalid nonce`). Each nonce is max(wall-clock milliseconds, high-water mark + 1), and the
high-water mark lives in `<state_dir>/nonce-<key id>.txt`, read and written under an exclusive
`fcntl.flock`, so a wall clock stepping back or a second process using the same key cannot
produce a lower or repeated nonce.

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
from pathlib import Path

from peak_trade.ports.clock import ClockPort


class NonceSource:
    """Hands out strictly increasing nonces for one key, persisted in a file-locked mark."""

    def __init__(self, state_dir: Path, key_id: str, clock: ClockPort) -> None:
        self._path = Path(state_dir) / f"nonce-{key_id}.txt"
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path

    def next(self) -> int:
        """A nonce larger than every nonce this key has been given on this machine."""
        candidate = int(self._clock.now().timestamp() * 1000)
        with self._lock:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                stored = _read_int(fd)
                nonce = max(candidate, stored + 1, self._last + 1)
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, str(nonce).encode("ascii"))
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            self._last = nonce
            return nonce


def _read_int(fd: int) -> int:
    raw = os.read(fd, 64).decode("ascii", errors="replace").strip()
    return int(raw) if raw.isdigit() else 0
