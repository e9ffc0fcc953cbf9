"""The intake form: a JSON Schema (draft 2020-12) and what aipolicy reads from it.

* field information by dotted path (types, allowed values, title), used to check rule
  packs against the form before anything is evaluated;
* validation of a submission, turned into findings a business user can act on: the
  field's title, the line, what to write;
* defaults for booleans whose absence means ``false``.

``jsonschema`` is imported only when a submission is validated.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aipolicy.decision import Finding
from aipolicy.errors import FormError, Location
from aipolicy.sources.documents import SourceDoc

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

#: the most findings one submission's validation explains; past it, one finding says so
MAX_FINDINGS = 100

JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")


@dataclass(frozen=True)
class FieldInfo:
    """What the form says about one field."""

    path: tuple[str, ...]
    title: str
    types: frozenset[str]  # empty: any type
    enum: tuple[Any, ...] | None  # None: not restricted to a list
    format: str | None
    item: FieldInfo | None  # for lists: what each item is
    properties: tuple[str, ...]  # for groups of fields: their names
    example: Any = None

    @property
    def label(self) -> str:
        """How a pack author sees the field: ``log_retention_months ("Log retention")``."""
        dotted = ".".join(self.path).replace(".[]", "[]")
        return f'{dotted} ("{self.title}")' if self.path else self.title


_JSON_TYPE_NAMES: dict[type, str] = {
    type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string",
    list: "array", dict: "object",
}


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value."""
    return _JSON_TYPE_NAMES.get(type(value)) or type(value).__name__


def type_matches(value: Any, types: frozenset[str]) -> bool:
    if not types:
        return True
    kind = json_type(value)
    return kind in types or (kind == "integer" and "number" in types)


def is_date(value: Any) -> bool:
    """A real date written ``YYYY-MM-DD`` (what ``format: date`` accepts)."""
    from aipolicy.form.checks import is_date as strict

    return strict(value)


