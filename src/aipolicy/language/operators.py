"""The operator registry: every comparison a condition can make.

Each operator is a pure function ``test(actual, expected) -> bool`` that never raises,
whatever the submission holds (an incomplete submission may have any type anywhere).
``actual`` is :data:`MISSING` when the field is absent; every operator but ``exists`` and
``missing`` is then false.  ``prepare`` turns the pack's value into the form the test
wants, once, when the pack is compiled.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

#: The kinds of target an operator can test (see ``conditions.target_kind``).
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


def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """Whether the pattern is found in a text, by a linear-time matcher (RE2): no text,
    however crafted, can make it run long. A text holding a lone surrogate (JSON can
    write one) is matched as it is encoded, never refused."""
    import re2

    options = re2.Options()
    options.log_errors = False  # a refused pattern is our message, not RE2's log on stderr
    compiled = re2.compile(pattern, options)
    direct = _direct_call(re2, compiled)
    if direct is None:
        def search(text: str) -> bool:
            return compiled.search(text.encode("utf-8", "surrogatepass").decode(
                "utf-8", "replace")) is not None

        return search
    match, unanchored, nowhere = direct

    def found(text: str) -> bool:
        data = text.encode("utf-8", "surrogatepass")
        return bool(match(unanchored, data, 0, len(data))[0] != nowhere)

    return found


def _direct_call(re2: Any, compiled: Any) -> tuple[Any, Any, Any] | None:
    """RE2's own match call, without the wrapper's match objects (a third of the time),
    with its arguments; None if this version of the wrapper does not have it."""
    match = getattr(getattr(compiled, "_regexp", None), "Match", None)
    unanchored = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    nowhere = getattr(re2, "_NULL_SPAN", None)
    if match is None or unanchored is None or nowhere is None:
        return None
    return match, unanchored, nowhere


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


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Operator:
    """One operator: where it applies, what value it takes, and its test."""

    name: str
    kinds: frozenset[str]  # target kinds it applies to ("any": every kind)
    takes: str  # value | values | boolean | bound | date | length | regex | condition
    test: Callable[[Any, Any], bool]
    prepare: Callable[[Any], Any] = lambda v: v
    references: bool = False  # may compare with {parameter:…}, {as_of:…}, {field:…}
    doc: str = ""


def _op(
    name: str,
    kinds: str,
    takes: str,
    test: Callable[[Any, Any], bool],
    doc: str,
    *,
    prepare: Callable[[Any], Any] = lambda v: v,
    references: bool = False,
) -> tuple[str, Operator]:
    return name, Operator(name, frozenset(kinds.split()), takes, test, prepare, references, doc)


def _frozen(values: Any) -> frozenset[Any]:
    return frozenset(values)


OPERATORS: dict[str, Operator] = dict(
    [
        _op("equals", "any", "value", _equals, "the field equals the value"),
        _op("not_equals", "any", "value", _not_equals, "the field is given and differs"),
        _op("in", "text number scale", "values", _in, "the field is one of the values",
            prepare=_frozen),
        _op("not_in", "text number scale", "values", _not_in,
            "the field is given and is none of the values", prepare=_frozen),
        _op("contains", "list labels text", "item", _contains, "the list holds the item"),
        _op("contains_any", "list labels", "items", _contains_any,
            "the list holds at least one of the items", prepare=_frozen),
        _op("contains_all", "list labels", "items", _contains_all,
            "the list holds every one of the items", prepare=_frozen),
        _op("contains_none", "list labels", "items", _contains_none,
            "the list is given and holds none of the items", prepare=_frozen),
        _op("contains_only", "list labels", "items", _contains_only,
            "the list is given and every item is one of the items", prepare=_frozen),
        _op("exists", "any", "boolean", _exists, "the field is given (true) or not (false)"),
        _op("missing", "any", "boolean", _missing, "the field is not given (true) or is (false)"),
        _op("greater_than", "number", "bound", _compare(lambda a, b: a > b), "field > value",
            references=True),
        _op("at_least", "number scale", "bound", _compare(lambda a, b: a >= b),
            "field ≥ value", references=True),
        _op("less_than", "number", "bound", _compare(lambda a, b: a < b), "field < value",
            references=True),
        _op("at_most", "number scale", "bound", _compare(lambda a, b: a <= b),
            "field ≤ value", references=True),
        _op("before", "date", "date", _date_compare(lambda a, b: a < b),
            "the date is earlier", references=True, prepare=_as_date),
        _op("after", "date", "date", _date_compare(lambda a, b: a > b),
            "the date is later", references=True, prepare=_as_date),
        _op("on_or_before", "date", "date", _date_compare(lambda a, b: a <= b),
            "the date is the same or earlier", references=True, prepare=_as_date),
        _op("on_or_after", "date", "date", _date_compare(lambda a, b: a >= b),
            "the date is the same or later", references=True, prepare=_as_date),
        _op("length", "text list labels", "length", _length,
            "the number of characters or items compares so", prepare=_prepare_length),
        _op("matches", "text", "regex", _matches, "the pattern is found in the text",
            prepare=compile_pattern),
        _op("any_item", "items", "condition", lambda a, b: False,
            "at least one item meets the condition"),
        _op("all_items", "items", "condition", lambda a, b: False,
            "the list is given and every item meets the condition"),
    ]
)

LENGTH_COMPARISONS = tuple(_LENGTH_CHECKS)


# ---------------------------------------------------------------- bounded regular expressions

MAX_PATTERN = 200


def unsafe_pattern(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used by ``matches``, or None when it can.

    Patterns run on RE2, whose matching time is linear in the text, so nested
    repetition is harmless; what RE2 cannot do (back-references, look-around) is
    refused here with a plain explanation.
    """
    if len(pattern) > MAX_PATTERN:
        return f"the pattern is longer than {MAX_PATTERN} characters"
    import warnings

    try:
        with warnings.catch_warnings():  # e.g. "possible nested set": no noise on stderr
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as c
        import sre_parse

    def walk(items: Any) -> str | None:
        for op, av in items:
            if op in (c.GROUPREF, c.GROUPREF_EXISTS):
                return "back-references are not allowed"
            if op in (c.ASSERT, c.ASSERT_NOT):
                return "look-ahead and look-behind are not allowed"
            if op.name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
                return "possessive repeats and atomic groups are not supported"
            for sub in _subpatterns(op, av, c):
                why = walk(sub)
                if why:
                    return why
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = sre_parse.parse(pattern)
    why = walk(parsed)
    if why:
        return why
    try:
        compile_pattern(pattern)
    except Exception as exc:  # re2.error: a construct RE2 does not support
        said = exc.args[0] if exc.args else exc  # RE2 says it in bytes
        text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
        return f"not supported by the linear-time matcher: {text}"
    return None


def _subpatterns(op: Any, av: Any, c: Any) -> list[Any]:
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return [av[2]]
    if op is c.SUBPATTERN:
        return [av[-1]]
    if op is c.BRANCH:
        return list(av[1])
    return []
