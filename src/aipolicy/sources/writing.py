"""Writing files: reports (``--output``), templates and scaffolds, never half a file.

* A regular file is written through a temporary file beside it, created exclusively and
  renamed over it, so a reader sees the old content or the new, never half; the new file
  keeps the mode of the one it replaces, or takes the umask's (``0o666 & ~umask``).
* A device, FIFO or socket is written in place: ``-o /dev/null`` never replaces the null
  device with a regular file.
* A symbolic link is written through: its target is replaced, never the link itself.
* ``-`` is standard output; the caller handles it.

Every failure raises :class:`~aipolicy.errors.ConfigError` with one plain message (exit 2).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable

from aipolicy.errors import ConfigError

STDOUT = "-"


def umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # not thread safe; the CLI writes from one thread
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "its directory does not exist"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno == errno.EISDIR:
        return "it is a directory"
    if exc.errno == errno.EEXIST:
        return "a file stands where a directory is needed"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a directory"
    return exc.strerror or type(exc).__name__


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so readers never see half.

    ``path`` itself is replaced (a link there is replaced, not followed): callers that
    mean to write through links resolve them first (:func:`write_output`).
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        old = os.lstat(path)
    except OSError:
        old = None
    # the file it replaces keeps its mode; a new one gets what the umask allows
    mode = (stat.S_IMODE(old.st_mode) if old is not None and stat.S_ISREG(old.st_mode)
            else 0o666 & ~umask())
    import tempfile  # not at start-up: it imports shutil, random and the compressors

    fd, tmp = tempfile.mkstemp(prefix=".aipolicy-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_in_place(path: str, text: str) -> None:
    """A device or FIFO: opened for writing as it is (no temporary, no rename)."""
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def input_clash(path: str, inputs: Iterable[str]) -> str | None:
    """The input file that ``path`` is (after links), or None."""
    try:
        mine = os.stat(path)
    except OSError:
        return None  # it does not exist (yet), so nothing read it
    if not stat.S_ISREG(mine.st_mode):
        return None
    for candidate in inputs:
        try:
            if _same(mine, os.stat(candidate)):
                return candidate
        except OSError:
            continue
    return None


def walked_clash(path: str, trees: Iterable[str]) -> str | None:
    """The scanned directory that ``path`` would be found in as a submission, or None: a
    report named ``*.yaml``, ``*.yml`` or ``*.json`` inside a directory the run walks
    would be read by the next run as a submission."""
    if not path.lower().endswith((".yaml", ".yml", ".json")):
        return None
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    for tree in trees:
        if not os.path.isdir(tree):
            continue
        root = os.path.realpath(tree)
        if folder == root or folder.startswith(root.rstrip(os.sep) + os.sep):
            return tree
    return None


def write_output(path: str, text: str, *, inputs: Iterable[str] = (),
                 trees: Iterable[str] = (), what: str = "the report") -> None:
    """Write ``text`` to ``path`` as ``--output`` does (see the module's docstring).

    ``inputs`` are the files the run read: writing over one of them is refused. ``trees``
    are the directories it walked: a report that the next run would read from one of them
    as a submission is refused too.
    """
    clash = input_clash(path, inputs)
    if clash is not None:
        raise ConfigError(f"{path}: --output names a file this run reads ({clash}); "
                          f"{what} would overwrite it; choose another file")
    tree = walked_clash(path, trees)
    if tree is not None:
        raise ConfigError(f"{path}: --output is inside {tree}, which this command reads: "
                          f"the next run would read {what} as a submission; write it "
                          "outside the intake tree")
    real = os.path.realpath(path)  # through links: the target is written, not the link
    try:
        found = os.stat(real)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write {what}: {_reason(exc)}") from None
    try:
        if found is not None and stat.S_ISDIR(found.st_mode):
            raise ConfigError(f"{path}: cannot write {what}: it is a directory; name a file")
        if found is not None and stat.S_ISSOCK(found.st_mode):
            raise ConfigError(f"{path}: cannot write {what}: it is a socket; name a file")
        if found is not None and not stat.S_ISREG(found.st_mode):
            _write_in_place(real, text)  # character or block device, FIFO
        else:
            write_atomically(real, text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write {what}: {_reason(exc)}") from None


def write_new(path: str, text: str, *, what: str) -> None:
    """Create ``path`` (and its missing directories) with ``text``; plain message on error."""
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_atomically(path, text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write {what}: {_reason(exc)}") from None


def append_text(path: str, text: str, *, what: str) -> None:
    """Append to ``path`` (the job summary); failures are one plain message."""
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write {what}: {_reason(exc)}") from None
