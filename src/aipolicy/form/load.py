"""Loading the intake form: a usable JSON Schema, or a :class:`FormError` that says where.

The form is configuration: a reference to nothing or to elsewhere (files, the network),
``patternProperties`` and a ``pattern`` that cannot run in linear time are refused here,
before any submission is read; so is a schema that fails the JSON Schema metaschema
(``jsonschema`` is imported for that check only, skipped for a form checked before).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aipolicy.errors import FormError, Location
from aipolicy.sources.documents import SourceDoc

from .schema import Form


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
    from .checks import form_patterns, pattern_matcher  # when a form is loaded, not at start

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
