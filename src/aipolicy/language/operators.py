"""The operator registry: every comparison a condition can make, one row each.

A row (:class:`Operator`) is all there is to an operator: the kinds of target it applies
to, the shape of its operand and the check of it (:mod:`aipolicy.language.operands`),
how the operand is prepared once when the pack compiles, its test, and optionally the
fast closure that runs it (:mod:`aipolicy.language.closures`). Adding an operator is
adding its test and its row here, and its row in the operator table of
``docs/rule-language.md`` (a test holds the two to the same rows).

Each test is a pure function ``test(actual, expected) -> bool`` that never raises,
whatever the submission holds (an incomplete submission may have any type anywhere).
``actual`` is :data:`MISSING` when the field is absent; every operator but ``exists`` and
``missing`` is then false.
"""

from __future__ import annotations

import datetime as dt
import numbers
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aipolicy.language.closures import (
    MISSING,
    Fast,
    Fn,
    Getter,
    fast_compare,
    fast_contains,
    fast_contains_any,
    fast_equals,
    fast_in,
    fast_not_equals,
    fast_not_in,
    fast_presence,
    leaf,
)
from aipolicy.language.operands import (
    BOOLEAN,
    BOUND,
    CONDITION,
    DATE,
    ITEM,
    ITEMS,
    VALUE,
    VALUES,
    Refusal,
    Shape,
    Target,
    describe_kind,
)
from aipolicy.patterns import compile_pattern, unsafe_pattern

__all__ = ["KINDS", "LENGTH_COMPARISONS", "MISSING", "OPERATORS", "Operator", "compile_pattern",
           "contains_text", "inlined", "scale_value", "unsafe_pattern"]

#: The kinds of target an operator can test (see ``operands.target_kind``).
KINDS = ("any", "text", "number", "date", "boolean", "list", "group", "items", "scale", "labels")


def _number(value: Any) -> bool:
    """A number: a whole number of any size, a float, or an exact fraction (a field
    beyond floats, scaled by ``{field: …, divided_by: …}``)."""
    if isinstance(value, (int, float)):
        return not isinstance(value, bool)
    return isinstance(value, numbers.Rational)  # a Fraction: fractions costs 3 ms to import


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


# ---------------------------------------------------------------- the tests


def _equals(actual: Any, expected: Any) -> bool:
    if actual is MISSING:
        return False
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)


def _not_equals(actual: Any, expected: Any) -> bool:
    return actual is not MISSING and not _equals(actual, expected)


def _in(actual: Any, expected: frozenset[Any]) -> bool:
    return _hashable(actual) and not isinstance(actual, bool) and actual in expected


def _not_in(actual: Any, expected: frozenset[Any]) -> bool:
    return actual is not MISSING and _hashable(actual) and actual not in expected


def _items(actual: Any) -> list[Any] | set[Any] | frozenset[Any] | tuple[Any, ...] | None:
    """The items of a list; a lone value where a list belongs counts as a one-item list."""
    if isinstance(actual, (list, set, frozenset)):
        return actual
    if actual is MISSING or actual is None or isinstance(actual, dict):
        return None
    return (actual,)


def _contains(actual: Any, expected: Any) -> bool:
    items = _items(actual)
    return items is not None and _hashable(expected) and expected in items


def contains_text(actual: Any, expected: Any) -> bool:
    """``contains`` on a text field: the piece of text occurs in it."""
    return isinstance(actual, str) and isinstance(expected, str) and expected in actual


def _contains_any(actual: Any, expected: frozenset[Any]) -> bool:
    items = _items(actual)
    return items is not None and any(_hashable(i) and i in expected for i in items)


def _contains_all(actual: Any, expected: frozenset[Any]) -> bool:
    items = _items(actual)
    return items is not None and expected.issubset(i for i in items if _hashable(i))


def _contains_none(actual: Any, expected: frozenset[Any]) -> bool:
    items = _items(actual)
    return items is not None and not any(_hashable(i) and i in expected for i in items)


def _contains_only(actual: Any, expected: frozenset[Any]) -> bool:
    items = _items(actual)
    return items is not None and all(_hashable(i) and i in expected for i in items)


def _exists(actual: Any, expected: bool) -> bool:
    return (actual is not MISSING and actual is not None) is expected


def _missing(actual: Any, expected: bool) -> bool:
    return (actual is MISSING or actual is None) is expected


