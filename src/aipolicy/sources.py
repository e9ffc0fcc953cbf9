"""Reading files: the only module that opens intake, pack, form and waiver files.

Each file is read once and parsed in one pass into plain data (dicts, lists, str, int,
float, bool, None) plus a line index, using libyaml's event stream when available.  The
YAML rules are those of YAML 1.2's core schema, which is what editors use and what a
person means:

* only ``true``/``false`` are booleans; ``yes``, ``no``, ``on``, ``off`` stay text;
* dates such as ``2027-01-31`` stay text (the form checks their format);
* ``1e25`` is a number;
* no tag ever constructs an object: the standard ``!!str``/``!!int``/... tags are
  honoured, every other tag is an error naming it;
* duplicate keys, merge keys (``<<``), more than one document, alias expansion beyond a
  budget and nesting beyond a depth are errors with their line.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, Location, SourceError

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


# --------------------------------------------------------------------------- reading


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
        raise SourceError(_link_error(exc), loc) from None
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
        raise SourceError(_link_error(exc), loc) from None
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
        raise SourceError(_link_error(exc), Location(path)) from None
    if not any(_inside(real, root) for root in within):
        raise SourceError(
            f"is a link to a file outside {tree}; aipolicy reads only files inside the "
            "tree it is given: copy the file into the tree instead of linking to it",
            Location(path),
        )


def _link_error(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return ("cannot read the file: it is a symbolic link that loops (it leads back to "
                "itself); replace it with the file it should name")
    return f"cannot read the file: {exc.strerror or exc}"


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


def read_text(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """A text file's content (UTF-8), with the same checks as any other file."""
    return decode_text(read_bytes(str(path), limits), str(path))


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


