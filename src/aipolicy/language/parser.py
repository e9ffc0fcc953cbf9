"""Conditions: parsed from a pack, checked against the form, compiled into closures.

A condition is data (see ``docs/rule-language.md``).  :func:`parse_condition` reads it,
checks every field path, value and operator against the intake form, the pack's facts and
parameters, and collects every problem with its pack file and line.  The result is a tree
of nodes, each holding a compiled closure ``fn(ctx) -> bool`` built from the operators in
:mod:`aipolicy.language.operators`; nothing in a pack is ever evaluated as code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from aipolicy.errors import Location
from aipolicy.form.schema import (
    FieldInfo,
    Form,
    did_you_mean,
    is_date,
    json_type,
    type_matches,
)
from aipolicy.language.closures import (
    Context,
    Fn,
    Getter,
    all_of,
    any_of,
    fact_getter,
    inlined,
    leaf,
    path_getter,
)
from aipolicy.language.operators import (
    LENGTH_COMPARISONS,
    MISSING,
    OPERATORS,
    contains_text,
    scale_value,
    unsafe_pattern,
)
from aipolicy.sources.documents import SourceDoc
from aipolicy.sources.files import PathKey

COMPOSITES = ("all", "any", "none", "not")
SOURCES = ("field", "fact", "parameter")


@dataclass(frozen=True)
class PackSymbols:
    """What conditions may name besides form fields."""

    facts: dict[str, tuple[str, tuple[str, ...]]]  # name -> ("scale"|"labels", values)
    params: dict[str, tuple[str, tuple[Any, ...] | None]]  # name -> (type, allowed values)


@dataclass
class Node:
    """A compiled condition, kept as a tree so that evidence can be collected."""

    kind: str  # "test", "all", "any", "none", "not"
    fn: Fn
    children: tuple[Node, ...] = ()
    key: str = ""  # evidence key of a test: the path, "fact:x" or "parameter:x"
    getter: Getter | None = None
    reads_facts: frozenset[str] = field(default_factory=frozenset)
    #: for the rule index (:mod:`aipolicy.engine.index`): a test with a fixed operand, whose
    #: outcome is a function of the one value its getter reads (given the parameters and
    #: the date); ``varied``: that value is free text or a date, seldom the same twice
    fixed: bool = False
    varied: bool = False
    op: str = ""  # the operator of a test with a fixed operand


def _always(_ctx: Context) -> bool:
    return True


TRUE = Node("all", _always)


@dataclass
class Parser:
    """Parses conditions from one pack document, collecting problems."""

    form: Form
    symbols: PackSymbols
    doc: SourceDoc
    problems: list[tuple[Location, str]]

    def _loc(self, at: PathKey) -> Location:
        line, column = self.doc.position(at)
        return Location(self.doc.path, line, column)

    def fail(self, at: PathKey, message: str) -> Node:
        self.problems.append((self._loc(at), message))
        return Node("all", lambda ctx: False)

    # ------------------------------------------------------------------ structure

    def parse(self, raw: Any, at: PathKey, item_of: tuple[str, ...] | None = None) -> Node:
        if not isinstance(raw, dict) or not raw:
            return self.fail(at, "a condition is a mapping such as {field: purposes, "
                             "contains: recruitment_screening} or {all: [...]}")
        composite = [k for k in raw if k in COMPOSITES]
        if composite:
            if len(raw) != 1:
                return self.fail(at, f"'{composite[0]}' must be the only key of its mapping; "
                                 "put other tests inside it")
            name = composite[0]
            inner = raw[name]
            if name == "not":
                child = self.parse(inner, (*at, "not"), item_of)
                return Node("not", lambda ctx: not child.fn(ctx), (child,),
                            reads_facts=child.reads_facts)
            if not isinstance(inner, list) or not inner:
                return self.fail((*at, name), f"'{name}' takes a non-empty list of conditions")
            kids = tuple(self.parse(c, (*at, name, i), item_of) for i, c in enumerate(inner))
            fns = tuple(k.fn for k in kids)
            reads = frozenset().union(*(k.reads_facts for k in kids))
            if name == "all":
                return Node("all", all_of(fns), kids, reads_facts=reads)
            if name == "any":
                return Node("any", any_of(fns), kids, reads_facts=reads)
            any_fn = any_of(fns)
            return Node("none", lambda ctx: not any_fn(ctx), kids, reads_facts=reads)
        return self._test(raw, at, item_of)

    def _test(self, raw: dict[str, Any], at: PathKey, item_of: tuple[str, ...] | None) -> Node:
        sources = [k for k in raw if k in SOURCES]
        ops = [k for k in raw if k not in SOURCES]
        if len(sources) != 1:
            return self.fail(at, "a test names exactly one of field:, fact: or parameter:"
                             + (f" (it names {', '.join(sources)})" if sources else ""))
        if len(ops) != 1:
            if not ops:
                return self.fail(at, "a test needs one operator, e.g. equals: or contains:")
            return self.fail(at, f"a test has exactly one operator; split {', '.join(ops)} "
                             "into separate tests under all:")
        source, op_name = sources[0], ops[0]
        op = OPERATORS.get(op_name)
        if op is None:
            hint = did_you_mean(op_name, [*OPERATORS, *COMPOSITES])
            return self.fail((*at, op_name), f"unknown operator '{op_name}'{hint}")
        target = raw[source]
        if not isinstance(target, str) or not target:
            return self.fail((*at, source), f"'{source}' takes a name such as "
                             "biometric_context.real_time")
        value = raw[op_name]
        vat = (*at, op_name)
        if source == "field":
            return self._field_test(target, op_name, value, at, vat, item_of)
        if source == "fact":
            return self._fact_test(target, op_name, value, at, vat)
        return self._param_test(target, op_name, value, at, vat)

    # ------------------------------------------------------------------ targets

    def _resolve_field(
        self, target: str, at: PathKey, item_of: tuple[str, ...] | None
    ) -> FieldInfo | None:
        path = tuple(target.split("."))
        info = (self.form.item_field(item_of, path) if item_of is not None
                else self.form.field(path))
        if info is not None:
            return info
        # find the longest known prefix, to say what is wrong
        for cut in range(len(path) - 1, 0, -1):
            prefix = path[:cut]
            known = (self.form.item_field(item_of, prefix) if item_of is not None
                     else self.form.field(prefix))
            if known is None:
                continue
            if known.item is not None and "array" in known.types:
                self.fail((*at, "field"), f"'{'.'.join(prefix)}' is a list; test its items "
                          "with any_item: or all_items:")
                return None
            hint = did_you_mean(path[cut], known.properties)
            self.fail((*at, "field"), f"the form has no field '{target}': "
                      f"{known.label} has no '{path[cut]}'{hint}")
            return None
        where = "the list items" if item_of is not None else "the intake form"
        siblings = (self.form.item_field(item_of, ()) if item_of is not None
                    else self.form.field(()))
        hint = did_you_mean(path[0], siblings.properties if siblings else ())
        self.fail((*at, "field"), f"{where} has no field '{path[0]}'{hint}")
        return None

    def _field_test(
        self, target: str, op_name: str, value: Any, at: PathKey, vat: PathKey,
        item_of: tuple[str, ...] | None,
    ) -> Node:
        info = self._resolve_field(target, at, item_of)
        if info is None:
            return Node("all", lambda ctx: False)
        kind = target_kind(info)
        getter = path_getter(tuple(target.split(".")))
        if op_name in ("any_item", "all_items"):
            if kind != "items":
                return self.fail(vat, f"{op_name} needs a list of groups of fields; "
                                 f"{info.label} is {describe_kind(kind)}")
            list_path = (*(item_of or ()), *target.split("."))
            inner = self.parse(value, vat, list_path)
            return _quantifier(op_name, getter, inner, target)
        return self._compile(op_name, kind, info, value, vat, getter, target, info.label)

    def _fact_test(self, name: str, op_name: str, value: Any, at: PathKey, vat: PathKey) -> Node:
        decl = self.symbols.facts.get(name)
        if decl is None:
            hint = did_you_mean(name, self.symbols.facts)
            return self.fail((*at, "fact"), f"the pack declares no fact '{name}'{hint}")
        kind, values = decl
        info = FieldInfo((name,), f"fact {name}", frozenset({"string"} if kind == "scale" else
                         {"array"}), values if kind == "scale" else None, None,
                         FieldInfo((name, "[]"), "label", frozenset({"string"}), values, None,
                                   None, ()) if kind == "labels" else None, ())
        facts_get: Getter = fact_getter(name)
        node = self._compile(op_name, kind, info, value, vat, facts_get, f"fact:{name}",
                             f"fact {name}", scale=values if kind == "scale" else None)
        node.reads_facts = frozenset({name})
        return node

    def _param_test(self, name: str, op_name: str, value: Any, at: PathKey, vat: PathKey) -> Node:
        decl = self.symbols.params.get(name)
        if decl is None:
            hint = did_you_mean(name, self.symbols.params)
            return self.fail((*at, "parameter"), f"the pack declares no parameter '{name}'{hint}")
        ptype, values = decl
        types = {"string": "string", "integer": "integer", "number": "number",
                 "boolean": "boolean", "date": "string"}[ptype]
        info = FieldInfo((name,), f"parameter {name}", frozenset({types}), values,
                         "date" if ptype == "date" else None, None, ())
        return self._compile(op_name, target_kind(info), info, value, vat,
                             lambda ctx: ctx.params.get(name, MISSING), f"parameter:{name}",
                             f"parameter {name}")

    # ------------------------------------------------------------------ operator and value

    def _compile(
        self, op_name: str, kind: str, info: FieldInfo, value: Any, vat: PathKey,
        getter: Getter, key: str, label: str, scale: tuple[str, ...] | None = None,
    ) -> Node:
        op = OPERATORS[op_name]
        if "any" not in op.kinds and kind not in op.kinds:
            fits = ", ".join(describe_kind(k) for k in sorted(op.kinds))
            return self.fail(vat, f"'{op_name}' works on {fits}; {label} is {describe_kind(kind)}")
        takes = op.takes
        if takes in ("value", "item") and _reference(value) == "field" and len(value) == 1:
            other = self._field_value(value["field"], info, kind, vat, label)
            if other is None:
                return Node("all", lambda ctx: False)
            test = op.test

            def compare(ctx: Context) -> bool:
                found = other(ctx)
                return found is not MISSING and test(getter(ctx), found)

            return Node("test", compare, key=key, getter=getter)
        ref = _reference(value) if op.references else None
        if ref is not None:
            operand = self._reference(ref, value, kind, vat)
            if operand is None:
                return Node("all", lambda ctx: False)
            test = op.test
            return Node("test", lambda ctx: test(getter(ctx), operand(ctx)), key=key,
                        getter=getter)
        if takes == "boolean":
            if not isinstance(value, bool):
                return self.fail(vat, f"'{op_name}' takes true or false")
        elif takes == "value":
            if not self._value_ok(info, value, vat, label):
                return Node("all", lambda ctx: False)
        elif takes in ("values", "items"):
            if not isinstance(value, list) or not value:
                return self.fail(vat, f"'{op_name}' takes a non-empty list of values")
            each: FieldInfo | None = (
                info.item if kind in ("list", "labels") and info.item else info)
            if not all(self._value_ok(each, v, (*vat, i), label) for i, v in enumerate(value)):
                return Node("all", lambda ctx: False)
        elif takes == "item":
            item = info.item if kind in ("list", "labels") and info.item else None
            if item is None:
                if not isinstance(value, str):
                    return self.fail(vat, f"'{op_name}' on text takes a piece of text")
            elif not self._value_ok(item, value, vat, label):
                return Node("all", lambda ctx: False)
        elif takes == "bound":
            if kind == "scale":
                if scale is None or value not in scale:
                    return self.fail(vat, f"{value!r} is not a value of the scale of {label}; "
                                     f"use one of: {', '.join(scale or ())}"
                                     + did_you_mean(str(value), scale or ()))
                value = scale_value(value, scale)
                test = op.test
                return Node("test", lambda ctx: test(getter(ctx), value), key=key, getter=getter,
                            fixed=True, op=op_name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                return self.fail(vat, f"'{op_name}' takes a number")
        elif takes == "date":
            if not is_date(value):
                return self.fail(vat, f"'{op_name}' takes a date written YYYY-MM-DD, "
                                 "{as_of: 0}, or {parameter: name}")
        elif takes == "length":
            if (not isinstance(value, dict) or len(value) != 1
                    or next(iter(value)) not in LENGTH_COMPARISONS
                    or not isinstance(next(iter(value.values())), int)
                    or isinstance(next(iter(value.values())), bool)):
                return self.fail(vat, "'length' takes one comparison with a whole number, e.g. "
                                 "{at_least: 50}; comparisons: " + ", ".join(LENGTH_COMPARISONS))
        elif takes == "regex":
            if not isinstance(value, str):
                return self.fail(vat, "'matches' takes a regular expression as text")
            why = unsafe_pattern(value)
            if why:
                return self.fail(vat, f"pattern refused: {why}")
        prepared = op.prepare(value)
        test = contains_text if op_name == "contains" and kind == "text" else op.test
        plain = test is op.test
        fn = (inlined(getter, op_name, prepared) if plain else None) or leaf(
            getter, test, prepared)
        presence = op_name in ("exists", "missing")
        varied = ((kind in ("text", "date", "any") and info.enum is None)
                  or (kind in ("group", "items") and not presence))
        return Node("test", fn, key=key, getter=getter, fixed=True, varied=varied, op=op_name)

    def _value_ok(self, info: FieldInfo | None, value: Any, at: PathKey, label: str) -> bool:
        if info is None:
            return True
        if info.enum is not None and value not in info.enum:
            hint = did_you_mean(str(value), info.enum)
            shown = ", ".join(map(str, info.enum[:40]))
            self.fail(at, f"{value!r} is not an allowed value of {label}{hint}; "
                      f"allowed: {shown}")
            return False
        if not type_matches(value, info.types):
            wanted = " or ".join(sorted(describe_type(t) for t in info.types))
            got = describe_type(json_type(value))
            self.fail(at, f"{label} holds {wanted}, so {value!r} ({got}) can never match it")
            return False
        if info.format == "date" and isinstance(value, str) and not is_date(value):
            self.fail(at, f"{label} is a date; write {value!r} as YYYY-MM-DD")
            return False
        return True

    def _field_value(self, other: Any, info: FieldInfo, kind: str, vat: PathKey, label: str
                     ) -> Getter | None:
        """``{field: path}`` as the value of equals/not_equals/contains: compare two answers."""
        ref = self.form.field(tuple(other.split("."))) if isinstance(other, str) else None
        if ref is None:
            self.fail(vat, f"the form has no field '{other}' to compare {label} with")
            return None
        mine = info.item if kind in ("list", "labels") and info.item else info
        if mine.enum is not None and ref.enum is not None and not set(ref.enum) & set(mine.enum):
            self.fail(vat, f"{label} and {ref.label} share no value, so they never match")
            return None
        return path_getter(tuple(other.split(".")))

    def _reference(self, ref: str, value: dict[str, Any], kind: str, vat: PathKey
                   ) -> Getter | None:
        if ref == "parameter":
            name = value["parameter"]
            decl = self.symbols.params.get(name) if isinstance(name, str) else None
            if decl is None:
                hint = did_you_mean(str(name), self.symbols.params)
                self.fail(vat, f"the pack declares no parameter '{name}'{hint}")
                return None
            want = "date" if kind == "date" else "number"
            if (decl[0] == "date") != (want == "date") or decl[0] in ("string", "boolean"):
                self.fail(vat, f"parameter '{name}' is a {decl[0]}, not a {want}")
                return None
            return lambda ctx: ctx.params.get(name, MISSING)
        if ref == "as_of":
            days = value["as_of"]
            if kind != "date" or not isinstance(days, int) or isinstance(days, bool):
                self.fail(vat, "{as_of: N} compares dates; N is a whole number of days")
                return None
            if abs(days) > MAX_AS_OF_DAYS:
                self.fail(vat, f"{{as_of: {days}}} is beyond any date; N is at most "
                          f"{MAX_AS_OF_DAYS:,} days either way")
                return None
            delta = dt.timedelta(days=days)
            return lambda ctx: shifted(ctx.as_of, delta)
        other = value.get("field")
        factor_key = "divided_by" if "divided_by" in value else "times"
        factor = value.get(factor_key, 1)
        info = self.form.field(tuple(str(other).split("."))) if isinstance(other, str) else None
        if kind == "date" and set(value) == {"field"}:  # two dates of the submission
            if info is None or info.format != "date":
                self.fail(vat, "{field: …} compares a date with another date field of the form")
                return None
            return path_getter(tuple(str(other).split(".")))
        numeric = not info.types or bool({"number", "integer"} & info.types) if info else False
        if info is None or kind != "number" or not numeric:
            self.fail(vat, "{field: …} compares a number with another numeric field of the form")
            return None
        if (not isinstance(factor, (int, float)) or isinstance(factor, bool)
                or (factor_key == "divided_by" and factor == 0)):
            self.fail(vat, f"'{factor_key}' takes a non-zero number")
            return None
        get = path_getter(tuple(str(other).split(".")))
        divide = factor_key == "divided_by"

        def scaled(ctx: Context) -> Any:
            found = get(ctx)
            if isinstance(found, (int, float)) and not isinstance(found, bool):
                try:
                    return found / factor if divide else found * factor
                except OverflowError:  # a whole number beyond floats: scale it exactly
                    from fractions import Fraction

                    exact = Fraction(found)
                    return exact / Fraction(factor) if divide else exact * Fraction(factor)
            return MISSING

        return scaled


#: The span of the calendar (years 1 to 9999) in days: ``{as_of: N}`` beyond it is refused.
MAX_AS_OF_DAYS = (dt.date.max - dt.date.min).days


def shifted(day: dt.date, delta: dt.timedelta) -> dt.date:
    """``day`` moved by ``delta``, held to the calendar's first and last day."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta.days > 0 else dt.date.min


