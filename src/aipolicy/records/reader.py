"""Reading a record file back, strictly: every line checked, the chain followed.

A line that is not a record (not JSON, not an object, a key missing or unknown, a value of
the wrong kind), a line longer than :data:`~.line.MAX_LINE_BYTES`, a last line with no
newline (a write cut short) and a link of the chain that does not hold (a line edited,
removed, inserted or moved) are each a :class:`Problem` with its line number: one bad
line never stops the reading of the others. Only a file that cannot be read at all is
an error (:class:`ConfigError`, exit 2).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from aipolicy.errors import ConfigError

from .line import GENESIS, MAX_LINE_BYTES, line_digest
from .model import RecordLine


@dataclass(frozen=True)
class Entry:
    """A record read back, and its line in the file."""

    line: int
    record: RecordLine


@dataclass(frozen=True)
class Problem:
    """What is wrong at one line of the file."""

    line: int
    message: str
    chain: bool = False  # a break of the chain (else: a line that is no record)


@dataclass(frozen=True)
class Chain:
    """A record file read back."""

    path: str
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    lines: int
    #: the digest of the last whole line (what the next record will name as ``prev``)
    head: str

    @property
    def intact(self) -> bool:
        return not self.problems


def read_chain(path: str) -> Chain:
    """Read the whole record file ``path`` (see :func:`open_records`)."""
    with open_records(path) as reader:
        entries = tuple(reader)
    return reader.chain(entries)


class Records:
    """The records of a file, one at a time (iterate once): the problems found so far,
    the lines read and the chain's head so far are kept as they are read, so that a file
    of any length is verified in bounded memory."""

    def __init__(self, path: str, lines: Iterable[bytes]) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.lines = 0
        #: the digest of the last whole line read (what the next record names as prev)
        self.head = GENESIS
        self._source = iter(lines)

    def __iter__(self) -> Iterator[Entry]:
        expected = GENESIS  # what the next line's prev must be ("": cannot be known)
        problems = self.problems
        for number, raw in enumerate(self._source, start=1):
            self.lines = number
            if len(raw) > MAX_LINE_BYTES:
                problems.append(Problem(number, f"the line is longer than "
                                        f"{MAX_LINE_BYTES:,} bytes: it is no decision "
                                        "record"))
                expected = ""  # the next line cannot be checked against it
                continue
            if not raw.endswith(b"\n"):
                problems.append(Problem(number, "the last line is incomplete (no newline): "
                                        "a write was cut short, or the file was edited; it "
                                        "is not a record"))
                break
            body = raw[:-1]
            record, problem = _record(body)
            expected_here, expected = expected, line_digest(body)
            self.head = expected
            if problem is not None:
                problems.append(Problem(number, problem))
            elif record is not None:
                if expected_here and record.prev != expected_here:
                    problems.append(Problem(number, _broken(number), chain=True))
                yield Entry(number, record)

    def chain(self, entries: tuple[Entry, ...] = ()) -> Chain:
        """What was read, as a :class:`Chain` holding ``entries``."""
        return Chain(self.path, entries, tuple(self.problems), self.lines, self.head)


@contextlib.contextmanager
def open_records(path: str) -> Iterator[Records]:
    """The records of ``path`` as they are read. The file's size is taken under a shared
    lock (where the system has locks), so the reading ends where the last whole run
    written before it ends, and a run appending meanwhile neither waits nor is half read.
    A file that cannot be read is a :class:`ConfigError`."""
    try:
        with open(path, "rb") as fh:
            yield Records(path, _lines(fh, _size_when_whole(fh)))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such record file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a record file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the record file: "
                          f"{exc.strerror or exc}") from None


def _size_when_whole(fh: IO[bytes]) -> int:
    import os

    try:
        import fcntl
    except ImportError:
        return os.fstat(fh.fileno()).st_size
    fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
    try:
        return os.fstat(fh.fileno()).st_size
    finally:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _lines(fh: IO[bytes], size: int) -> Iterator[bytes]:
    """The file's lines within its first ``size`` bytes, each with its newline; a line
    longer than the limit is given as its first bytes (no newline, over the limit) and
    the rest is skipped."""
    left = size
    while left > 0:
        line = fh.readline(min(MAX_LINE_BYTES + 1, left))
        if not line:
            return
        left -= len(line)
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while left > 0:  # skip to the end of the long line
                rest = fh.readline(min(MAX_LINE_BYTES, left))
                left -= len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def parse_lines(path: str, lines: Iterable[bytes]) -> Chain:
    """The records and problems of ``lines`` (each with its newline, as read)."""
    reader = Records(path, lines)
    entries = tuple(reader)
    return reader.chain(entries)


def _broken(number: int) -> str:
    if number == 1:
        return ("the chain is broken: the first line does not start a chain (its prev is "
                "not the genesis value): lines before it were removed")
    return (f"the chain is broken: this line's prev is not the digest of line "
            f"{number - 1}: a line before it was edited, removed, inserted or moved")


def _record(body: bytes) -> tuple[RecordLine | None, str | None]:
    """The record on one line, or why the line is none."""
    from pydantic import ValidationError

    if not body.strip():
        return None, "an empty line: it is no decision record"
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        return None, "the line is not UTF-8 text: it is no decision record"
    except (ValueError, RecursionError) as exc:
        where = f" (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "too deeply nested"
        return None, f"the line is not valid JSON: {reason}{where}"
    if not isinstance(data, dict):
        return None, "the line is not a JSON object: it is no decision record"
    try:
        return RecordLine.model_validate(data), None
    except ValidationError as exc:
        said = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err["loc"]) or "the record"
            said.append(f"{where}: {err['msg']}" if err["type"] != "extra_forbidden"
                        else f"unknown key {where}")
        more = exc.error_count() - len(said)
        tail = f" (and {more} more)" if more > 0 else ""
        return None, "not a decision record: " + "; ".join(said) + tail
