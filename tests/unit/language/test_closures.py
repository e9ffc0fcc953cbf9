"""The operator table: every operator, on present, absent and wrongly typed values."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aipolicy.language.operators import (
    MISSING,
    OPERATORS,
    contains_text,
    scale_value,
    unsafe_pattern,
)
from helpers.paths import ROOT

# (operator, actual value in the submission, value in the pack, expected result)
TABLE: list[tuple[str, Any, Any, bool]] = [
    ("equals", "production", "production", True),
    ("equals", "pilot", "production", False),
    ("equals", MISSING, "production", False),
    ("equals", True, True, True),
    ("equals", 1, True, False),  # a number is never a boolean
    ("equals", "yes", True, False),
    ("equals", 6, 6.0, True),
    ("not_equals", "pilot", "production", True),
    ("not_equals", "production", "production", False),
    ("not_equals", MISSING, "production", False),  # absent: false, say `missing` instead
    ("in", "pilot", frozenset({"pilot", "production"}), True),
    ("in", "idea", frozenset({"pilot", "production"}), False),
    ("in", MISSING, frozenset({"pilot"}), False),
    ("in", ["pilot"], frozenset({"pilot"}), False),  # a list is not a value
    ("in", True, frozenset({1}), False),
    ("not_in", "idea", frozenset({"pilot"}), True),
    ("not_in", "pilot", frozenset({"pilot"}), False),
    ("not_in", MISSING, frozenset({"pilot"}), False),
    ("contains", ["a", "b"], "a", True),
    ("contains", ["a", "b"], "c", False),
    ("contains", "recruitment_screening", "recruitment_screening", True),  # one-item list
    ("contains", "another", "other", False),  # never a substring on a list field
    ("contains", MISSING, "a", False),
    ("contains", {"a"}, "a", True),  # label facts are sets
    ("contains", 5, "a", False),
    ("contains", [["a"]], "a", False),
    ("contains_any", ["a", "b"], frozenset({"b", "z"}), True),
    ("contains_any", ["a"], frozenset({"z"}), False),
    ("contains_any", [], frozenset({"z"}), False),
    ("contains_any", MISSING, frozenset({"z"}), False),
    ("contains_any", "abc", frozenset({"a"}), False),
    ("contains_any", "a", frozenset({"a"}), True),
    ("contains_any", {"k": "a"}, frozenset({"a"}), False),
    ("contains_all", ["a", "b", "c"], frozenset({"a", "b"}), True),
    ("contains_all", ["a"], frozenset({"a", "b"}), False),
    ("contains_all", MISSING, frozenset({"a"}), False),
    ("contains_none", ["a"], frozenset({"z"}), True),
    ("contains_none", [], frozenset({"z"}), True),
    ("contains_none", ["z"], frozenset({"z"}), False),
    ("contains_none", MISSING, frozenset({"z"}), False),
    ("contains_only", ["a", "b"], frozenset({"a", "b", "c"}), True),
    ("contains_only", [], frozenset({"a"}), True),
    ("contains_only", ["a", "d"], frozenset({"a"}), False),
    ("contains_only", MISSING, frozenset({"a"}), False),
    ("exists", "x", True, True),
    ("exists", MISSING, True, False),
    ("exists", None, True, False),
    ("exists", MISSING, False, True),
    ("exists", [], True, True),
    ("missing", MISSING, True, True),
    ("missing", None, True, True),
    ("missing", "x", True, False),
    ("missing", "x", False, True),
    ("greater_than", 7, 6, True),
    ("greater_than", 6, 6, False),
    ("greater_than", MISSING, 6, False),
    ("greater_than", "7", 6, False),
    ("greater_than", True, 0, False),
    ("greater_than", 2e25, 1e25, True),
    ("at_least", 6, 6, True),
    ("at_least", 5.9, 6, False),
    ("less_than", 3, 6, True),
    ("less_than", 6, 6, False),
    ("less_than", None, 6, False),
    ("at_most", 10, 10, True),
    ("at_most", 11, 10, False),
    ("before", "2026-01-01", "2026-11-22", True),
    ("before", "2026-11-22", "2026-11-22", False),
    ("before", "not a date", "2026-11-22", False),
    ("before", MISSING, "2026-11-22", False),
    ("after", "2027-01-01", "2026-11-22", True),
    ("after", "2026-11-22", "2026-11-22", False),
    ("on_or_before", "2026-11-22", "2026-11-22", True),
    ("on_or_before", "2026-11-23", "2026-11-22", False),
    ("on_or_after", "2026-11-22", "2026-11-22", True),
    ("on_or_after", "2026-11-21", "2026-11-22", False),
    ("length", "abcdef", {"at_least": 5}, True),
    ("length", "abc", {"at_least": 5}, False),
    ("length", ["a", "b"], {"equals": 2}, True),
    ("length", [], {"greater_than": 0}, False),
    ("length", {"a"}, {"at_least": 1}, True),
    ("length", set(), {"at_least": 1}, False),
    ("length", 12345, {"at_most": 9}, False),
    ("length", MISSING, {"less_than": 9}, False),
    ("matches", "ai-team@example.com", r"^ai[-.@]", True),
    ("matches", "jane@example.com", r"^ai[-.@]", False),
    ("matches", 42, r"4", False),
    ("matches", MISSING, r".", False),
]


@pytest.mark.parametrize(("op", "actual", "expected", "result"), TABLE)
def test_operator(op: str, actual: Any, expected: Any, result: bool) -> None:
    operator = OPERATORS[op]
    assert operator.test(actual, operator.prepare(expected)) is result


@pytest.mark.parametrize(
    ("actual", "expected", "result"),
    [("recruiters decide", "decide", True), ("recruiters", "decide", False),
     (["decide"], "decide", False), (MISSING, "x", False)],
)
def test_contains_on_text_fields_finds_a_substring(actual: Any, expected: str,
                                                   result: bool) -> None:
    assert contains_text(actual, expected) is result


def test_every_operator_has_rows_in_the_table() -> None:
    tested = {row[0] for row in TABLE} | {"any_item", "all_items"}  # quantifiers: test_conditions
    assert tested == set(OPERATORS)


@pytest.mark.parametrize(
    ("actual", "op", "bound", "result"),
    [
        ("high", "at_least", "elevated", True),
        ("elevated", "at_least", "elevated", True),
        ("low", "at_least", "elevated", False),
        ("low", "at_most", "elevated", True),
        ("prohibited", "at_most", "high", False),
        (MISSING, "at_least", "low", False),
        ("bogus", "at_least", "low", False),
    ],
)
def test_scale_comparisons(actual: Any, op: str, bound: str, result: bool) -> None:
    order = ("low", "elevated", "high", "prohibited")
    assert OPERATORS[op].test(actual, scale_value(bound, order)) is result


def test_docs_operator_table_lists_every_operator() -> None:
    text = (ROOT / "docs" / "rule-language.md").read_text()
    text = text.split("### Operators", 1)[1].split("\n#", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(OPERATORS)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"^[A-Z]{2,6}-\d{3,6}$", None),
        (r"foo|bar", None),
        (r"(ab)+c", None),
        (r"(a+)+b", None),  # harmless on RE2: matching time is linear
        (r"(a|aa)+", None),
        (r"a*+", "possessive"),
        (r"(\w)\1", "back-references"),
        (r"(?=a)b", "look-ahead"),
        (r"(?<!a)b", "look-ahead and look-behind"),
        ("a" * 201, "longer than 200"),
        (r"(", "not a valid regular expression"),
    ],
)
def test_patterns_that_cannot_run_in_linear_time_are_refused(pattern: str,
                                                            reason: str | None) -> None:
    why = unsafe_pattern(pattern)
    if reason is None:
        assert why is None
    else:
        assert why is not None
        assert reason in why


_ANY = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False),
              st.sampled_from(["a", "b", "c", ""])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["a", "k"]), inner, max_size=2)),
    max_leaves=6,
)


_TEXT_OPS = ["equals", "in", "contains", "contains_any", "not_equals", "not_in"]
_NUMBER_OPS = ["greater_than", "at_least", "less_than", "at_most"]


@settings(max_examples=600, deadline=None)
@given(data=st.one_of(_ANY, st.dictionaries(st.sampled_from(["k", "x"]), _ANY, max_size=2),
                      st.dictionaries(st.sampled_from(["k", "x"]),
                                      st.dictionaries(st.sampled_from(["k", "j"]), _ANY,
                                                      max_size=2), max_size=2)),
       test=st.one_of(
           st.tuples(st.sampled_from(_TEXT_OPS), st.sampled_from(["a", "b"])),
           st.tuples(st.sampled_from(_NUMBER_OPS),
                     st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False))),
           st.tuples(st.sampled_from(["exists", "missing"]), st.booleans())),
       path=st.sampled_from([("k",), ("k", "k"), ("k", "j", "a")]))
def test_inlined_fast_paths_agree_with_the_operators(data: Any, test: tuple[str, Any],
                                                     path: tuple[str, ...]) -> None:
    from aipolicy.language.closures import Context, leaf, path_getter
    from aipolicy.language.operators import inlined

    op, expected = test
    getter = path_getter(path)
    operator = OPERATORS[op]
    value = operator.prepare([expected] if operator.takes in ("values", "items") else expected)
    fast = inlined(getter, op, value)
    if fast is None:  # these four are inlined for top-level fields only
        assert op in ("equals", "in", "contains", "contains_any")
        assert len(path) > 1
        return
    ctx = Context(data, {}, {}, dt.date(2026, 1, 1))
    assert fast(ctx) is leaf(getter, operator.test, value)(ctx)


@settings(max_examples=200, deadline=None)
@given(facts=st.dictionaries(st.just("f"), st.one_of(st.none(), st.sampled_from(["a", "b"]),
                                                     st.sets(st.sampled_from(["a", "b"])))),
       expected=st.sampled_from(["a", "b"]), op=st.sampled_from(["equals", "contains"]))
def test_inlined_fact_tests_agree(facts: dict[str, Any], expected: str, op: str) -> None:
    from aipolicy.language.closures import Context, fact_getter, leaf
    from aipolicy.language.operators import inlined

    if op == "contains" and not isinstance(facts.get("f"), set):
        facts = {"f": set()}  # contains applies to label facts only
    if op == "equals" and isinstance(facts.get("f"), set):
        facts = {"f": None}  # equals on a scale fact
    getter = fact_getter("f")
    fast = inlined(getter, op, expected)
    assert fast is not None
    ctx = Context({}, facts, {}, dt.date(2026, 1, 1))
    assert fast(ctx) is leaf(getter, OPERATORS[op].test, expected)(ctx)


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(a|aa)*c", r"(x+x+)+y", r"(.*a){12}"])
def test_crafted_text_cannot_make_a_pattern_run_long(pattern: str) -> None:
    import time

    compiled = OPERATORS["matches"].prepare(pattern)
    text = "a" * 200_000 + "!"
    start = time.perf_counter()
    OPERATORS["matches"].test(text, compiled)
    assert time.perf_counter() - start < 1.0  # a backtracking matcher takes years here


_TEXTS = ["ai-team@example.com", "jane@example.com", "", "HR people", "née Müller", "日本語",
          "a\nb", "x" * 300, "\ud800@example.com", "ok\udfff"]


@pytest.mark.parametrize("pattern", [r"^ai[-.@]", r"@example\.(com|org)$", r"(?i)^(hr|people)",
                                     r"ü", r"^$", r"语$", r"\d+", r"^a$"])
def test_patterns_match_as_pythons_re_does_through_re2s_own_call_and_its_wrapper(
        pattern: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``matches`` calls RE2 directly, without the wrapper's match objects; it finds what
    Python's ``re`` finds, and so does the wrapper used when that call is not there. A lone
    surrogate (which JSON can write) is matched, not refused."""
    import re

    import aipolicy.patterns

    fast = OPERATORS["matches"].prepare(pattern)
    monkeypatch.setattr(aipolicy.patterns, "_direct_call", lambda re2, compiled: None)
    wrapped = OPERATORS["matches"].prepare(pattern)
    for text in _TEXTS:
        clean = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        want = re.search(pattern, clean) is not None
        assert OPERATORS["matches"].test(text, fast) is want, text
        assert OPERATORS["matches"].test(text, wrapped) is want, text
