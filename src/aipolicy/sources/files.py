"""Reading input files: regular files only, within a size limit, as UTF-8 text.

Every intake, pack, form and waiver file is opened here (and nowhere else), refusing
directories, devices, FIFOs and oversized files before anything is parsed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from aipolicy.errors import Location, SourceError

PathKey = tuple[str | int, ...]


#: File name endings treated as intake/pack/waiver documents when a directory is given.
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from costing more than it is worth."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 200_000


DEFAULT_LIMITS = Limits()


#: Bytes read beyond a file's size as ``stat`` gave it, in case it grew meanwhile.
READ_SLACK = 64 * 1024


def read_bytes(path: str, limits: Limits = DEFAULT_LIMITS, *, follow: bool = True) -> bytes:
    """Read a regular file, refusing directories, devices and oversized files.

    With ``follow`` false the file itself must not be a symbolic link (it was none when
    found: one swapped in since is refused, not followed).
    """
    import stat as stat_mod

    loc = Location(path)
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        raise SourceError("file not found", loc) from None
    except OSError as exc:
        raise SourceError(link_error(exc), loc) from None
    if stat_mod.S_ISDIR(st.st_mode):
        raise SourceError("is a directory, not a file", loc)
    if not stat_mod.S_ISREG(st.st_mode):
        raise SourceError("is not a regular file", loc)
    if st.st_size > limits.max_bytes:
        raise SourceError(
            f"file is {st.st_size:,} bytes, more than the limit of {limits.max_bytes:,}; "
            "split it or raise the limit",
            loc,
        )
    flags = _NONBLOCK | (0 if follow else _NOFOLLOW)
    try:
        with open(path, "rb", opener=lambda name, mode: os.open(name, mode | flags)) as fh:
            if not stat_mod.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since stat
                raise SourceError("is not a regular file", loc)
            # what the size promises and a little more (a file may grow): never a buffer
            # of --max-file-size bytes, which may be a gigabyte for a one-line file
            data = fh.read(min(limits.max_bytes, st.st_size + READ_SLACK) + 1)
            if len(data) <= limits.max_bytes and len(data) > st.st_size + READ_SLACK:
                data += fh.read(limits.max_bytes + 1 - len(data))
    except OSError as exc:
        raise SourceError(link_error(exc), loc) from None
    if len(data) > limits.max_bytes:
        raise SourceError(f"file is larger than the limit of {limits.max_bytes:,} bytes", loc)
    return data


#: Opening never waits on a FIFO swapped in for a file, nor follows a link swapped in.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def decode_text(raw: bytes, path: str) -> str:
    """UTF-8 text (a BOM is allowed); binary content and other encodings are errors."""
    nul = raw.find(b"\x00")
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        raise SourceError(
            "file contains NUL bytes: it looks binary, not a YAML text file",
            Location(path, line),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            Location(path, line),
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def link_error(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return ("cannot read the file: it is a symbolic link that loops (it leads back to "
                "itself); replace it with the file it should name")
    return f"cannot read the file: {exc.strerror or exc}"


def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """A text file's content (UTF-8), with the same checks as any other file."""
    return decode_text(read_bytes(str(path), limits), str(path))


