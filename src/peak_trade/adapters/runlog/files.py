"""Low-level file writing for the run log: whole writes, atomic replacement, and telling whether
the file a handle holds is still the one at its path (not deleted, not replaced).

`write` and `fsync` are parameters so tests can inject a full disk or an I/O error exactly where
they want it (the writer passes its own hooks through).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

WriteFn = Callable[[int, memoryview], int]
FsyncFn = Callable[[int], None]


def write_all(fd: int, data: bytes, write: WriteFn = os.write) -> None:
    """Write every byte of `data` (a short write is continued; an error is raised)."""
    view = memoryview(data)
    while view:
        written = write(fd, view)
        view = view[written:]


def fsync_dir(directory: Path) -> None:
    """Make a directory entry change (a create, a rename) durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(
    path: Path, data: bytes, *, write: WriteFn = os.write, fsync: FsyncFn = os.fsync
) -> None:
    """Replace `path` with `data` via a temp file, fsync and os.replace: a reader sees the old
    or the new file, never half of one. On any failure the temp file is removed (a full disk
    leaves nothing behind) and the error raised."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_all(fd, data, write)
            fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def json_bytes(obj: Mapping[str, Any]) -> bytes:
    """`obj` (JSON-ready) as indented UTF-8 JSON with a final newline."""
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@attrs.frozen
class FileIdentity:
    """Which file a path named when it was opened (device and inode)."""

    device: int
    inode: int

    @classmethod
    def of_handle(cls, fd: int) -> FileIdentity:
        st = os.fstat(fd)
        return cls(st.st_dev, st.st_ino)

    def still_at(self, path: Path, fd: int | None) -> bool:
        """True while `path` is this file and the handle's file (if any) is not unlinked."""
        try:
            current = os.stat(path)
        except FileNotFoundError:
            return False
        if (current.st_dev, current.st_ino) != (self.device, self.inode):
            return False
        return fd is None or os.fstat(fd).st_nlink > 0
