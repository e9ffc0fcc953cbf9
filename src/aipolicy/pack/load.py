"""Rule packs: read, checked against their schema and the intake form, compiled once.

A pack is one YAML file or a directory of them (merged: mappings by key, rule and role
lists concatenated).  Every problem found is collected with its file and line and raised
together as one :class:`PackError`, before any submission is evaluated.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any

from aipolicy.errors import ConfigError, Location, PackError
from aipolicy.form.schema import Form
from aipolicy.pack.compiled import CompiledPack as CompiledPack
from aipolicy.pack.compiled import CompiledRule as CompiledRule
from aipolicy.pack.compiler import PackCompiler, Problems, dedupe
from aipolicy.pack.provenance import source_problems
from aipolicy.pack.spec import PackSpec
from aipolicy.sources.discovery import iter_documents
from aipolicy.sources.documents import SourceDoc, load_document, parse_document
from aipolicy.sources.files import DEFAULT_LIMITS, Limits, PathKey

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

_LIST_SECTIONS = ("rules", "roles")
#: A pack directory's subdirectory that holds its test cases, not rules.
TESTS_DIR = "tests"
_MAP_SECTIONS = (
    "parameters", "scales", "facts", "approval_paths", "control_gates", "controls",
    "people", "sources",
)



# ----------------------------------------------------------------------------- reading


def pack_files(path: str) -> list[str]:
    """The YAML files of a pack: one file, or those of a directory (not its tests/)."""
    if not os.path.isdir(path):
        return [path]
    root = os.path.realpath(path)
    files = []
    for file in iter_documents([path]):
        if os.path.relpath(file, path).split(os.sep)[0] == TESTS_DIR:
            continue  # the pack's own test cases, not rules
        real = os.path.realpath(file)
        if os.path.commonpath([root, real]) != root:
            raise PackError([(Location(file), "the file lies outside the pack directory "
                              "(through a link); packs cannot read outside their root")])
        if file.endswith((".yaml", ".yml")):
            files.append(file)
    if not files:
        raise ConfigError(f"{path}: the pack directory holds no .yaml files")
    return files


def read_pack(path: str, limits: Limits = DEFAULT_LIMITS) -> list[SourceDoc]:
    """The parsed documents of a pack."""
    return [load_document(file, limits) for file in pack_files(path)]


class _Merged:
    """The merged data of a pack's documents, and where each part came from."""

    def __init__(self, docs: list[SourceDoc]) -> None:
        self.docs = docs
        self.data: dict[str, Any] = {}
        self.owner: dict[str, SourceDoc] = {}
        self.keyed: dict[tuple[str, str], SourceDoc] = {}
        self.indexed: dict[tuple[str, int], tuple[SourceDoc, int]] = {}
        self.problems: Problems = []
        for doc in docs:
            if not isinstance(doc.data, dict):
                self.problems.append((Location(doc.path, 1), "a pack file is a mapping of "
                                      "keys such as pack:, rules:, controls:"))
                continue
            for key, value in doc.data.items():
                self._merge(doc, key, value)

    def _merge(self, doc: SourceDoc, key: str, value: Any) -> None:
        if key in _LIST_SECTIONS and isinstance(value, list):
            merged = self.data.setdefault(key, [])
            for i, item in enumerate(value):
                self.indexed[(key, len(merged))] = (doc, i)
                merged.append(item)
            self.owner.setdefault(key, doc)
            return
        if key in _MAP_SECTIONS and isinstance(value, dict):
            merged_map = self.data.setdefault(key, {})
            for sub, item in value.items():
                if sub in merged_map:
                    first = self.keyed[(key, sub)]
                    self.problems.append((self.loc(doc, (key, sub)),
                                          f"{key}.{sub} is defined again (first in {first.path})"))
                    continue
                merged_map[sub] = item
                self.keyed[(key, sub)] = doc
            self.owner.setdefault(key, doc)
            return
        if key in self.data:
            self.problems.append((self.loc(doc, (key,)),
                                  f"'{key}' is defined again (first in {self.owner[key].path})"))
            return
        self.data[key] = value
        self.owner[key] = doc

    @staticmethod
    def loc(doc: SourceDoc, path: PathKey) -> Location:
        line, column = doc.position(path)
        return Location(doc.path, line, column)

    def origin(self, path: PathKey) -> tuple[SourceDoc, PathKey]:
        """The document and local path of a path into the merged data."""
        if not path or not isinstance(path[0], str):
            return self.docs[0], ()
        key = path[0]
        if len(path) > 1 and (key, path[1]) in self.indexed:
            doc, local = self.indexed[(key, path[1])]  # type: ignore[index]
            return doc, (key, local, *path[2:])
        if len(path) > 1 and (key, path[1]) in self.keyed:
            return self.keyed[(key, path[1])], path  # type: ignore[index]
        return self.owner.get(key, self.docs[0]), path

    def locate(self, path: PathKey) -> Location:
        doc, local = self.origin(path)
        return self.loc(doc, local)


