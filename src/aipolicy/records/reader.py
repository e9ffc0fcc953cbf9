"""Reading a record file back, strictly: every line checked, the chain followed.

A line that is not a record (not JSON, not an object, a key missing or unknown, a value of
the wrong kind), a line longer than :data:`~.line.MAX_LINE_BYTES`, a last line with no
newline (a write cut short) and a link of the chain that does not hold (a line edited,
removed, inserted or moved) are each a :class:`Problem` with its line number: one bad
line never stops the reading of the others. Only a file that cannot be read at all is
an error (:class:`ConfigError`, exit 2).
"""

from __future__ import annotations

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
    """Read the record file ``path`` (under a shared lock where the system has them, so
    never half of a run's lines)."""
    try:
        with open(path, "rb") as fh:
            try:
                import fcntl
            except ImportError:
                pass
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
            return parse_lines(path, _lines(fh))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such record file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a record file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the record file: "
                          f"{exc.strerror or exc}") from None


def _lines(fh: IO[bytes]) -> Iterator[bytes]:
    """The file's lines, each with its newline; a line longer than the limit is given
    as its first bytes (no newline, over the limit) and the rest is skipped."""
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip to the end of the long line
                rest = fh.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def parse_lines(path: str, lines: Iterable[bytes]) -> Chain:
    """The records and problems of ``lines`` (each with its newline, as read)."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    expected = GENESIS  # what the next line's prev must be ("": cannot be known)
    head = GENESIS
    count = 0
    for number, raw in enumerate(lines, start=1):
        count = number
        if len(raw) > MAX_LINE_BYTES:
            problems.append(Problem(number, f"the line is longer than {MAX_LINE_BYTES:,} "
                                    "bytes: it is no decision record"))
            expected = ""  # the next line cannot be checked against it
            continue
        if not raw.endswith(b"\n"):
            problems.append(Problem(number, "the last line is incomplete (no newline): a "
                                    "write was cut short, or the file was edited; it is "
                                    "not a record"))
            break
        body = raw[:-1]
        record, problem = _record(body)
        if problem is not None:
            problems.append(Problem(number, problem))
        elif record is not None:
            if expected and record.prev != expected:
                problems.append(Problem(number, _broken(number), chain=True))
            entries.append(Entry(number, record))
        expected = head = line_digest(body)
    return Chain(path, tuple(entries), tuple(problems), count, head)


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
