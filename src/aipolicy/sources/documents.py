"""One parsed document (``SourceDoc``): its data and where each value came from.

Each file is read once and parsed in one pass into plain data (dicts, lists, str, int,
float, bool, None) plus a line index (see :mod:`aipolicy.sources.yaml12`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aipolicy.errors import Location, SourceError

from .files import (
    DEFAULT_LIMITS,
    Limits,
    PathKey,
    decode_text,
    read_bytes,
)
from .yaml12 import parse_yaml


@dataclass(frozen=True)
class SourceDoc:
    """One parsed file: its data and where each value came from.

    ``lines`` maps a path of keys and indexes to its (line, column).  A document read
    with :func:`load_json_document` computes it only when first asked for.
    """

    path: str
    data: Any
    _lines: dict[PathKey, tuple[int, int]] | None = field(repr=False, compare=False)
    digest: str
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict[PathKey, tuple[int, int]]:
        if self._lines is None:
            try:
                _data, found = parse_yaml(self._text or "", self.path)
            except SourceError:
                found = {(): (1, 1)}
            object.__setattr__(self, "_lines", found)
            return found
        return self._lines

    def position(self, path: Iterable[str | int]) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest ancestor present in the file."""
        lines = self.lines
        key = tuple(path)
        while key:
            found = lines.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return lines.get((), (1, 1))

    def line_of(self, path: Iterable[str | int]) -> int:
        return self.position(path)[0]


def load_document(path: str, limits: Limits = DEFAULT_LIMITS) -> SourceDoc:
    """Read and parse one YAML or JSON file; raises :class:`SourceError`."""
    return parse_document(read_bytes(path, limits), path, limits)


def parse_document(raw: bytes | str, path: str, limits: Limits = DEFAULT_LIMITS) -> SourceDoc:
    """Parse content already in memory, named ``path`` in messages (no file is read)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > limits.max_bytes:
        raise SourceError(f"the document is larger than the limit of {limits.max_bytes:,} "
                          "bytes", Location(path))
    text = decode_text(raw, path)
    data, lines = parse_yaml(text, path, limits)
    return SourceDoc(path, data, lines, "sha256:" + hashlib.sha256(raw).hexdigest())


def load_json_document(path: str, limits: Limits = DEFAULT_LIMITS) -> SourceDoc:
    """Read a JSON file fast (the C json parser); line marks are computed on demand.

    Used for the intake form, read on every run; anything that is not plain JSON falls
    back to :func:`load_document`.
    """
    import json

    raw = read_bytes(path, limits)
    text = decode_text(raw, path)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            raise ValueError("duplicate key")
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return parse_document(raw, path, limits)
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    return SourceDoc(path, data, None, digest, text)
