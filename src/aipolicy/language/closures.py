"""Compiled conditions: the closures a rule runs, and what they read.

:mod:`aipolicy.language.parser` checks a condition against the form and builds it from these
pieces: getters that read a field, fact or parameter from a :class:`Context`, ``all`` and
``any`` unrolled for short lists, and hand-inlined tests for the commonest operators.
Each inlined test gives exactly the result of its operator in :mod:`aipolicy.language.operators`
(``tests/test_operators.py`` checks that on generated values).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

from aipolicy.language.operators import MISSING

Fn = Callable[["Context"], bool]
Getter = Callable[["Context"], Any]


class Context:
    """What a compiled condition reads: the submission, facts so far, parameters, date."""

    __slots__ = ("as_of", "data", "facts", "params")

    def __init__(
        self, data: Any, facts: dict[str, Any], params: dict[str, Any], as_of: dt.date
    ) -> None:
        self.data = data
        self.facts = facts
        self.params = params
        self.as_of = as_of



def all_of(fns: tuple[Fn, ...]) -> Fn:
    """``all`` over compiled conditions, unrolled for the common short lists."""
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns
        return lambda ctx: a(ctx) and b(ctx)
    if len(fns) == 3:
        a, b, c = fns
        return lambda ctx: a(ctx) and b(ctx) and c(ctx)

    def every(ctx: Context) -> bool:
        for fn in fns:  # noqa: SIM110 - a plain loop is faster than all() over a generator
            if not fn(ctx):
                return False
        return True

    return every


def any_of(fns: tuple[Fn, ...]) -> Fn:
    """``any`` over compiled conditions, unrolled for the common short lists."""
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns
        return lambda ctx: a(ctx) or b(ctx)
    if len(fns) == 3:
        a, b, c = fns
        return lambda ctx: a(ctx) or b(ctx) or c(ctx)

    def some(ctx: Context) -> bool:
        for fn in fns:  # noqa: SIM110 - a plain loop is faster than any() over a generator
            if fn(ctx):
                return True
        return False

    return some


def inlined(getter: Getter, op: str, value: Any) -> Fn | None:
    """Hand-inlined closures for the commonest tests; None when there is none.

    Each gives exactly the result of the operator in :mod:`aipolicy.language.operators` (a test
    on an absent field is false; a lone value where a list belongs is a one-item list).
    """
    path = getattr(getter, "path", None)
    fact = getattr(getter, "fact", None)
    if fact is not None:
        if op == "equals" and type(value) is str:
            return lambda ctx: ctx.facts.get(fact) == value
        if op == "contains" and type(value) is str:
            return lambda ctx: value in ctx.facts.get(fact, ())
        return None
    if path is None:
        return None
    general = _inlined_any_depth(getter, op, value)
    if len(path) != 1:
        return general
    (k,) = path
    if op == "equals" and type(value) is str:
        def equals(ctx: Context) -> bool:
            data = ctx.data
            return type(data) is dict and data.get(k) == value

        return equals
    if op == "in" and all(type(v) is str for v in value):
        def within(ctx: Context) -> bool:
            data = ctx.data
            found = data.get(k) if type(data) is dict else None
            return type(found) is str and found in value

        return within
    if op == "contains" and type(value) is str:
        def contains(ctx: Context) -> bool:
            data = ctx.data
            found = data.get(k) if type(data) is dict else None
            if type(found) is list:
                return value in found
            return type(found) is str and found == value

        return contains
    if op == "contains_any" and all(type(v) is str for v in value):
        def contains_any(ctx: Context) -> bool:
            data = ctx.data
            found = data.get(k) if type(data) is dict else None
            if type(found) is list:
                for item in found:  # noqa: SIM110 - faster than any() on the hot path
                    if type(item) is str and item in value:
                        return True
                return False
            return type(found) is str and found in value

        return contains_any
    return general


_NUMBER_CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "greater_than": operator.gt, "at_least": operator.ge, "less_than": operator.lt,
    "at_most": operator.le}


def _inlined_any_depth(get: Getter, op: str, value: Any) -> Fn | None:
    """Inlined tests on a field at any depth, read by its getter; None when there is none.

    Each gives exactly the result of the operator in :mod:`aipolicy.language.operators` for the
    values a submission can hold (None, true/false, numbers, text, lists and mappings).
    """
    if op in _NUMBER_CHECKS and type(value) in (int, float):
        bound = value
        check = _NUMBER_CHECKS[op]

        def compare(ctx: Context) -> bool:
            v = get(ctx)
            return (type(v) is int or type(v) is float) and check(v, bound)

        return compare
    if op in ("exists", "missing") and type(value) is bool:
        given = value if op == "exists" else not value

        def exists(ctx: Context) -> bool:
            v = get(ctx)
            return (v is not MISSING and v is not None) is given

        return exists
    if op == "not_equals" and type(value) is str:
        def not_equals(ctx: Context) -> bool:
            v = get(ctx)
            return v is not MISSING and v != value

        return not_equals
    if op == "not_in" and all(type(v) is str for v in value):
        def not_in(ctx: Context) -> bool:
            v = get(ctx)
            t = type(v)
            if t is str:
                return v not in value
            return v is None or t is bool or t is int or t is float

        return not_in
    return None


def leaf(getter: Getter, test: Callable[[Any, Any], bool], value: Any) -> Fn:
    """A test with its getter inlined for fields one or two levels deep."""
    path = getattr(getter, "path", None)
    if path is not None and len(path) == 1:
        (k,) = path

        def test1(ctx: Context) -> bool:
            data = ctx.data
            return test(data.get(k, MISSING) if type(data) is dict else MISSING, value)

        return test1
    if path is not None and len(path) == 2:
        a, b = path

        def test2(ctx: Context) -> bool:
            data = ctx.data
            mid = data.get(a) if type(data) is dict else None
            return test(mid.get(b, MISSING) if type(mid) is dict else MISSING, value)

        return test2
    return lambda ctx: test(getter(ctx), value)


def path_getter(path: tuple[str, ...]) -> Getter:
    if len(path) == 1:
        (k,) = path

        def get1(ctx: Context) -> Any:
            data = ctx.data
            return data.get(k, MISSING) if type(data) is dict else MISSING

        get1.path = path  # type: ignore[attr-defined]
        return get1
    if len(path) == 2:
        a, b = path

        def get2(ctx: Context) -> Any:
            data = ctx.data
            mid = data.get(a) if type(data) is dict else None
            return mid.get(b, MISSING) if type(mid) is dict else MISSING

        get2.path = path  # type: ignore[attr-defined]
        return get2

    def get_n(ctx: Context) -> Any:
        node = ctx.data
        for part in path:
            if type(node) is not dict:
                return MISSING
            node = node.get(part, MISSING)
            if node is MISSING:
                return MISSING
        return node

    get_n.path = path  # type: ignore[attr-defined]
    return get_n


def fact_getter(name: str) -> Getter:
    def get(ctx: Context) -> Any:
        value = ctx.facts.get(name)
        return MISSING if value is None else value

    get.fact = name  # type: ignore[attr-defined]
    return get