# ----------------------------------------------------------------------------- loading


def load_pack(path: str, form: Form, limits: Limits = DEFAULT_LIMITS) -> CompiledPack:
    """Read, check and compile a pack; raises :class:`PackError` listing every problem.

    A pack that compiled before against the same form (same bytes, same aipolicy) is
    rebuilt from the cache without parsing its YAML or validating it with pydantic; it
    is still compiled and checked against the form.
    """
    from aipolicy._version import __version__
    from aipolicy.cache import cache_get, cache_put
    from aipolicy.sources.files import decode_text, read_bytes

    raws = [(file, read_bytes(file, limits)) for file in pack_files(path)]
    key = hashlib.sha256(f"{__version__}\n{form.digest}\n".encode())
    for file, raw in raws:
        key.update(os.path.basename(file).encode() + b"\0" + hashlib.sha256(raw).digest())
    cache_key = "sha256:" + key.hexdigest()
    cached = cache_get("packs", cache_key)
    if cached is not None:
        from aipolicy.pack.cache import thaw

        try:
            datas, spec = thaw(cached)
            docs = [SourceDoc(file, data, None, "sha256:" + hashlib.sha256(raw).hexdigest(),
                              decode_text(raw, file))
                    for (file, raw), data in zip(raws, datas, strict=True)]
            return _compile(docs, form, path, spec)
        except Exception:  # any damaged entry is a miss, never an error
            pass  # a stale or damaged cache entry: compile from the files, which are read
            # again below and decide (a real problem of the pack is reported from them)
    docs = [parse_document(raw, file, limits) for file, raw in raws]
    pack = compile_pack(docs, form, path)
    from aipolicy.pack.cache import freeze

    cache_put("packs", cache_key, freeze([d.data for d in docs], pack.model))
    return pack


def compile_pack(docs: list[SourceDoc], form: Form, path: str = "<pack>") -> CompiledPack:
    """Check and compile the parsed documents of a pack (pure: reads no file)."""
    return _compile(docs, form, path, None)


def _compile(docs: list[SourceDoc], form: Form, path: str, spec: PackSpec | None
             ) -> CompiledPack:
    """Compile a pack's documents; ``spec`` is their validated pack when the cache has it."""
    merged = _Merged(docs)
    if merged.problems:
        raise PackError(merged.problems)
    if spec is None:
        spec = _validate(merged)
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(doc.digest.encode())
    compiler = PackCompiler(spec, form, merged)
    compiler.problems += [(merged.locate(a), t) for a, t in source_problems(spec)]
    return compiler.compile(path, "sha256:" + digest.hexdigest())


def _validate(merged: _Merged) -> PackSpec:
    """The merged data checked against the pack format (pydantic), as typed values."""
    from pydantic import ValidationError

    from aipolicy.pack.model import Pack

    try:
        return Pack.model_validate(merged.data).spec()
    except ValidationError as exc:
        problems: Problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
            loc = _strip_union_tags(loc)
            problems.append((merged.locate(loc), _pydantic_message(err, loc, merged.data)))
        raise PackError(dedupe(problems)) from None


_UNION_TAGS = frozenset({"ByParameter", "tuple[str, ...]", "literal['blocked']",
                         "function-after[_one_kind(), Fact]"})
#: Fields typed ``date | ByParameter``: after them only, ``date`` is pydantic's tag for the
#: union's first member; elsewhere (a source's ``date``) it is the field's own name.
_DATE_UNIONS = frozenset({"effective_from", "effective_until"})


def _strip_union_tags(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    return tuple(p for i, p in enumerate(loc)
                 if p not in _UNION_TAGS
                 and not (p == "date" and i > 0 and loc[i - 1] in _DATE_UNIONS))


def _describe_loc(loc: tuple[str | int, ...], data: dict[str, Any]) -> str:
    """``rule R-1: severity`` rather than ``rules.0.severity``."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules")
        rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        rid = rule.get("id") if isinstance(rule, dict) else None
        head = f"rule {rid}" if isinstance(rid, str) else f"rule #{loc[1] + 1}"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{head}: {rest}" if rest else head
    return ".".join(str(p) for p in loc) or "the pack"


def _pydantic_message(err: ErrorDetails, loc: tuple[str | int, ...], data: dict[str, Any]
                      ) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = _describe_loc(loc[:-1], data) if loc[:-1] else "the pack"
        return f"unknown key '{loc[-1]}' in {parent}"
    where = _describe_loc(loc, data)
    if kind == "missing":
        return f"{where} is missing"
    if kind == "string_type":
        return f"{where} must be text; put the value in quotes"
    msg = str(err["msg"]).replace("Value error, ", "")
    return f"{where}: {msg}"


# ----------------------------------------------------------------------------- checking


