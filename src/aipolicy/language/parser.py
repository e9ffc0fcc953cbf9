"""Conditions: parsed from a pack, checked against the form, compiled into closures.

A condition is data (see ``docs/rule-language.md``). :class:`Parser` reads it, checks
every field path, value and operator against the intake form, the pack's facts and
parameters, and collects every problem with its pack file and line. The result is a tree
of typed nodes (:mod:`aipolicy.language.nodes`), each test holding what the pack wrote,
where, and its compiled closure ``fn(ctx) -> bool`` built from its operator's row in
:data:`aipolicy.language.operators.OPERATORS`; nothing in a pack is ever evaluated as
code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from aipolicy.errors import Location
from aipolicy.form.schema import FieldInfo, Form, did_you_mean
from aipolicy.language.closures import (
    MISSING,
    Context,
    Fn,
    Getter,
    fact_getter,
    parameter_getter,
    path_getter,
)
from aipolicy.language.nodes import (
    AllOf,
    AnyOf,
    Node,
    NoneOf,
    Not,
    Place,
    Reference,
    Source,
    Test,
)
from aipolicy.language.operands import Target, describe_kind, target_kind
from aipolicy.language.operators import OPERATORS, Operator
from aipolicy.language.references import reference_kind, refuse_field_value, resolve_reference
from aipolicy.sources.documents import SourceDoc
from aipolicy.sources.files import PathKey

# the pack compiler and the engine import these from here
COMPOSITES = ("all", "any", "none", "not")
SOURCES = ("field", "fact", "parameter")


@dataclass(frozen=True)
class PackSymbols:
    """What conditions may name besides form fields."""

    facts: dict[str, tuple[str, tuple[str, ...]]]  # name -> ("scale"|"labels", values)
    params: dict[str, tuple[str, tuple[Any, ...] | None]]  # name -> (type, allowed values)


class _Read(NamedTuple):
    """What a test reads, found while parsing it: the source, the path (a fact's or a
    parameter's name as its one part), the getter, and the target the operator and its
    operand are checked against."""

    source: Source
    path: tuple[str, ...]
    getter: Getter
    target: Target
    within: tuple[str, ...] | None = None


@lru_cache(maxsize=1024)
def _fact_read(name: str, kind: str, values: tuple[str, ...]) -> _Read:
    """The read of a fact: the same for every test on it (a pack has a few dozen tests
    on each of a few facts)."""
    scale = kind == "scale"
    info = FieldInfo((name,), f"fact {name}", frozenset({"string"} if scale else {"array"}),
                     values if scale else None, None,
                     None if scale else FieldInfo((name, "[]"), "label", frozenset({"string"}),
                                                  values, None, None, ()), ())
    return _Read("fact", (name,), fact_getter(name),
                 Target(kind, info, f"fact {name}", values if scale else None))


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

    def _place(self, at: PathKey) -> Place:
        return Place(self.doc.path, at, self.doc)

    def fail(self, at: PathKey, message: str) -> Node:
        """Record a problem; the node in its place never holds (the rule is dropped)."""
        self.problems.append((self._loc(at), message))
        return AnyOf((), self._place(at))

    def refused(self, at: PathKey, message: str) -> None:
        self.problems.append((self._loc(at), message))

    # ------------------------------------------------------------------ structure

    def parse(self, raw: Any, at: PathKey, item_of: tuple[str, ...] | None = None) -> Node:
        if not isinstance(raw, dict) or not raw:
            return self.fail(at, "a condition is a mapping such as {field: purposes, "
                             "contains: recruitment_screening} or {all: [...]}")
        composite = [k for k in raw if k in COMPOSITES]
        if not composite:
            return self._test(raw, at, item_of)
        if len(raw) != 1:
            return self.fail(at, f"'{composite[0]}' must be the only key of its mapping; "
                             "put other tests inside it")
        name = composite[0]
        inner = raw[name]
        if name == "not":
            return Not(self.parse(inner, (*at, "not"), item_of), self._place((*at, "not")))
        if not isinstance(inner, list) or not inner:
            return self.fail((*at, name), f"'{name}' takes a non-empty list of conditions")
        kids = tuple(self.parse(c, (*at, name, i), item_of) for i, c in enumerate(inner))
        kind = AllOf if name == "all" else AnyOf if name == "any" else NoneOf
        return kind(kids, self._place((*at, name)))

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
        name = raw[source]
        if not isinstance(name, str) or not name:
            return self.fail((*at, source), f"'{source}' takes a name such as "
                             "biometric_context.real_time")
        read = (self._field(name, at, item_of) if source == "field"
                else self._fact(name, at) if source == "fact" else self._parameter(name, at))
        if read is None:
            return AnyOf((), self._place(at))
        value = raw[op_name]
        vat = (*at, op_name)
        if op.takes == "condition" and source == "field":
            if read.target.kind != "items":
                return self.fail(vat, f"{op_name} needs a list of groups of fields; "
                                 f"{read.target.info.label} is {describe_kind(read.target.kind)}")
            inner = self.parse(value, vat, (*(item_of or ()), *name.split(".")))
            return _quantifier(op, read, value, inner, self._place((*at, source)))
        return self._compile(op, read, value, at, vat)

    # ------------------------------------------------------------------ what a test reads

    def _field(self, name: str, at: PathKey, item_of: tuple[str, ...] | None) -> _Read | None:
        info = self._resolve_field(name, at, item_of)
        if info is None:
            return None
        path = tuple(name.split("."))
        return _Read("field", path, path_getter(path), Target(target_kind(info), info, info.label),
                     item_of)

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
                self.refused((*at, "field"), f"'{'.'.join(prefix)}' is a list; test its items "
                             "with any_item: or all_items:")
                return None
            hint = did_you_mean(path[cut], known.properties)
            self.refused((*at, "field"), f"the form has no field '{target}': "
                         f"{known.label} has no '{path[cut]}'{hint}")
            return None
        where = "the list items" if item_of is not None else "the intake form"
        siblings = (self.form.item_field(item_of, ()) if item_of is not None
                    else self.form.field(()))
        hint = did_you_mean(path[0], siblings.properties if siblings else ())
        self.refused((*at, "field"), f"{where} has no field '{path[0]}'{hint}")
        return None

    def _fact(self, name: str, at: PathKey) -> _Read | None:
        decl = self.symbols.facts.get(name)
        if decl is None:
            hint = did_you_mean(name, self.symbols.facts)
            self.refused((*at, "fact"), f"the pack declares no fact '{name}'{hint}")
            return None
        kind, values = decl
        return _fact_read(name, kind, tuple(values))  # (from the cache: a list)

    def _parameter(self, name: str, at: PathKey) -> _Read | None:
        decl = self.symbols.params.get(name)
        if decl is None:
            hint = did_you_mean(name, self.symbols.params)
            self.refused((*at, "parameter"),
                         f"the pack declares no parameter '{name}'{hint}")
            return None
        ptype, values = decl
        types = {"string": "string", "integer": "integer", "number": "number",
                 "boolean": "boolean", "date": "string"}[ptype]
        info = FieldInfo((name,), f"parameter {name}", frozenset({types}), values,
                         "date" if ptype == "date" else None, None, ())
        return _Read("parameter", (name,), parameter_getter(name),
                     Target(target_kind(info), info, f"parameter {name}"))

    # ------------------------------------------------------------------ operator and operand

    def _compile(self, op: Operator, read: _Read, value: Any, at: PathKey, vat: PathKey
                 ) -> Node:
        target = read.target
        why = op.refuse_target(target)
        if why is not None:
            return self.fail(vat, why)
        getter = read.getter
        kind = reference_kind(value)
        if op.takes in ("value", "item") and kind == "field" and len(value) == 1:
            other, message = refuse_field_value(self.form, value["field"], target)
            if other is None:
                return self.fail(vat, message)
            test = op.test

            def compare(ctx: Context) -> bool:
                found = other(ctx)
                return found is not MISSING and test(getter(ctx), found)

            return self._node(op, read, value, None, "field", at, compare)
        if op.references and kind is not None:
            operand, message = resolve_reference(self.form, self.symbols.params, kind, value,
                                                 target.kind)
            if operand is None:
                return self.fail(vat, message)
            test = op.test
            return self._node(op, read, value, None, kind, at,
                              lambda ctx: test(getter(ctx), operand(ctx)))
        refusal = op.refuse(value, target)
        if refusal is not None:
            return self.fail((*vat, *refusal[0]), refusal[1])
        prepared = op.prepare_for(value, target)
        presence = op.name in ("exists", "missing")
        varied = ((target.kind in ("text", "date", "any") and target.info.enum is None)
                  or (target.kind in ("group", "items") and not presence))
        return self._node(op, read, value, prepared, None, at,
                          op.closure(getter, prepared, target.kind), varied)

    def _node(self, op: Operator, read: _Read, operand: Any, prepared: Any,
              reference: Reference | None, at: PathKey, fn: Fn, varied: bool = False) -> Test:
        return Test(read.source, read.path, op.name, operand, prepared,
                    reference, self._place((*at, read.source)), fn, read.getter, varied,
                    within=read.within)


def _quantifier(op: Operator, read: _Read, operand: Any, inner: Node, place: Place) -> Test:
    """``any_item`` (some item meets ``inner``) or ``all_items`` (the list is given and no
    item fails it): each stops at the first item that settles it."""
    fn = inner.fn
    getter = read.getter
    settles = op.name == "any_item"  # the outcome of an item that settles the test

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

    return Test("field", read.path, op.name, operand, None, None, place,
                quantified, getter, each=inner, within=read.within)
