"""Appending records: under an exclusive lock, all of a run's lines in one write.

Two runs recording into one file at once are ordered by the lock (``fcntl.flock``): each
reads the file's last line for ``prev`` and appends its complete lines with one
``os.write`` while it holds the lock, then syncs the file, so lines never interleave, none
is lost and the chain stays whole. A write that fails half way is cut back off, so the
file never ends in half a line. Every failure is a :class:`ConfigError` (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping, Sequence
from typing import Any

from aipolicy.errors import ConfigError

from .line import GENESIS, MAX_LINE_BYTES, Unchained, chained, line_digest

#: How much of the file's end is read at a time when looking for its last line.
TAIL_CHUNK = 64 * 1024


def append_records(path: str, items: Sequence[Unchained | Mapping[str, Any]]) -> str:
    """Append ``items`` (record lines without ``prev``: see :func:`.line.entries`) to the
    record file ``path``, creating it if need be; the digest of the last line written
    (the chain's head)."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no way to order two writers
        raise ConfigError("--record needs file locks (fcntl), which this system does not "
                          "have; record on a POSIX system") from None

    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the decision records: "
                          f"{exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{path}: --record names something that is not a regular "
                              "file; name a .jsonl file")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot lock the decision records: "
                              f"{exc.strerror or exc}") from None
        size = os.fstat(fd).st_size
        data, head = chained(items, last_digest(fd, size, path))
        _write_all(fd, data, size, path)
        return head
    finally:
        os.close(fd)  # releases the lock


def last_digest(fd: int, size: int, path: str) -> str:
    """The digest of the last line of the open file (its ``size`` bytes), or
    :data:`GENESIS` when it is empty; a file not ending in a newline is refused."""
    if size == 0:
        return GENESIS
    if os.pread(fd, 1, size - 1) != b"\n":
        raise ConfigError(f"{path}: the decision records end in an incomplete line (a "
                          "write was cut short, or the file was edited); nothing was "
                          "appended: run `aipolicy verify-record` on it and repair it")
    end = size - 1  # the last line's newline
    start = end
    while start > 0:
        step = min(TAIL_CHUNK, start)
        chunk = os.pread(fd, step, start - step)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            start = start - step + cut + 1
            break
        start -= step
        if end - start > MAX_LINE_BYTES:
            raise ConfigError(f"{path}: the last line of the decision records is longer "
                              f"than {MAX_LINE_BYTES:,} bytes: this is no record file")
    return line_digest(os.pread(fd, end - start, start))


def _write_all(fd: int, data: bytes, size: int, path: str) -> None:
    """Write ``data`` at the end and sync; on failure cut the file back to ``size``."""
    view = memoryview(data)
    try:
        while view:
            done = os.write(fd, view)
            view = view[done:]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise ConfigError(f"{path}: cannot write the decision records: "
                          f"{exc.strerror or exc}; nothing was appended") from None