def _reference(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    keys = set(value)
    if keys == {"parameter"}:
        return "parameter"
    if keys == {"as_of"}:
        return "as_of"
    if keys in ({"field"}, {"field", "times"}, {"field", "divided_by"}):
        return "field"
    return None


def target_kind(info: FieldInfo) -> str:
    """Classify a field for the operator table: text, number, date, list, items, …"""
    types = info.types
    if not types:
        return "any"
    if "array" in types:
        item = info.item
        if item is not None and item.types == frozenset({"object"}):
            return "items"
        return "list"
    if "object" in types:
        return "group"
    if "string" in types:
        return "date" if info.format == "date" else "text"
    if types <= {"number", "integer", "null"}:
        return "number"
    if "boolean" in types:
        return "boolean"
    return "any"


_KIND_WORDS = {
    "any": "any value", "text": "text", "number": "a number", "date": "a date",
    "boolean": "true/false", "list": "a list", "group": "a group of fields",
    "items": "a list of groups of fields", "scale": "a scale fact", "labels": "a label fact",
}


def describe_kind(kind: str) -> str:
    return _KIND_WORDS.get(kind, kind)


def describe_type(json_type_name: str) -> str:
    return {"string": "text", "integer": "a whole number", "number": "a number",
            "boolean": "true/false", "array": "a list", "object": "a group of fields",
            "null": "nothing"}.get(json_type_name, json_type_name)


def _quantifier(op_name: str, getter: Getter, inner: Node, key: str) -> Node:
    """``any_item`` (some item meets ``inner``) or ``all_items`` (the list is given and no
    item fails it): each stops at the first item that settles it."""
    fn = inner.fn
    settles = op_name == "any_item"  # the outcome of an item that settles the test

    def quantified(ctx: Context) -> bool:
        found = getter(ctx)
        if not isinstance(found, list):
            return False
        item = Context(None, ctx.facts, ctx.params, ctx.as_of)  # one for every item
        for each in found:
            item.data = each
            if bool(fn(item)) is settles:
                return settles
        return not settles

    return Node("test", quantified, (inner,), key=key, getter=getter,
                reads_facts=inner.reads_facts)


def shown(value: Any) -> Any:
    """A tested value as evidence shows it: nothing for an absent field, a set sorted."""
    if value is MISSING:
        return None
    return sorted(value) if isinstance(value, (set, frozenset)) else value


def evidence(node: Node, ctx: Context, out: dict[str, Any]) -> None:
    """Record the values that made ``node`` come out as it did."""
    if node.kind == "test":
        if node.getter is not None and node.key:
            out[node.key] = shown(node.getter(ctx))
        return
    if node.kind == "any":
        for child in node.children:
            if child.fn(ctx):
                evidence(child, ctx, out)
        return
    for child in node.children:
        evidence(child, ctx, out)


def evidence_tests(node: Node) -> tuple[tuple[str, Getter], ...] | None:
    """The (key, getter) pairs :func:`evidence` reads for ``node``, sorted by key, so that
    a rule's evidence can be read without walking its condition; None if ``node`` has an
    ``any``, whose evidence depends on which branch held."""
    found: dict[str, Getter] = {}

    def walk(n: Node) -> bool:
        if n.kind == "test":
            if n.getter is not None and n.key:
                found[n.key] = n.getter
            return True
        if n.kind == "any":
            return False
        return all(walk(child) for child in n.children)

    return tuple(sorted(found.items())) if walk(node) else None