def _compare(check: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def test(actual: Any, expected: Any) -> bool:
        if isinstance(expected, _Scale):
            return expected.test(actual, check)
        return _number(actual) and _number(expected) and check(actual, expected)

    return test


def _date_compare(check: Callable[[dt.date, dt.date], bool]) -> Callable[[Any, Any], bool]:
    def test(actual: Any, expected: Any) -> bool:
        left, right = _as_date(actual), _as_date(expected)
        return left is not None and right is not None and check(left, right)

    return test


def _length(actual: Any, expected: tuple[Callable[[Any, Any], bool], int]) -> bool:
    if not isinstance(actual, (str, list, dict, set, frozenset)):
        return False
    check, bound = expected
    return check(len(actual), bound)


def _matches(actual: Any, expected: Any) -> bool:
    return isinstance(actual, str) and bool(expected(actual))


class _Scale:
    """A scale value to compare against, with the scale's order."""

    __slots__ = ("index", "order")

    def __init__(self, value: str, order: tuple[str, ...]) -> None:
        self.order = {v: i for i, v in enumerate(order)}
        self.index = self.order[value]

    def test(self, actual: Any, check: Callable[[Any, Any], bool]) -> bool:
        position = self.order.get(actual) if isinstance(actual, str) else None
        return position is not None and check(position, self.index)


def scale_value(value: str, order: tuple[str, ...]) -> Any:
    """A prepared operand for ``at_least``/``at_most`` on a scale fact."""
    return _Scale(value, order)


_LENGTH_CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda a, b: a == b,
    "at_least": lambda a, b: a >= b,
    "at_most": lambda a, b: a <= b,
    "greater_than": lambda a, b: a > b,
    "less_than": lambda a, b: a < b,
}


def _prepare_length(value: Any) -> tuple[Callable[[Any, Any], bool], int]:
    ((name, bound),) = value.items()
    return (_LENGTH_CHECKS[name], bound)


LENGTH_COMPARISONS = tuple(_LENGTH_CHECKS)


def _length_operand(op: str, value: Any, target: Target) -> Refusal | None:
    if (not isinstance(value, dict) or len(value) != 1
            or next(iter(value)) not in LENGTH_COMPARISONS
            or not isinstance(next(iter(value.values())), int)
            or isinstance(next(iter(value.values())), bool)):
        return (), ("'length' takes one comparison with a whole number, e.g. "
                    "{at_least: 50}; comparisons: " + ", ".join(LENGTH_COMPARISONS))
    return None


def _pattern_operand(op: str, value: Any, target: Target) -> Refusal | None:
    if not isinstance(value, str):
        return (), "'matches' takes a regular expression as text"
    why = unsafe_pattern(value)
    return None if why is None else ((), f"pattern refused: {why}")


LENGTH = Shape("length", _length_operand)  # {at_least: 50}
REGEX = Shape("regex", _pattern_operand)  # a bounded regular expression


# ---------------------------------------------------------------- the registry


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Operator:
    """One operator: where it applies, what operand it takes, its test and fast closure."""

    name: str
    kinds: frozenset[str]  # target kinds it applies to ("any": every kind)
    operand: Shape  # what it takes, and the check of it
    test: Callable[[Any, Any], bool]
    doc: str
    prepare: Callable[[Any], Any] = _same  # the operand as the test wants it
    references: bool = False  # may compare with {parameter:…}, {as_of:…}, {field:…}
    fast: Fast | None = None  # its test, hand-inlined with the getter
    on_text: Callable[[Any, Any], bool] | None = None  # its test on a text field, if other

    @property
    def takes(self) -> str:
        """The shape of the operand: value, values, item, items, boolean, bound, …"""
        return self.operand.name

    def refuse_target(self, target: Target) -> str | None:
        """Why this operator cannot test ``target``, or None."""
        if "any" in self.kinds or target.kind in self.kinds:
            return None
        fits = ", ".join(describe_kind(k) for k in sorted(self.kinds))
        return f"'{self.name}' works on {fits}; {target.label} is {describe_kind(target.kind)}"

    def refuse(self, operand: Any, target: Target) -> Refusal | None:
        """Why ``operand`` (as written) can never be compared with ``target``, or None."""
        return self.operand.check(self.name, operand, target)

    def prepare_for(self, operand: Any, target: Target) -> Any:
        """The operand as the test wants it (on a scale fact, a bound is a place on it)."""
        if target.scale is not None and self.takes == "bound":
            return scale_value(operand, target.scale)
        return self.prepare(operand)

    def closure(self, getter: Getter, prepared: Any, kind: str) -> Fn:
        """The compiled test of a target of this kind: the fast closure when there is one
        for the getter and the operand, else the plain test with its getter inlined."""
        test = self.on_text if self.on_text is not None and kind == "text" else self.test
        fast = self.fast(getter, prepared) if self.fast is not None and test is self.test else None
        return fast or leaf(getter, test, prepared)


