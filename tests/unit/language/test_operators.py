"""The operator registry: one row per operator, the docs' table, the fast closures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aipolicy.language.closures import Context, Getter, fact_getter, leaf, path_getter
from aipolicy.language.operators import OPERATORS, Operator

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rule-language.md"


def _table() -> list[list[str]]:
    """The rows of the operator table of the rule language docs, as cells."""
    section = DOCS.read_text(encoding="utf-8").split("### Operators", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def test_the_docs_table_has_a_row_for_every_operator_in_the_registrys_order() -> None:
    documented = [re.fullmatch(r"`([a-z_]+)`", row[0]) for row in _table()]
    assert all(documented), [row[0] for row in _table()]
    assert [m.group(1) for m in documented if m] == list(OPERATORS)


def test_each_row_names_its_operator_and_an_operand_check() -> None:
    for name, op in OPERATORS.items():
        assert op.name == name
        assert op.kinds, name
        assert op.operand.name == op.takes, name
        assert op.doc, name


_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-3, 3),
                   st.sampled_from(["a", "b", "c", ""]))
#: what a submission can hold where a field belongs
_ANSWER = st.recursive(_VALUE, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["a", "k"]), inner, max_size=2)), max_leaves=6)
_SUBMISSION = st.one_of(_ANSWER, st.dictionaries(st.sampled_from(["k", "x"]), _ANSWER,
                                                 max_size=2))
#: what a fact can hold: a scale fact a value or nothing yet, a label fact a set of labels
_FACT = {"scale": st.one_of(st.none(), st.sampled_from(["a", "b"])),
         "labels": st.sets(st.sampled_from(["a", "b"]), max_size=2)}
_FAST = sorted(name for name, op in OPERATORS.items() if op.fast is not None)
#: an operand of each shape an operator with a fast closure takes
_OPERANDS: dict[str, st.SearchStrategy[Any]] = {
    "value": _VALUE, "item": _VALUE, "boolean": st.booleans(),
    "values": st.lists(st.sampled_from(["a", "b", "c", "", 1, 2.5]), min_size=1, max_size=3),
    "items": st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
    "bound": st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False)),
}
_GETTERS = [path_getter(("k",)), path_getter(("k", "a")), path_getter(("k", "a", "k")),
            fact_getter("k")]


def _context(op: Operator, getter: Getter, data: st.DataObject) -> Context:
    """A context where ``getter`` reads a value it can hold: a fact's, or an answer put at
    the field's path (or a submission drawn whole, which seldom has it)."""
    fact = getattr(getter, "fact", None)
    if fact is not None:
        kind = "labels" if "labels" in op.kinds and "scale" not in op.kinds else "scale"
        return Context({}, {fact: data.draw(_FACT[kind])}, {}, dt.date(2026, 1, 1))
    found = data.draw(_SUBMISSION)
    if data.draw(st.booleans()):
        found = data.draw(_ANSWER)
        for part in reversed(getter.path):  # type: ignore[attr-defined]
            found = {part: found}
    return Context(found, {}, {}, dt.date(2026, 1, 1))


def test_every_operator_with_a_fast_closure_has_an_operand_strategy_here() -> None:
    assert {OPERATORS[name].takes for name in _FAST} <= set(_OPERANDS)


@pytest.mark.parametrize("name", _FAST)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_fast_closure_gives_exactly_its_operators_test(name: str, data: st.DataObject
                                                        ) -> None:
    op: Operator = OPERATORS[name]
    assert op.fast is not None
    getter = data.draw(st.sampled_from(_GETTERS))
    prepared = op.prepare(data.draw(_OPERANDS[op.takes]))
    fast = op.fast(getter, prepared)
    if fast is None:
        return
    for _ in range(4):
        ctx = _context(op, getter, data)
        assert fast(ctx) is leaf(getter, op.test, prepared)(ctx), (ctx.data, ctx.facts)


_TYPICAL: dict[str, Any] = {"value": "a", "item": "a", "values": ["a"], "items": ["a"],
                            "boolean": True, "bound": 2}


@pytest.mark.parametrize("name", _FAST)
def test_a_fast_closure_is_built_for_a_top_level_field_and_a_typical_operand(name: str
                                                                           ) -> None:
    op = OPERATORS[name]
    assert op.fast is not None
    assert op.fast(path_getter(("k",)), op.prepare(_TYPICAL[op.takes])) is not None


def test_the_compiled_test_is_the_fast_closure_unless_the_target_needs_another_test(
) -> None:
    contains = OPERATORS["contains"]
    get = path_getter(("k",))
    on_list = contains.closure(get, "ab", "list")
    on_text = contains.closure(get, "ab", "text")
    ctx = Context({"k": "xaby"}, {}, {}, dt.date(2026, 1, 1))
    assert on_list(ctx) is False  # a lone value is a one-item list: "xaby" is not "ab"
    assert on_text(ctx) is True  # on text, contains finds a piece of it
