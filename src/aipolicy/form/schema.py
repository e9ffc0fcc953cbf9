"""The intake form: a JSON Schema (draft 2020-12) and what aipolicy reads from it.

* field information by dotted path (types, allowed values, title), used to check rule
  packs against the form before anything is evaluated;
* titles, for findings a business user can act on (the field's title, not its key);
* defaults for booleans whose absence means ``false``.

Loading a form is :mod:`aipolicy.form.load`; checking a submission against it,
:mod:`aipolicy.form.validate` (whose messages are :mod:`aipolicy.form.messages`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from aipolicy.errors import FormError, Location
from aipolicy.sources.documents import SourceDoc

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
    # the people accountable for the use case ({name, email}), who may neither waive
    # their own findings nor approve their own use case
    "owner": "owner",
    "technical_owner": "technical_owner",
    "approvals": "approvals",  # the sign-offs the submission records ({role, decision, ...})
    # what a portfolio lists and groups by (aipolicy.identity); a dotted path names a
    # field inside a group
    "title": "title",
    "business_unit": "business_unit",
    "on_call": "operations.on_call",  # who is paged: {team, contact}
    "review": "review",  # the periodic review: {cadence, last_reviewed, next_review_due}
}
#: The names that may be dotted paths into groups (the others are top-level fields).
NESTED_NAMES = frozenset({"title", "business_unit", "on_call", "review"})


class Form:
    """A loaded intake form."""

    def __init__(self, schema: dict[str, Any], doc: SourceDoc) -> None:
        self.schema = schema
        self.doc = doc
        self.id = str(schema.get("$id") or doc.path)
        self.digest = doc.digest
        self._fields: dict[tuple[str, ...], FieldInfo | None] = {}
        #: the defaults of fields in groups: (the group's path, {field: default}), sorted
        self.defaults = self._group_defaults(self._collect_defaults(schema, ()))

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

    def owner_emails(self, data: Any) -> frozenset[str]:
        """The e-mail addresses (lower case) of the use case's owner and technical owner,
        as the submission gives them."""
        if not isinstance(data, dict):
            return frozenset()
        found = set()
        for name in (self.names["owner"], self.names["technical_owner"]):
            person = data.get(name)
            email = person.get("email") if isinstance(person, dict) else None
            if isinstance(email, str) and email.strip():
                found.add(email.strip().lower())
        return frozenset(found)

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
            path = tuple(str(name).split(".")) if key in NESTED_NAMES else (str(name),)
            if not isinstance(name, str) or self.field(path) is None:
                where_in = "property" if key in NESTED_NAMES else "top-level property"
                raise FormError(
                    f'"{NAMES_KEYWORD}" names {name!r} as the {key} field, but the form has '
                    f"no such {where_in}" + did_you_mean(str(name), self._top_level()), at)

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