def did_you_mean(word: str, choices: Iterable[Any]) -> str:
    """`` (did you mean 'production'?)`` for a near miss or a prefix, else ``""``."""
    texts = [str(c) for c in choices]
    word = str(word)
    close = difflib.get_close_matches(word, texts, n=1, cutoff=0.6)
    if not close and len(word) >= 3:
        close = [t for t in texts if t.startswith(word) or word.startswith(t)][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


#: The form's own annotation (a top-level keyword JSON Schema ignores) naming the fields
#: aipolicy itself reads: ``"x-aipolicy": {"identity": ..., "stage": ..., "controls": ...}``.
NAMES_KEYWORD = "x-aipolicy"
#: What each of those fields is when the form does not name it.
DEFAULT_NAMES: dict[str, str] = {
    "identity": "use_case_id",  # the use case's id, shown in every report
    "stage": "deployment_stage",  # the deployment stage, whose enum lists the stages
    "controls": "controls",  # the list of control evidence ({id, status, date, ...})
}


class Form:
    """A loaded intake form."""

    def __init__(self, schema: dict[str, Any], doc: SourceDoc) -> None:
        self.schema = schema
        self.doc = doc
        self.id = str(schema.get("$id") or doc.path)
        self.digest = doc.digest
        self._validator: Validator | None = None
        self._fast: Any = None  # a jsonschema_rs validator, False when unavailable
        self._fields: dict[tuple[str, ...], FieldInfo | None] = {}
        #: the defaults of fields in groups: (the group's path, {field: default}), sorted
        self.defaults = self._group_defaults(self._collect_defaults(schema, ()))
        self._reduced: dict[frozenset[tuple[Any, ...]], Validator] = {}

    # ------------------------------------------------------------ the fields aipolicy reads

    @cached_property
    def names(self) -> dict[str, str]:
        """What each field aipolicy reads is called in this form (:data:`DEFAULT_NAMES`,
        over which the form's ``x-aipolicy`` annotation names its own)."""
        declared = self.schema.get(NAMES_KEYWORD)
        named = declared if isinstance(declared, dict) else {}
        return {**DEFAULT_NAMES, **{k: str(v) for k, v in named.items() if k in DEFAULT_NAMES}}

    @property
    def identity_field(self) -> str:
        return self.names["identity"]

    @property
    def stage_field(self) -> str:
        return self.names["stage"]

    @property
    def controls_field(self) -> str:
        return self.names["controls"]

    @property
    def stages(self) -> tuple[str, ...]:
        """The deployment stages, in the form's order: the enum of its stage field."""
        info = self.field((self.stage_field,))
        return tuple(str(v) for v in info.enum or ()) if info is not None else ()

    def identity(self, data: Any) -> str | None:
        """The use case id a submission gives (None when it gives none as text)."""
        value = data.get(self.identity_field) if isinstance(data, dict) else None
        return value if isinstance(value, str) else None

    def check_names(self) -> None:
        """A :class:`FormError` unless the ``x-aipolicy`` annotation is well formed and
        names fields the form has."""
        if NAMES_KEYWORD not in self.schema:
            return
        declared = self.schema[NAMES_KEYWORD]
        where = Location(self.doc.path, self.doc.line_of((NAMES_KEYWORD,)))
        if not isinstance(declared, dict):
            raise FormError(f'"{NAMES_KEYWORD}" must be an object such as {{"identity": '
                            '"use_case_id", "stage": "deployment_stage", "controls": '
                            '"controls"}', where)
        for key, name in declared.items():
            at = Location(self.doc.path, self.doc.line_of((NAMES_KEYWORD, key)))
            if key not in DEFAULT_NAMES:
                raise FormError(f'"{NAMES_KEYWORD}" names no field "{key}": it names '
                                + ", ".join(f'"{k}"' for k in DEFAULT_NAMES)
                                + did_you_mean(str(key), DEFAULT_NAMES), at)
            if not isinstance(name, str) or self.field((name,)) is None:
                raise FormError(
                    f'"{NAMES_KEYWORD}" names {name!r} as the {key} field, but the form has '
                    "no such top-level property" + did_you_mean(str(name), self._top_level()),
                    at)

    def _top_level(self) -> list[str]:
        props = self.resolve(self.schema).get("properties")
        return list(props) if isinstance(props, dict) else []

    # ------------------------------------------------------------------ schema walking

    def resolve(self, node: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                break
            target: Any = self.schema
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            merged = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **merged}
            seen += 1
        return node if isinstance(node, dict) else {}

    def _alternatives(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                return [self.resolve(n) for n in node[key]]
        return [node]

    def child_schema(self, node: dict[str, Any], name: str) -> dict[str, Any] | None:
        for alt in self._alternatives(node):
            props = alt.get("properties")
            if isinstance(props, dict) and name in props:
                return self.resolve(props[name])
        return None

    def _info(self, node: dict[str, Any], path: tuple[str, ...], title: str) -> FieldInfo:
        types: set[str] = set()
        enum: list[Any] | None = []
        fmt: str | None = node.get("format")
        item: FieldInfo | None = None
        props: list[str] = []
        for alt in self._alternatives(node):
            alt_types = alt.get("type")
            if isinstance(alt_types, str):
                alt_types = [alt_types]
            if "const" in alt:
                alt_enum: list[Any] | None = [alt["const"]]
            elif isinstance(alt.get("enum"), list):
                alt_enum = list(alt["enum"])
            else:
                alt_enum = None
            if alt_types:
                types.update(alt_types)
            elif alt_enum is not None:
                types.update(json_type(v) for v in alt_enum)
            else:
                types.update(JSON_TYPES)
            if enum is not None:
                enum = None if alt_enum is None else enum + alt_enum
            fmt = fmt or alt.get("format")
            if isinstance(alt.get("items"), dict):
                item = self._info(self.resolve(alt["items"]), (*path, "[]"), f"{title} item")
            if isinstance(alt.get("properties"), dict):
                props.extend(alt["properties"])
        examples = node.get("examples")
        return FieldInfo(
            path=path,
            title=str(node.get("title") or (path[-1] if path else "submission")),
            types=frozenset(types) if set(JSON_TYPES) - types else frozenset(),
            enum=tuple(enum) if enum is not None else None,
            format=fmt,
            item=item,
            properties=tuple(props),
            example=examples[0] if isinstance(examples, list) and examples else None,
        )

    def field(self, path: tuple[str, ...]) -> FieldInfo | None:
        """The field at a dotted path (``("biometric_context", "real_time")``), or None."""
        if path in self._fields:
            return self._fields[path]
        node: dict[str, Any] | None = self.resolve(self.schema)
        title = str(self.schema.get("title", "submission"))
        for part in path:
            assert node is not None
            node = self.child_schema(node, part)
            if node is None:
                self._fields[path] = None
                return None
            title = str(node.get("title") or part)
        assert node is not None
        info = self._info(node, path, title)
        self._fields[path] = info
        return info

    def item_field(self, list_path: tuple[str, ...], path: tuple[str, ...]) -> FieldInfo | None:
        """A field inside the items of the list at ``list_path``."""
        outer = self.field(list_path)
        if outer is None or outer.item is None:
            return None
        node = self.schema_at(list_path)
        items = self.resolve(node.get("items", {})) if node else {}
        title = str(items.get("title") or "item")
        for part in path:
            child = self.child_schema(items, part)
            if child is None:
                return None
            items, title = child, str(child.get("title") or part)
        return self._info(items, (*list_path, "[]", *path), title)

    def schema_at(self, path: tuple[str, ...]) -> dict[str, Any] | None:
        node: dict[str, Any] | None = self.resolve(self.schema)
        for part in path:
            if node is None:
                return None
            node = self.child_schema(node, part)
        return node

    def title_path(self, path: Iterable[str | int]) -> str:
        """``Owner › Email`` for ``owner.email``; list items as ``item 2``."""
        parts: list[str] = []
        node: dict[str, Any] | None = self.resolve(self.schema)
        for part in path:
            if isinstance(part, int):
                parts.append(f"item {part + 1}")
                node = self.resolve(node.get("items", {})) if node else None
                continue
            child = self.child_schema(node, part) if node else None
            parts.append(str(child.get("title") or part) if child else part)
            node = child
        return " › ".join(parts) if parts else "The submission"

    def _collect_defaults(
        self, node: Any, path: tuple[str, ...]
    ) -> list[tuple[tuple[str, ...], str, Any]]:
        out: list[tuple[tuple[str, ...], str, Any]] = []
        node = self.resolve(node)
        props = node.get("properties")
        if not isinstance(props, dict) or len(path) > 8:
            return out
        for name, sub in props.items():
            sub = self.resolve(sub)
            if "default" in sub and path:
                out.append((path, name, sub["default"]))
            out.extend(self._collect_defaults(sub, (*path, name)))
        return out

    @staticmethod
    def _group_defaults(found: list[tuple[tuple[str, ...], str, Any]]
                        ) -> tuple[tuple[tuple[str, ...], dict[str, Any]], ...]:
        by_parent: dict[tuple[str, ...], dict[str, Any]] = {}
        for parent, name, value in found:
            by_parent.setdefault(parent, {})[name] = value
        return tuple(sorted(by_parent.items()))

    def apply_defaults(self, data: Any) -> Any:
        """A copy of ``data`` with defaults filled into groups of fields that are present."""
        if not self.defaults or not isinstance(data, dict):
            return data
        result = dict(data)
        copied: dict[tuple[str, ...], dict[str, Any]] = {(): result}
        for parent, values in self.defaults:
            if parent and type(data.get(parent[0])) is not dict:
                continue  # the group is not there: most submissions skip most groups here
            node: Any = result
            for i, part in enumerate(parent):
                key = parent[: i + 1]
                if key in copied:
                    node = copied[key]
                    continue
                nxt = node.get(part)
                if type(nxt) is not dict:
                    node = None
                    break
                copy = dict(nxt)  # never change the caller's data
                node[part] = copy
                node = copied[key] = copy
            if node is not None:
                for name, value in values.items():
                    if name not in node:
                        node[name] = value
        return result

    # ------------------------------------------------------------------ validation

    @property
    def validator(self) -> Validator:
        if self._validator is None:
            import jsonschema
            import referencing

            from aipolicy.form.checks import reference_class

            base = jsonschema.validators.validator_for(self.schema,
                                                       jsonschema.Draft202012Validator)
            cls = reference_class(base, self.schema)
            registry: Any = referencing.Registry(
                retrieve=_no_retrieval)  # type: ignore[call-arg]
            self._validator = cls(self.schema, format_checker=cls.FORMAT_CHECKER,
                                  registry=registry)
        return self._validator

    def _failing_parts(self, errors: Any) -> frozenset[tuple[Any, ...]] | None:
        """The top-level fields and conditions (``("properties", name)``, ``("allOf", i)``)
        where jsonschema-rs found errors; None when it cannot tell."""
        parts: set[tuple[Any, ...]] = set()
        for err in errors:
            path, where = tuple(err.schema_path), tuple(err.instance_path)
            if path[:1] in (("properties",), ("allOf",)) and len(path) >= 2:
                parts.add(path[:2])
            elif path[:1] == ("$defs",) and where:
                # it reports a $ref'd definition by its own path: keep the field it is
                # under, and every condition that refers to a definition
                parts.add(("properties", where[0]))
                parts.update(self._referring_conditions)
            elif len(path) != 1:
                return None
        return frozenset(parts)

    @cached_property
    def _referring_conditions(self) -> frozenset[tuple[str, int]]:
        """The form's conditions (``allOf`` entries) that use a ``$ref``'d definition."""
        conditions = self.schema.get("allOf")
        return frozenset(("allOf", i) for i, c in enumerate(conditions)
                         if _has_ref(c)) if isinstance(conditions, list) else frozenset()

    def _validator_for(self, failing: frozenset[tuple[Any, ...]]) -> Validator:
        """The reference validator, on a copy of the form in which the top-level fields
        and conditions that jsonschema-rs found no fault in are ``true``.

        They cannot add an error, and skipping them makes explaining a submission's faults
        some twenty times cheaper; what is kept is the form, at the same paths, so the
        errors (and their messages) are those of the whole form.
        """
        found = self._reduced.get(failing)
        if found is None:
            props = self.schema.get("properties")
            conditions = self.schema.get("allOf")
            reduced = dict(self.schema)
            if isinstance(props, dict):
                reduced["properties"] = {k: v if ("properties", k) in failing else True
                                         for k, v in props.items()}
            if isinstance(conditions, list):
                reduced["allOf"] = [c if ("allOf", i) in failing else True
                                    for i, c in enumerate(conditions)]
            whole: Any = self.validator
            # not evolve(): it would pick the validator class anew from "$schema", without
            # aipolicy's pattern, uniqueItems and format checks
            found = type(whole)(reduced, format_checker=whole.format_checker,
                                registry=whole._registry)
            if len(self._reduced) >= 256:
                self._reduced.clear()
            self._reduced[failing] = found
        return found

    def _fast_validator(self) -> Any:
        """A jsonschema-rs validator of the same form, or None where it cannot be had."""
        if self._fast is None:
            try:
                import jsonschema_rs

                from aipolicy.form.checks import FastPattern, form_formats

                self._fast = jsonschema_rs.validator_for(
                    self.schema, validate_formats=True, retriever=_no_retrieval,
                    formats=form_formats(self.schema),
                    keywords={"pattern": FastPattern})
            except Exception:  # not installed, or a schema it does not support
                self._fast = False
        return self._fast or None

    def check(self, doc: SourceDoc) -> list[Finding]:
        """Findings for every way ``doc`` fails the form (empty when it is complete).

        jsonschema-rs decides quickly that a complete submission is complete; the
        ``jsonschema`` package, the reference, explains any other (and has the last word).
        """
        from aipolicy.form.checks import out_of_range
        from aipolicy.form.messages import number_finding, too_many_finding

        findings: dict[tuple[str, str], Finding] = {}

        def add(found: Iterable[Finding]) -> None:
            for finding in found:
                findings.setdefault((finding.path or "", finding.message), finding)

        numbers = list(itertools.islice(out_of_range(doc.data), MAX_FINDINGS))
        add(number_finding(self, doc, path, value, why) for path, value, why in numbers)
        unusable = {tuple(path) for path, _, _ in numbers}
        fast = self._fast_validator()
        validator: Validator | None = None  # the jsonschema package: imported only if needed
        if fast is not None:
            try:
                if fast.is_valid(doc.data):
                    return sorted(findings.values(), key=Finding.sort_key)
                failing = self._failing_parts(fast.iter_errors(doc.data))
            except Exception:  # e.g. an integer too large for it: ask the reference
                pass
            else:
                if failing is not None:
                    validator = self._validator_for(failing)
        for err in (validator or self.validator).iter_errors(doc.data):
            if len(findings) >= MAX_FINDINGS:  # a bound on the work of explaining
                add([too_many_finding(self, doc, len(findings))])
                break
            if tuple(err.absolute_path) not in unusable:  # said better above
                add(self._findings_for(err, doc))
        return sorted(findings.values(), key=Finding.sort_key)

    def _findings_for(self, err: ValidationError, doc: SourceDoc) -> list[Finding]:
        from aipolicy.form.messages import explain

        return explain(self, err, doc)


def _has_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_has_ref(v) for v in node.values())
    return isinstance(node, list) and any(_has_ref(v) for v in node)


def _first_remote_ref(node: Any, at: tuple[str | int, ...]
                      ) -> tuple[tuple[str | int, ...], str] | None:
    """The first ``$ref``/``$dynamicRef`` that points outside the form, and where it is."""
    if isinstance(node, dict):
        for key in ("$ref", "$dynamicRef"):
            ref = node.get(key)
            if isinstance(ref, str) and not ref.startswith("#"):
                return (*at, key), ref
        for key, value in node.items():
            found = _first_remote_ref(value, (*at, key))
            if found is not None:
                return found
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found = _first_remote_ref(value, (*at, i))
            if found is not None:
                return found
    return None


def _local_refs(node: Any, at: tuple[str | int, ...]
                ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    stack: list[tuple[tuple[str | int, ...], Any]] = [(at, node)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            for key in ("$ref", "$dynamicRef"):
                if isinstance(item.get(key), str):
                    yield (*where, key), item[key]
            stack.extend(((*where, k), v) for k, v in item.items()
                         if isinstance(v, (dict, list)) and k not in ("enum", "const",
                                                                      "default", "examples"))
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in enumerate(item))


def _anchors(schema: Any) -> set[str]:
    found: set[str] = set()
    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(str(item[k]) for k in ("$anchor", "$dynamicAnchor") if k in item)
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _resolves(schema: Any, ref: str, anchors: set[str]) -> bool:
    """Whether a ``#…`` reference points at something in the form."""
    from urllib.parse import unquote

    fragment = unquote(ref[1:])
    if not fragment.startswith("/"):
        return fragment == "" or fragment in anchors
    target: Any = schema
    for part in fragment[1:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return False
    return isinstance(target, (dict, bool))


def _check_refs_and_patterns(schema: dict[str, Any], doc: SourceDoc) -> None:
    """Refuse a reference to nothing, ``patternProperties``, and a ``pattern`` that cannot
    be run in linear time with ECMA-262 meaning (see :mod:`aipolicy.form.checks`)."""
    from aipolicy.form.checks import form_patterns, pattern_matcher

    anchors = _anchors(schema)
    for place, ref in _local_refs(schema, ()):
        if not _resolves(schema, ref, anchors):
            raise FormError(f"the form refers to {ref!r}, which is not in the form: add it "
                            "(under $defs) or correct the reference",
                            Location(doc.path, doc.line_of(place)))
    for place, _node in _keyword_uses(schema, "patternProperties"):
        raise FormError("the form uses patternProperties, which aipolicy does not support "
                        "(its patterns would run on submitted field names): name the fields "
                        "under properties", Location(doc.path, doc.line_of(place)))
    for place, pattern in form_patterns(schema):
        try:
            pattern_matcher(pattern)
        except ValueError as exc:
            raise FormError(f"the pattern {pattern!r} cannot be used: {exc}; patterns are "
                            "ECMA-262 regular expressions run by a linear-time matcher "
                            "(RE2)", Location(doc.path, doc.line_of(place))) from None


def _keyword_uses(node: Any, keyword: str) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Where ``keyword`` is used as a keyword (not as a property's name)."""
    stack: list[tuple[tuple[str | int, ...], Any, bool]] = [((), node, True)]
    while stack:
        where, item, is_schema = stack.pop()
        if isinstance(item, dict):
            if is_schema and keyword in item:
                yield (*where, keyword), item[keyword]
            for k, v in item.items():
                if k in ("enum", "const", "default", "examples"):
                    continue
                # the values of these are maps of names to schemas, not schemas
                names = is_schema and k in ("properties", "$defs", "definitions",
                                            "dependentSchemas", "patternProperties")
                stack.append(((*where, k), v, not names))
        elif isinstance(item, list):
            stack.extend(((*where, i), v, True) for i, v in enumerate(item))


def _any_pattern(_pattern: object) -> bool:
    return True


def _no_retrieval(uri: str) -> Any:
    """A registry that never fetches anything (files, the network)."""
    raise LookupError(f"aipolicy does not fetch {uri}")


def load_form(doc: SourceDoc, *, checked: bool = False) -> Form:
    """Check that ``doc`` holds a usable JSON Schema and wrap it.

    ``checked=True`` skips the (slow) check against the JSON Schema metaschema, for a
    form whose exact content has passed it before.
    """
    schema = doc.data
    if not isinstance(schema, dict):
        raise FormError("the intake form must be a JSON Schema object", Location(doc.path, 1))
    if schema.get("type") != "object":
        raise FormError(
            'the intake form must describe an object ("type": "object")', Location(doc.path, 1)
        )
    remote = _first_remote_ref(schema, ())
    if remote is not None:
        place, ref = remote
        raise FormError(
            f"the form refers to {ref!r}; aipolicy never fetches schemas from elsewhere "
            "(files or the network): put what it refers to under $defs and use '#/$defs/…'",
            Location(doc.path, doc.line_of(place)),
        )
    _check_refs_and_patterns(schema, doc)
    form = Form(schema, doc)
    if checked:
        form.check_names()
        return form
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    # the form's patterns are ECMA-262, checked above: not Python's syntax
    checker: Any = jsonschema.FormatChecker(formats=())
    checker.checkers = {**cls.FORMAT_CHECKER.checkers, "regex": (_any_pattern, ())}
    try:
        check_schema: Any = cls.check_schema
        check_schema(schema, format_checker=checker)
    except jsonschema.SchemaError as exc:
        where = [str(p) for p in exc.absolute_path]
        line = doc.line_of(exc.absolute_path)
        raise FormError(
            f"the intake form is not a valid JSON Schema at {'/'.join(where) or 'top level'}: "
            f"{exc.message}",
            Location(doc.path, line),
        ) from None
    form.check_names()
    return form
