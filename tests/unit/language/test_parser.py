"""The parser: every operand check of the operator registry, with its message and place."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from aipolicy.errors import Location
from aipolicy.language import nodes
from aipolicy.language.parser import PackSymbols, Parser
from aipolicy.sources.documents import parse_document
from helpers.minipack import mini_form

SYMBOLS = PackSymbols(
    facts={"tier": ("scale", ("low", "elevated", "high", "prohibited")),
           "eu.points": ("labels", ("4a", "5b"))},
    params={"max_months": ("integer", None), "act": ("string", ("old", "new")),
            "cutoff": ("date", None)},
)

LOG = 'log_retention_months ("Log retention (months)")'
STAGE = 'deployment_stage ("Deployment stage")'
PURPOSES = 'purposes ("Purposes")'
ID = 'use_case_id ("Use-case ID")'
LENGTH = ("'length' takes one comparison with a whole number, e.g. {at_least: 50}; "
          "comparisons: equals, at_least, at_most, greater_than, less_than")

# (condition, where below `when` the problem is reported, the message); None: accepted
OPERANDS: list[tuple[dict[str, Any], tuple[str | int, ...], str | None]] = [
    # value
    ({"field": "deployment_stage", "equals": "pilot"}, (), None),
    ({"field": "log_retention_months", "equals": "six"}, ("equals",),
     f"{LOG} holds a whole number, so 'six' (text) can never match it"),
    ({"field": "deployment_stage", "not_equals": "prod"}, ("not_equals",),
     f"'prod' is not an allowed value of {STAGE} (did you mean 'production'?); "
     "allowed: idea, pilot, production"),
    ({"field": "next_review_due", "equals": "31-01-2027"}, ("equals",),
     'next_review_due ("Next review due") is a date; write \'31-01-2027\' as YYYY-MM-DD'),
    ({"field": "deployment_stage", "equals": {"field": "nope"}}, ("equals",),
     f"the form has no field 'nope' to compare {STAGE} with"),
    ({"field": "purposes", "contains": {"field": "deployment_stage"}}, ("contains",),
     f"{PURPOSES} and {STAGE} share no value, so they never match"),
    # values
    ({"field": "deployment_stage", "in": ["idea", "pilot"]}, (), None),
    ({"field": "deployment_stage", "in": "pilot"}, ("in",),
     "'in' takes a non-empty list of values"),
    ({"field": "deployment_stage", "not_in": []}, ("not_in",),
     "'not_in' takes a non-empty list of values"),
    ({"field": "deployment_stage", "in": ["pilot", "prod"]}, ("in", 1),
     f"'prod' is not an allowed value of {STAGE} (did you mean 'production'?); "
     "allowed: idea, pilot, production"),
    # item
    ({"field": "purposes", "contains": "other"}, (), None),
    ({"field": "use_case_id", "contains": "HR"}, (), None),
    ({"field": "purposes", "contains": "oter"}, ("contains",),
     f"'oter' is not an allowed value of {PURPOSES} (did you mean 'other'?); "
     "allowed: recruitment_screening, fraud_detection, other"),
    ({"field": "use_case_id", "contains": 5}, ("contains",),
     "'contains' on text takes a piece of text"),
    # items
    ({"fact": "eu.points", "contains_any": ["4a"]}, (), None),
    ({"field": "purposes", "contains_all": []}, ("contains_all",),
     "'contains_all' takes a non-empty list of values"),
    ({"fact": "eu.points", "contains_only": ["4a", "9z"]}, ("contains_only", 1),
     "'9z' is not an allowed value of fact eu.points; allowed: 4a, 5b"),
    # boolean
    ({"field": "oversight", "exists": True}, (), None),
    ({"field": "oversight", "missing": "yes"}, ("missing",), "'missing' takes true or false"),
    # bound
    ({"field": "log_retention_months", "at_most": 6.5}, (), None),
    ({"fact": "tier", "at_least": "high"}, (), None),
    ({"field": "log_retention_months", "greater_than": "6"}, ("greater_than",),
     "'greater_than' takes a number"),
    ({"field": "log_retention_months", "less_than": True}, ("less_than",),
     "'less_than' takes a number"),
    ({"fact": "tier", "at_most": "hgh"}, ("at_most",),
     "'hgh' is not a value of the scale of fact tier; use one of: low, elevated, high, "
     "prohibited (did you mean 'high'?)"),
    # date
    ({"field": "next_review_due", "on_or_after": "2027-01-31"}, (), None),
    ({"field": "next_review_due", "before": "soon"}, ("before",),
     "'before' takes a date written YYYY-MM-DD, {as_of: 0}, or {parameter: name}"),
    # length
    ({"field": "use_case_id", "length": {"at_least": 5}}, (), None),
    ({"field": "use_case_id", "length": 5}, ("length",), LENGTH),
    ({"field": "use_case_id", "length": {"about": 5}}, ("length",), LENGTH),
    ({"field": "purposes", "length": {"at_most": True}}, ("length",), LENGTH),
    # regex
    ({"field": "use_case_id", "matches": "^HR-"}, (), None),
    ({"field": "use_case_id", "matches": 5}, ("matches",),
     "'matches' takes a regular expression as text"),
    ({"field": "use_case_id", "matches": "(?=a)b"}, ("matches",),
     "pattern refused: look-ahead and look-behind are not allowed"),
    # condition
    ({"field": "vendors", "all_items": {"field": "dpa_signed", "equals": True}}, (), None),
    ({"field": "purposes", "any_item": {"field": "name", "equals": "x"}}, ("any_item",),
     f"any_item needs a list of groups of fields; {PURPOSES} is a list"),
    ({"fact": "tier", "all_items": {"field": "name", "equals": "x"}}, ("all_items",),
     "'all_items' works on a list of groups of fields; fact tier is a scale fact"),
    # the kinds of target an operator applies to
    ({"field": "purposes", "greater_than": 2}, ("greater_than",),
     f"'greater_than' works on a number; {PURPOSES} is a list"),
    ({"parameter": "max_months", "contains": 3}, ("contains",),
     "'contains' works on a label fact, a list, text; parameter max_months is a number"),
    # operands read when the rule runs
    ({"field": "log_retention_months", "less_than": {"parameter": "max_months"}}, (), None),
    ({"field": "next_review_due", "before": {"as_of": -30}}, (), None),
    ({"field": "log_retention_months", "at_least": {"field": "log_retention_months",
                                                    "divided_by": 2}}, (), None),
    ({"field": "log_retention_months", "less_than": {"parameter": "act"}}, ("less_than",),
     "parameter 'act' is a string, not a number"),
    ({"field": "next_review_due", "after": {"parameter": "max_months"}}, ("after",),
     "parameter 'max_months' is a integer, not a date"),
    ({"field": "log_retention_months", "less_than": {"parameter": "max_month"}},
     ("less_than",), "the pack declares no parameter 'max_month' (did you mean 'max_months'?)"),
    ({"field": "next_review_due", "before": {"as_of": "soon"}}, ("before",),
     "{as_of: N} compares dates; N is a whole number of days"),
    ({"field": "next_review_due", "before": {"as_of": 10**7}}, ("before",),
     "{as_of: 10000000} is beyond any date; N is at most 3,652,058 days either way"),
    ({"field": "next_review_due", "before": {"field": "deployment_stage"}}, ("before",),
     "{field: …} compares a date with another date field of the form"),
    ({"field": "log_retention_months", "at_most": {"field": "use_case_id"}}, ("at_most",),
     "{field: …} compares a number with another numeric field of the form"),
    ({"field": "log_retention_months", "at_most": {"field": "log_retention_months",
                                                   "divided_by": 0}}, ("at_most",),
     "'divided_by' takes a non-zero number"),
]


def parse(condition: dict[str, Any]) -> tuple[Any, list[tuple[Location, str]], Any]:
    doc = parse_document(yaml.safe_dump({"when": condition}), "pack.yaml")
    problems: list[tuple[Location, str]] = []
    node = Parser(mini_form(), SYMBOLS, doc, problems).parse(condition, ("when",))
    return node, problems, doc


@pytest.mark.parametrize(("condition", "at", "message"), OPERANDS)
def test_each_operand_check_says_what_is_wrong_where(
        condition: dict[str, Any], at: tuple[str | int, ...], message: str | None) -> None:
    node, problems, doc = parse(condition)
    if message is None:
        assert problems == []
        assert node.op in condition
        return
    line, column = doc.position(("when", *at))
    assert problems == [(Location("pack.yaml", line, column), message)]


def test_the_table_checks_every_operand_shape_accepted_and_refused() -> None:
    from aipolicy.language.operators import OPERATORS

    def shapes(refused: bool) -> set[str]:
        return {OPERATORS[next(k for k in c if k in OPERATORS)].takes
                for c, _at, message in OPERANDS if (message is not None) is refused}

    every = {op.takes for op in OPERATORS.values()}
    assert shapes(refused=True) == every
    assert shapes(refused=False) == every


def test_an_accepted_operand_is_kept_as_written_and_as_the_test_wants_it() -> None:
    node, problems, _doc = parse({"field": "deployment_stage", "in": ["idea", "pilot"]})
    assert problems == []
    assert isinstance(node, nodes.Test)
    assert node.operand == ["idea", "pilot"]
    assert node.prepared == frozenset({"idea", "pilot"})
    assert node.reference is None
    assert node.fixed


def test_an_operand_read_when_the_rule_runs_is_a_reference_not_a_fixed_operand() -> None:
    node, problems, _doc = parse({"field": "log_retention_months",
                                  "less_than": {"parameter": "max_months"}})
    assert problems == []
    assert isinstance(node, nodes.Test)
    assert (node.operand, node.prepared, node.reference) == (
        {"parameter": "max_months"}, None, "parameter")
    assert not node.fixed
