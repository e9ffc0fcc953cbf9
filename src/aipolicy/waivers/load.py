"""Reading waiver files: one file, or every .yaml/.yml file of a directory.

Each file is read as any input is (:func:`aipolicy.sources.documents.load_document`: size
limits, safe YAML 1.2, the line of every value) and checked against the waiver format
(:mod:`aipolicy.waivers.model`). A waiver that cannot be read cannot be applied, and a run
that silently skipped it could fail a submission the risk team meant to let through, or
the other way round: a malformed file, an unknown key, a bad date or two waivers with one
id is a :class:`~aipolicy.errors.ConfigError` with file:line (exit 2), before any
submission is evaluated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aipolicy.errors import ConfigError, Location, SourceError
from aipolicy.sources.discovery import iter_documents
from aipolicy.sources.documents import SourceDoc, parse_document
from aipolicy.sources.files import DEFAULT_LIMITS, Limits, read_bytes
from aipolicy.wording import quoted

from .spec import WaiverSpec

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

#: How much of a value a message quotes.
QUOTED = 60


@dataclass(frozen=True)
class LoadedWaiver:
    """A waiver and where it is written."""

    waiver: WaiverSpec
    file: str
    line: int


@dataclass(frozen=True)
class WaiverFile:
    """A waiver file read: its path, the digest of its bytes, its waivers."""

    path: str
    digest: str
    waivers: tuple[LoadedWaiver, ...]


def waiver_paths(path: str) -> list[str]:
    """The waiver files ``path`` names: itself, or the YAML files of the directory."""
    if not os.path.exists(path):
        raise ConfigError(f"{path}: no such waiver file or directory")
    if not os.path.isdir(path):
        return [path]
    return [f for f in iter_documents([path]) if f.endswith((".yaml", ".yml"))]


def load_waivers(path: str, limits: Limits = DEFAULT_LIMITS) -> tuple[WaiverFile, ...]:
    """Every waiver file under ``path``, checked; a ConfigError for the first problem
    (then every other problem of that file, one a line)."""
    files = tuple(read_waiver_file(p, limits) for p in waiver_paths(path))
    first: dict[str, LoadedWaiver] = {}
    for file in files:
        for loaded in file.waivers:
            seen = first.setdefault(loaded.waiver.id, loaded)
            if seen is not loaded:
                raise ConfigError(
                    f"waiver id '{quoted(loaded.waiver.id, QUOTED)}' is used twice (first "
                    f"at {seen.file}:{seen.line}); give each waiver an id of its own",
                    Location(loaded.file, loaded.line))
    return files


def read_waiver_file(path: str, limits: Limits = DEFAULT_LIMITS) -> WaiverFile:
    """One waiver file, checked; a file checked before (the same bytes, the same
    aipolicy) is rebuilt from the cache without parsing or validating it again."""
    import hashlib

    from aipolicy._version import __version__
    from aipolicy.cache import cache_get, cache_put

    from . import spec

    try:
        raw = read_bytes(path, limits)
        digest = "sha256:" + hashlib.sha256(raw).hexdigest()
        key = "sha256:" + hashlib.sha256(f"{__version__}\n{digest}".encode()).hexdigest()
        cached = cache_get("waivers", key)
        if cached is not None:
            try:
                found = spec.thaw(cached)
                return WaiverFile(path, digest, tuple(LoadedWaiver(w, path, line)
                                                      for w, line in found))
            except Exception:  # a damaged entry is a miss, never an error
                pass
        doc = parse_document(raw, path, limits)
    except SourceError as exc:
        raise ConfigError(f"cannot read the waiver file: {exc.message}",
                          exc.location or Location(path)) from None
    waivers = parse_waivers(doc)
    cache_put("waivers", key, spec.freeze([(w.waiver, w.line) for w in waivers]))
    return WaiverFile(path, digest, waivers)


def parse_waivers(doc: SourceDoc) -> tuple[LoadedWaiver, ...]:
    """The waivers of a parsed waiver file (pure)."""
    from pydantic import ValidationError

    from .model import Waiver, WaiverList

    data = doc.data
    if not isinstance(data, dict):
        raise ConfigError("a waiver file holds one waiver (a mapping of id:, rule:, "
                          "use_case_id: ...) or a list of them under `waivers:`",
                          Location(doc.path, 1))
    many = "waivers" in data
    try:
        found = (WaiverList.model_validate(data).waivers if many
                 else (Waiver.model_validate(data),))
    except ValidationError as exc:
        problems = sorted((_problem(doc, err) for err in exc.errors(include_url=False)),
                          key=lambda p: (p[0].line or 0, p[0].column or 0))
        (loc, first), *rest = problems
        if rest:  # one message a line would be escaped: the first, and where the others are
            lines = ", ".join(str(where.line) for where, _ in rest)
            first += (f" (and {len(rest)} more problem{'s' if len(rest) > 1 else ''} in "
                      f"this file, at line{'s' if len(rest) > 1 else ''} {lines})")
        raise ConfigError(first, loc) from None
    return tuple(LoadedWaiver(w.spec(), doc.path,
                              doc.line_of(("waivers", i) if many else ()))
                 for i, w in enumerate(found))


def _problem(doc: SourceDoc, err: ErrorDetails) -> tuple[Location, str]:
    """One validation error as (where, message): the waiver's id, the field's title, the
    value given and what to do."""
    from .model import TITLES

    loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    line, column = doc.position(loc)
    where = Location(doc.path, line, column)
    head = _which(doc.data, loc)
    fields = [p for p in loc if isinstance(p, str) and p != "waivers"]
    kind = err["type"]
    if kind == "extra_forbidden":
        known = ", ".join(k for k in TITLES if k not in ("name", "email"))
        return where, (f"{head}unknown key '{quoted(str(loc[-1]), QUOTED)}'; a waiver has "
                       f"the keys {known} (owner and approver: name, email)")
    title = " › ".join(TITLES.get(f, f) for f in fields) or "the waiver"
    if kind == "missing":
        return where, f"{head}{title} ({'.'.join(fields)}) is missing; add it"
    given = _value(doc.data, loc)
    if kind in ("string_too_short", "too_short") or given == "":
        return where, f"{head}{title} is empty; fill it in"
    shown = f" (given: {quoted(str(given), QUOTED)})" if given is not None else ""
    msg = str(err["msg"]).replace("Value error, ", "")
    if kind == "string_pattern_mismatch":
        msg = _PATTERN_HELP.get(fields[-1] if fields else "", msg)
    return where, f"{head}{title}: {msg}{shown}"


_PATTERN_HELP = {
    "email": "must be an e-mail address, such as jane.doe@example.com",
    "rule": "must be a rule id of the pack, such as AIP003 or HR-FRIA-MISSING",
    "control": "must be a control id, such as CTRL-FRIA",
    "controls": "must be control ids, such as CTRL-FRIA",
}


def _which(data: Any, loc: tuple[str | int, ...]) -> str:
    """``waiver W-1: `` (or ``waiver #2: ``) for the waiver an error is in."""
    item: Any = data
    label = ""
    if loc[:1] == ("waivers",) and len(loc) > 1 and isinstance(loc[1], int):
        items = data.get("waivers") if isinstance(data, dict) else None
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        label = f"#{loc[1] + 1}"
    wid = item.get("id") if isinstance(item, dict) else None
    if isinstance(wid, str) and wid.strip():
        label = quoted(wid.strip(), QUOTED)
    return f"waiver {label}: " if label else ""


def _value(data: Any, loc: tuple[str | int, ...]) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node if isinstance(node, (str, int, float, bool)) else None