def package_data(*parts: str) -> Path:
    """A file of the starter content shipped with the package.

    In a wheel it lives in ``aipolicy/_starter``; in a source checkout (editable
    install) it is read from the repository's ``policies/`` and ``intake/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here.joinpath("_starter", *parts)
    if packaged.exists():
        return packaged
    return here.parent.parent.joinpath(*parts)


# --------------------------------------------------------------------------- YAML

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_FIRST_NUMERIC = frozenset("-+.0123456789")

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))
_COLLECTION_TAGS = frozenset((_TAG + "map", _TAG + "seq", "!"))


def _plain_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if not value or value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] in _FIRST_NUMERIC or value[:2] in ("0o", "0x"):
        try:
            if _INT.match(value):
                return int(value)
            if _INT_OCT.match(value):
                return int(value[2:], 8)
            if _INT_HEX.match(value):
                return int(value[2:], 16)
            if _FLOAT.match(value):
                return float(value)
        except ValueError:  # an integer with thousands of digits
            return value
    return value


def _tagged_scalar(tag: str, value: str) -> Any:
    if tag == _TAG + "str" or tag == "!":
        return value
    resolved = _plain_scalar(value)
    wanted = tag[len(_TAG) :]
    ok = {
        "int": isinstance(resolved, int) and not isinstance(resolved, bool),
        "float": isinstance(resolved, (int, float)) and not isinstance(resolved, bool),
        "bool": isinstance(resolved, bool),
        "null": resolved is None,
    }[wanted]
    if not ok:
        raise ValueError(f"'{value}' is not a valid !!{wanted}")
    return float(resolved) if wanted == "float" else resolved


def _tag_error(tag: str) -> str:
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    return (
        f"the YAML tag {shown} is not allowed: aipolicy never builds objects from tags; "
        "remove the tag and write a plain value"
    )


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("container", "key", "key_pos", "keys", "path", "size", "start")

    def __init__(self, container: Any, path: PathKey, start: tuple[int, int]) -> None:
        self.container = container
        self.path = path
        self.start = start
        self.key: str | None = None
        self.key_pos: tuple[int, int] = (0, 0)
        self.keys: dict[str, int] | None = {} if isinstance(container, dict) else None
        self.size = 1


def parse_yaml(
    text: str, path: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    """Parse one YAML document into data and a ``path → (line, column)`` index."""
    import yaml

    loader_cls = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    loader = loader_cls(text)
    try:
        return _build(loader, path, limits)
    except yaml.MarkedYAMLError as exc:
        from ._yaml_messages import explain

        problem, line, col = explain(text, exc)
        error = SourceError(f"not valid YAML: {problem}", Location(path, line, col))
    except yaml.reader.ReaderError as exc:
        pos = max(0, int(getattr(exc, "position", 0)))
        line = text.count("\n", 0, pos) + 1
        error = SourceError(f"not valid YAML: {exc.reason} (character {exc.character!r})",
                            Location(path, line))
    except yaml.YAMLError as exc:
        error = SourceError(f"not valid YAML: {exc}", Location(path))
    finally:
        loader.dispose()
    if text.lstrip()[:1] in ("{", "["):
        return _parse_json(text, path, limits, error)
    raise error


def _parse_json(
    text: str, path: str, limits: Limits, yaml_error: SourceError
) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    """JSON that YAML refuses (control characters, astral escapes): read it as JSON."""
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ValueError(f"duplicate key '{key}'; keep only one")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs,
                          parse_constant=lambda c: _raise(f"{c} is not a JSON number"))
    except json.JSONDecodeError:
        raise yaml_error from None
    except (ValueError, RecursionError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else "nesting is too deep"
        raise SourceError(f"not valid JSON: {message}", Location(path, 1)) from None
    if _depth(data, limits.max_depth) > limits.max_depth:
        raise SourceError(f"nesting is deeper than {limits.max_depth} levels",
                          Location(path, 1))
    if data is None:
        raise SourceError("the file is empty: it has no content", Location(path, 1))
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # half of a character: not text, and YAML refuses it too
        lone = _LONE_SURROGATE.search(text)
        start = lone.start() if lone is not None else 0
        line = text.count("\n", 0, start) + 1
        column = start - text.rfind("\n", 0, start)
        raise SourceError("not valid JSON: a \\u escape writes half of a character (a lone "
                          "surrogate); write the whole character",
                          Location(path, line, column)) from None
    return data, {(): (1, 1)}


#: a \u escape of a UTF-16 surrogate without its other half
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _raise(message: str) -> Any:
    raise ValueError(message)


def _depth(value: Any, limit: int) -> int:
    depth, level = 0, [value]
    while level and depth <= limit:
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        if nxt:
            depth += 1
        level = nxt
    return depth


def _build(
    loader: Any, path: str, limits: Limits
) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    import yaml.events as ev

    lines: dict[PathKey, tuple[int, int]] = {(): (1, 1)}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    root: Any = None
    have_root = False
    documents = 0
    nodes = 0
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    get_event = loader.get_event
    anchor_stack: list[str | None] = []

    def fail(message: str, mark: Any) -> SourceError:
        return SourceError(message, Location(path, mark.line + 1, mark.column + 1))

    def attach(value: Any, mark: Any, size: int, anchor: str | None) -> None:
        nonlocal root, have_root
        if anchor:
            anchors[anchor] = (value, size)
        if not stack:
            root, have_root = value, True
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if frame.keys is None:
            lines[(*frame.path, len(container))] = (mark.line + 1, mark.column + 1)
            container.append(value)
            return
        if frame.key is None:  # this value is a key
            if not isinstance(value, str):
                raise fail("a mapping key must be a plain text value", mark)
            first = frame.keys.get(value)
            if first is not None:
                raise fail(
                    f"duplicate key '{value}' (first defined on line {first}); "
                    "keep only one",
                    mark,
                )
            frame.keys[value] = mark.line + 1
            frame.key = value
            frame.key_pos = (mark.line + 1, mark.column + 1)
            return
        lines[(*frame.path, frame.key)] = frame.key_pos
        container[frame.key] = value
        frame.key = None

    def child_path(mark: Any) -> PathKey:
        if not stack:
            return ()
        frame = stack[-1]
        if frame.keys is None:
            return (*frame.path, len(frame.container))
        if frame.key is None:
            raise fail("a mapping key must be a plain text value, not a list or mapping", mark)
        return (*frame.path, frame.key)

    while True:
        event = get_event()  # None after the end of the stream
        if event is None:
            break
        kind = type(event)
        if kind is ev.ScalarEvent:
            nodes += 1
            tag = event.tag
            value = event.value
            top = stack[-1] if stack else None
            if top is not None and top.key is None and top.keys is not None:
                if tag is not None and tag not in _SCALAR_TAGS and tag != "!":
                    raise fail(_tag_error(tag), event.start_mark)
                keys = top.keys
                if value == "<<" and event.implicit[0]:  # a plain <<, not "<<" in quotes
                    raise fail("merge keys (<<) are not supported: write the fields out in "
                               "full", event.start_mark)
                if event.anchor is not None or value in keys:
                    attach(value, event.start_mark, 1, event.anchor)  # says what is wrong
                    continue
                # a key (always text): attach(), inlined, as below for values: together
                # 20 of 455 µs on a 3.5 KB intake. Keep both in step with attach().
                mark = event.start_mark
                line = mark.line + 1
                keys[value] = line
                top.key = value
                top.key_pos = (line, mark.column + 1)
                top.size += 1
                continue
            if tag is None:
                data: Any = _plain_scalar(value) if event.implicit[0] else value
            elif tag in _SCALAR_TAGS or tag == "!":
                try:
                    data = _tagged_scalar(tag, value)
                except ValueError as exc:
                    raise fail(str(exc), event.start_mark) from None
            else:
                raise fail(_tag_error(tag), event.start_mark)
            if top is not None and top.key is not None and event.anchor is None:
                # the commonest node, a plain value under a key: attach(), inlined
                top.size += 1
                lines[(*top.path, top.key)] = top.key_pos
                top.container[top.key] = data
                top.key = None
                continue
            attach(data, event.start_mark, 1, event.anchor)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            nodes += 1
            if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                raise fail(_tag_error(event.tag), event.start_mark)
            if len(stack) >= max_depth:
                raise fail(
                    f"nesting is deeper than {max_depth} levels; flatten the document",
                    event.start_mark,
                )
            cpath = child_path(event.start_mark)
            start = (event.start_mark.line + 1, event.start_mark.column + 1)
            frame = _Frame({} if kind is ev.MappingStartEvent else [], cpath, start)
            anchor_stack.append(event.anchor)
            stack.append(frame)
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            frame = stack.pop()
            attach(frame.container, _Mark(*frame.start), frame.size, anchor_stack.pop())
        elif kind is ev.AliasEvent:
            target = anchors.get(event.anchor)
            if target is None:
                raise fail(f"unknown alias *{event.anchor}", event.start_mark)
            value, size = target
            nodes += size
            if nodes > max_nodes:
                raise fail(
                    f"the document expands to more than {max_nodes:,} values "
                    "(aliases repeat their anchor's content); write it out plainly",
                    event.start_mark,
                )
            attach(value, event.start_mark, size, None)
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail(
                    "the file holds more than one YAML document (---); "
                    "put each submission in its own file",
                    event.start_mark,
                )
        if nodes > max_nodes:
            raise fail(
                f"the document has more than {max_nodes:,} values; split it",
                event.start_mark,
            )
    if not have_root or root is None:
        raise SourceError("the file is empty: it has no YAML content", Location(path, 1))
    return root, lines


class _Mark:
    """A stand-in for a libyaml mark, for positions recorded while building."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line - 1
        self.column = column - 1
