"""What an operand may be: the shapes of operands and their checks against a target.

Each operator's row in :data:`aipolicy.language.operators.OPERATORS` names the
:class:`Shape` of its operand. A shape's check reads the operand as the pack wrote it,
against the :class:`Target` the test reads (a form field, a fact, a parameter: its kind,
type, allowed values), and says in the pack author's words what is wrong, or None. A
shape only one operator takes (``length``, ``matches``) lives beside that operator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aipolicy.form.schema import FieldInfo, did_you_mean, is_date, json_type, type_matches

#: A refused operand: where in it (``()``: the operand itself; ``(2,)``: its third value)
#: and why.
Refusal = tuple[tuple[int, ...], str]


@dataclass(frozen=True)
class Target:
    """What a test reads, as operand checks see it."""

    kind: str  # see target_kind; facts: "scale" or "labels"
    info: FieldInfo  # types, allowed values, format, what each item is
    label: str  # how messages name it: 'purposes ("Purposes")', "fact tier"
    scale: tuple[str, ...] | None = None  # a scale fact's values, lowest first

    @property
    def each(self) -> FieldInfo | None:
        """What each item of a list target is; None for a target that is not a list."""
        return self.info.item if self.kind in ("list", "labels") and self.info.item else None


#: ``check(operator name, operand as written, target) -> Refusal | None``
Check = Callable[[str, Any, Target], "Refusal | None"]


@dataclass(frozen=True)
class Shape:
    """What an operator takes (its name is the docs' *value* column), and the check."""

    name: str
    check: Check


def value_refusal(info: FieldInfo | None, value: Any, label: str) -> str | None:
    """Why ``value`` can never be a value of the field ``info`` describes, or None."""
    if info is None:
        return None
    if info.enum is not None and value not in info.enum:
        hint = did_you_mean(str(value), info.enum)
        shown = ", ".join(map(str, info.enum[:40]))
        return f"{value!r} is not an allowed value of {label}{hint}; allowed: {shown}"
    if not type_matches(value, info.types):
        wanted = " or ".join(sorted(describe_type(t) for t in info.types))
        got = describe_type(json_type(value))
        return f"{label} holds {wanted}, so {value!r} ({got}) can never match it"
    if info.format == "date" and isinstance(value, str) and not is_date(value):
        return f"{label} is a date; write {value!r} as YYYY-MM-DD"
    return None


def _at_operand(why: str | None) -> Refusal | None:
    return None if why is None else ((), why)


def _boolean(op: str, value: Any, target: Target) -> Refusal | None:
    return None if isinstance(value, bool) else ((), f"'{op}' takes true or false")


def _value(op: str, value: Any, target: Target) -> Refusal | None:
    return _at_operand(value_refusal(target.info, value, target.label))


def _values(op: str, value: Any, target: Target) -> Refusal | None:
    if not isinstance(value, list) or not value:
        return (), f"'{op}' takes a non-empty list of values"
    each = target.each or target.info
    for i, one in enumerate(value):
        why = value_refusal(each, one, target.label)
        if why is not None:
            return (i,), why
    return None


def _item(op: str, value: Any, target: Target) -> Refusal | None:
    each = target.each
    if each is None:
        return None if isinstance(value, str) else ((), f"'{op}' on text takes a piece of text")
    return _at_operand(value_refusal(each, value, target.label))


def _bound(op: str, value: Any, target: Target) -> Refusal | None:
    if target.kind == "scale":
        scale = target.scale
        if scale is None or value not in scale:
            return (), (f"{value!r} is not a value of the scale of {target.label}; "
                        f"use one of: {', '.join(scale or ())}"
                        + did_you_mean(str(value), scale or ()))
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return (), f"'{op}' takes a number"
    return None


def _date(op: str, value: Any, target: Target) -> Refusal | None:
    if is_date(value):
        return None
    return (), f"'{op}' takes a date written YYYY-MM-DD, {{as_of: 0}}, or {{parameter: name}}"


def _condition(op: str, value: Any, target: Target) -> Refusal | None:
    return None  # a condition on each item: the parser parses it as a condition


BOOLEAN = Shape("boolean", _boolean)
VALUE = Shape("value", _value)  # a value the field allows
VALUES = Shape("values", _values)  # a non-empty list of values the field allows
ITEM = Shape("item", _item)  # a value a list's items allow; a piece of text for text
ITEMS = Shape("items", _values)  # a non-empty list of values the items allow
BOUND = Shape("bound", _bound)  # a number, or a value of a scale fact's scale
DATE = Shape("date", _date)
CONDITION = Shape("condition", _condition)


# ---------------------------------------------------------------- targets in words


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
