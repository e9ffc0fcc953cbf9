"""Where aipolicy remembers work it need not repeat: a content-addressed disk cache.

The cache belongs to the operator: entries are read and written without following links,
never block, and a broken or oversized entry is a miss, never an error."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """Where aipolicy remembers work it need not repeat (``$AIPOLICY_CACHE_DIR``)."""
    configured = os.environ.get("AIPOLICY_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aipolicy"


#: The largest cache entry read or written: 64 MiB. A larger one is a miss (the pack is
#: compiled from its files), never an error.
MAX_CACHE_ENTRY = 64 * 1024 * 1024


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _cache_file(kind: str, key: str) -> Path:
    return cache_dir() / kind / key.replace(":", "-")


def cache_has(kind: str, key: str) -> bool:
    """Whether ``key`` (a content digest) was recorded under ``kind`` (a regular file,
    not a link)."""
    import stat

    try:
        return stat.S_ISREG(os.lstat(_cache_file(kind, key)).st_mode)
    except (OSError, ValueError):
        return False


def cache_add(kind: str, key: str) -> None:
    """Record ``key`` under ``kind``; a cache that cannot be written is simply not used.

    The marker is created exclusively and never through a link: an existing entry, of
    whatever kind, is left as it is.
    """
    target = _cache_file(kind, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC,
                     0o666)
        os.close(fd)
    except (OSError, ValueError):
        pass


def cache_get(kind: str, key: str) -> str | None:
    """Text recorded under ``kind``/``key``, or None: a missing, linked, special, oversized
    or non-UTF-8 entry is a miss. Reading never blocks (a FIFO) and never follows a link."""
    import stat

    try:
        fd = os.open(_cache_file(kind, key),
                     os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_ENTRY:
            return None
        chunks = []
        left = MAX_CACHE_ENTRY + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            return None
        return b"".join(chunks).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def cache_put(kind: str, key: str, text: str) -> None:
    """Record text atomically; a cache that cannot be written is simply not used.

    The temporary file is created exclusively with an unpredictable name beside the entry
    (never through a link) and removed if anything fails, a full disk included.
    """
    import tempfile

    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_CACHE_ENTRY:
        return
    target = _cache_file(kind, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=target.parent)
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(partial, target)
    except BaseException as exc:  # a full disk, or an interrupt: no partial file is left
        with contextlib.suppress(OSError):
            os.unlink(partial)
        if not isinstance(exc, (OSError, ValueError)):
            raise
