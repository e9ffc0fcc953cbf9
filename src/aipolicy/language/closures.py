"""Compiled conditions: the closures a rule runs, and what they read.

:mod:`aipolicy.language.parser` checks a condition against the form and builds it from these
pieces: getters that read a field, fact or parameter from a :class:`Context`, ``all`` and
``any`` unrolled for short lists, and the *fast closures* of the commonest tests, each
hand-inlined with its getter. An operator names its fast closure in its row of
:data:`aipolicy.language.operators.OPERATORS`; each gives exactly the result of the
operator's plain test (``tests/unit/language/`` checks that on generated values).
Inlining halves the time a rule takes: keep it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


#: What a getter returns for an absent field, fact or parameter.
MISSING: Any = _Missing()

Fn = Callable[["Context"], bool]
Getter = Callable[["Context"], Any]
#: A fast closure of an operator: built from the getter and the prepared operand, or None
#: when there is none for them (the plain test then runs through :func:`leaf`).
Fast = Callable[[Getter, Any], "Fn | None"]


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


def always(_ctx: Context) -> bool:
    """The closure of a condition that always holds (``all`` of nothing)."""
    return True


def never(_ctx: Context) -> bool:
    """The closure of a condition that never holds (``any`` of nothing)."""
    return False


def all_of(fns: tuple[Fn, ...]) -> Fn:
    """``all`` over compiled conditions, unrolled for the common short lists."""
    if not fns:
        return always
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
    if not fns:
        return never
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


# ---------------------------------------------------------------- getters and plain tests


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


def parameter_getter(name: str) -> Getter:
    return lambda ctx: ctx.params.get(name, MISSING)


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


# ---------------------------------------------------------------- fast closures
#
# Each gives exactly the result of its operator's test (a test on an absent field is
# false; a lone value where a list belongs is a one-item list). Those on ``_top`` fields
# read a key of the submission itself; the others read a field at any depth.


def _top(getter: Getter) -> str | None:
    """The key of a field at the top of the submission, else None."""
    path = getattr(getter, "path", None)
    return path[0] if path is not None and len(path) == 1 else None


def _field(getter: Getter) -> bool:
    return getattr(getter, "path", None) is not None


def fast_equals(getter: Getter, value: Any) -> Fn | None:
    if type(value) is not str:
        return None
    fact = getattr(getter, "fact", None)
    if fact is not None:
        return lambda ctx: ctx.facts.get(fact) == value
    k = _top(getter)
    if k is None:
        return None

    def equals(ctx: Context) -> bool:
        data = ctx.data
        return type(data) is dict and data.get(k) == value

    return equals


def fast_contains(getter: Getter, value: Any) -> Fn | None:
    if type(value) is not str:
        return None
    fact = getattr(getter, "fact", None)
    if fact is not None:
        return lambda ctx: value in ctx.facts.get(fact, ())
    k = _top(getter)
    if k is None:
        return None

    def contains(ctx: Context) -> bool:
        data = ctx.data
        found = data.get(k) if type(data) is dict else None
        if type(found) is list:
            return value in found
        return type(found) is str and found == value

    return contains


def fast_in(getter: Getter, value: Any) -> Fn | None:
    k = _top(getter)
    if k is None or not all(type(v) is str for v in value):
        return None

    def within(ctx: Context) -> bool:
        data = ctx.data
        found = data.get(k) if type(data) is dict else None
        return type(found) is str and found in value

    return within


def fast_contains_any(getter: Getter, value: Any) -> Fn | None:
    k = _top(getter)
    if k is None or not all(type(v) is str for v in value):
        return None

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


def fast_compare(check: Callable[[Any, Any], bool]) -> Fast:
    """The fast closure of a comparison with a number (``check``: ``operator.gt``, …)."""

    def build(get: Getter, value: Any) -> Fn | None:
        if not _field(get) or type(value) not in (int, float):
            return None
        bound = value

        def compare(ctx: Context) -> bool:
            v = get(ctx)
            return (type(v) is int or type(v) is float) and check(v, bound)

        return compare

    return build


def fast_presence(asks_given: bool) -> Fast:
    """The fast closure of ``exists`` (``asks_given``) or ``missing``."""

    def build(get: Getter, value: Any) -> Fn | None:
        if not _field(get) or type(value) is not bool:
            return None
        given = value if asks_given else not value

        def exists(ctx: Context) -> bool:
            v = get(ctx)
            return (v is not MISSING and v is not None) is given

        return exists

    return build


def fast_not_equals(get: Getter, value: Any) -> Fn | None:
    if not _field(get) or type(value) is not str:
        return None

    def not_equals(ctx: Context) -> bool:
        v = get(ctx)
        return v is not MISSING and v != value

    return not_equals


def fast_not_in(get: Getter, value: Any) -> Fn | None:
    if not _field(get) or not all(type(v) is str for v in value):
        return None

    def not_in(ctx: Context) -> bool:
        v = get(ctx)
        t = type(v)
        if t is str:
            return v not in value
        return v is None or t is bool or t is int or t is float

    return not_in
