"""Finding the documents to read: a sorted walk of the directories given.

Hidden entries, linked directories and what the caller skips (the form, the pack, the
waivers) are left out; a link must lead inside the tree given; a directory that cannot be
listed fails closed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aipolicy.errors import ConfigError, Location, SourceError

from .documents import SourceDoc, parse_document
from .files import (
    DEFAULT_LIMITS,
    DOCUMENT_SUFFIXES,
    Limits,
    link_error,
    read_bytes,
)


@dataclass(frozen=True)
class Found:
    """A document that discovery found, as named (its ``path`` is never rewritten).

    ``within`` holds the real paths its own real path must lie in when it is a symbolic
    link (``tree`` names them in messages); a file that was no link when found is read
    without following one. ``problem`` says why it cannot be read at all (a directory
    that cannot be listed): it is reported for that path and nothing is opened.
    """

    path: str
    within: tuple[str, ...] = ()
    tree: str = ""
    problem: str | None = None


def load_found(found: Found, limits: Limits = DEFAULT_LIMITS) -> SourceDoc:
    """Read and parse a document that discovery found, within its tree; raises
    :class:`SourceError` (also for ``found.problem``)."""
    if found.problem is not None:
        raise SourceError(found.problem, Location(found.path))
    if found.within:
        _check_within(found.path, found.within, found.tree)
        raw = read_bytes(found.path, limits)
    else:
        raw = read_bytes(found.path, limits, follow=False)
    return parse_document(raw, found.path, limits)


def _check_within(path: str, within: tuple[str, ...], tree: str) -> None:
    """Refuse a link whose target lies outside ``within`` (before anything is opened)."""
    try:
        real = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return  # dangling: reading it says "file not found"
    except OSError as exc:
        raise SourceError(link_error(exc), Location(path)) from None
    if not any(_inside(real, root) for root in within):
        raise SourceError(
            f"is a link to a file outside {tree}; aipolicy reads only files inside the "
            "tree it is given: copy the file into the tree instead of linking to it",
            Location(path),
        )


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def discover(paths: Iterable[str], *, skip: Iterable[str] = ()) -> list[Found]:
    """Expand files and directories into the documents to read, in a stable order.

    Files named explicitly are kept as given (whatever their ending), and so is a
    directory named like a document (``x.yaml/``), which then fails to read as one.
    Other directories are walked (sorted) for ``.yaml``/``.yml``/``.json`` files,
    leaving out hidden entries, symbolically linked directories (never followed) and
    whatever ``skip`` names below the directory given: files (the form) and
    directories (the pack, waivers, approvals), compared by real path. A directory
    that cannot be listed is a :class:`Found` with a ``problem``: it fails closed.

    A link found while walking must lead inside the directory given; one named
    explicitly inside the current directory or its own directory.
    """
    skipped = frozenset(_real(p) for p in skip)
    here = _real(os.curdir)
    seen: set[str] = set()
    out: list[Found] = []
    for given in paths:
        if os.path.isdir(given) and not given.endswith(DOCUMENT_SUFFIXES):
            found = _walk(given, skipped)
        elif os.path.lexists(given):
            within = ((here, _real(os.path.dirname(given) or os.curdir))
                      if os.path.islink(given) else ())
            found = [(Found(given, within, "the current directory and the link's own "
                            "directory"), _real(given))]
        else:
            raise ConfigError(f"{given}: no such file or directory")
        for item, real in found:
            if real not in seen:
                seen.add(real)
                out.append(item)
    return out


def iter_documents(paths: Iterable[str], *, exclude: Iterable[str] = ()) -> Iterator[str]:
    """The paths :func:`discover` finds (for a pack); a directory that cannot be listed
    is a :class:`ConfigError`."""
    for found in discover(paths, skip=exclude):
        if found.problem is not None:
            raise ConfigError(f"{found.path}: {found.problem}")
        yield found.path


def _real(path: str) -> str:
    try:
        return os.path.realpath(path)
    except OSError:  # a link loop (some Python versions raise)
        return os.path.abspath(path)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: reading it says so
        return False


def _walk(top: str, skipped: frozenset[str]) -> list[tuple[Found, str]]:
    """(found, real path) of the documents under ``top``, sorted by path: each
    directory's real path is resolved once (not per file), a link's on its own."""
    root = _real(top)
    within = (root,)
    out: list[tuple[Found, str]] = []
    pending = [(top, root)]
    while pending:
        here, real_here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as exc:
            out.append((Found(here, problem=(
                f"cannot read the directory: {exc.strerror or exc}; nothing in it was "
                "checked: make it readable (or remove it)")), real_here))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = os.path.join(here, name)
            real = os.path.join(real_here, name)
            if entry.is_symlink():
                if _is_dir(entry) or not name.endswith(DOCUMENT_SUFFIXES):
                    continue  # linked directories are not followed
                real = _real(path)
                if real not in skipped:
                    out.append((Found(path, within, top), real))
            elif _is_dir(entry):
                if real not in skipped:
                    pending.append((path, real))
            elif name.endswith(DOCUMENT_SUFFIXES) and real not in skipped:
                out.append((Found(path), real))
    out.sort(key=lambda item: item[0].path)
    return out