def _op(name: str, kinds: str, operand: Shape, test: Callable[[Any, Any], bool], doc: str,
        **more: Any) -> tuple[str, Operator]:
    return name, Operator(name, frozenset(kinds.split()), operand, test, doc, **more)


def _frozen(values: Any) -> frozenset[Any]:
    return frozenset(values)


def _never(actual: Any, expected: Any) -> bool:
    return False  # a quantifier runs its condition on each item, never a test


OPERATORS: dict[str, Operator] = dict(
    [
        _op("equals", "any", VALUE, _equals, "the field equals the value", fast=fast_equals),
        _op("not_equals", "any", VALUE, _not_equals, "the field is given and differs",
            fast=fast_not_equals),
        _op("in", "text number scale", VALUES, _in, "the field is one of the values",
            prepare=_frozen, fast=fast_in),
        _op("not_in", "text number scale", VALUES, _not_in,
            "the field is given and is none of the values", prepare=_frozen, fast=fast_not_in),
        _op("contains", "list labels text", ITEM, _contains, "the list holds the item",
            fast=fast_contains, on_text=contains_text),
        _op("contains_any", "list labels", ITEMS, _contains_any,
            "the list holds at least one of the items", prepare=_frozen, fast=fast_contains_any),
        _op("contains_all", "list labels", ITEMS, _contains_all,
            "the list holds every one of the items", prepare=_frozen),
        _op("contains_none", "list labels", ITEMS, _contains_none,
            "the list is given and holds none of the items", prepare=_frozen),
        _op("contains_only", "list labels", ITEMS, _contains_only,
            "the list is given and every item is one of the items", prepare=_frozen),
        _op("exists", "any", BOOLEAN, _exists, "the field is given (true) or not (false)",
            fast=fast_presence(True)),
        _op("missing", "any", BOOLEAN, _missing, "the field is not given (true) or is (false)",
            fast=fast_presence(False)),
        _op("greater_than", "number", BOUND, _compare(operator.gt), "field > value",
            references=True, fast=fast_compare(operator.gt)),
        _op("at_least", "number scale", BOUND, _compare(operator.ge), "field ≥ value",
            references=True, fast=fast_compare(operator.ge)),
        _op("less_than", "number", BOUND, _compare(operator.lt), "field < value",
            references=True, fast=fast_compare(operator.lt)),
        _op("at_most", "number scale", BOUND, _compare(operator.le), "field ≤ value",
            references=True, fast=fast_compare(operator.le)),
        _op("before", "date", DATE, _date_compare(operator.lt), "the date is earlier",
            references=True, prepare=_as_date),
        _op("after", "date", DATE, _date_compare(operator.gt), "the date is later",
            references=True, prepare=_as_date),
        _op("on_or_before", "date", DATE, _date_compare(operator.le),
            "the date is the same or earlier", references=True, prepare=_as_date),
        _op("on_or_after", "date", DATE, _date_compare(operator.ge),
            "the date is the same or later", references=True, prepare=_as_date),
        _op("length", "text list labels", LENGTH, _length,
            "the number of characters or items compares so", prepare=_prepare_length),
        _op("matches", "text", REGEX, _matches, "the pattern is found in the text",
            prepare=compile_pattern),
        _op("any_item", "items", CONDITION, _never, "at least one item meets the condition"),
        _op("all_items", "items", CONDITION, _never,
            "the list is given and every item meets the condition"),
    ]
)


def inlined(getter: Getter, op: str, value: Any) -> Fn | None:
    """The fast closure of operator ``op`` for this getter and prepared operand, or None."""
    fast = OPERATORS[op].fast
    return None if fast is None else fast(getter, value)
