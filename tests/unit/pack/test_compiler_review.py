"""A pack's review gate: checked against its facts and the form, and applied to results."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from aipolicy.decision import Review, ReviewQuestion
from aipolicy.engine.evaluate import evaluate
from aipolicy.errors import PackError
from aipolicy.sources.documents import parse_document
from helpers.minipack import HEADER, RULES, mini_pack, rule

QUESTIONS: dict[str, Any] = {
    "retention": {"field": "log_retention_months", "why": "Art. 19 sets a minimum.",
                  "article": "Art. 19"},
    "whole": {"title": "The whole classification", "why": "Nothing is settled.",
              "article": "Art. 6"},
}


def _header(review: dict[str, Any] | None) -> dict[str, Any]:
    header = copy.deepcopy(HEADER)
    header["facts"]["review_needed"] = {"labels": ["retention", "whole"]}
    if review is not None:
        header["review"] = review
    return header


def _pack(review: dict[str, Any] | None, rules: list[dict[str, Any]] | None = None) -> Any:
    return mini_pack(header=_header(review), rules=rules)


ASKS = rule("ASK", {"field": "external", "equals": True},
            add={"review_needed": ["retention"]})


def _decide(pack: Any, text: str) -> Any:
    return evaluate(pack, parse_document(text, "x.yaml"), params=pack.resolve_params({}),
                    as_of=AS_OF)


AS_OF = dt.date(2026, 11, 22)
SUBMISSION = ("use_case_id: HR-0001\nowner: {name: A, email: a@example.com}\n"
              "deployment_stage: idea\npurposes: [fraud_detection]\n")


def test_a_pack_without_the_section_says_nothing_of_review() -> None:
    pack = _pack(None, [*RULES, ASKS])
    assert pack.model.review is None
    assert _decide(pack, SUBMISSION + "external: true\n").review is None


def test_a_result_no_rule_questions_is_determined() -> None:
    pack = _pack({"fact": "review_needed", "questions": QUESTIONS}, [*RULES, ASKS])
    assert _decide(pack, SUBMISSION).review == Review(state="determined")


def test_a_label_of_the_fact_is_an_open_question_with_the_forms_title() -> None:
    pack = _pack({"fact": "review_needed", "questions": QUESTIONS}, [*RULES, ASKS])
    got = _decide(pack, SUBMISSION + "external: true\n")
    assert got.review == Review(state="needs_review", questions=(ReviewQuestion(
        id="retention", field="log_retention_months", title="Log retention (months)",
        why="Art. 19 sets a minimum.", article="Art. 19"),))
    assert got.needs_review
    assert got.status == "pass"  # the review gate leaves the status alone


def test_questions_come_in_the_order_the_pack_declares_them() -> None:
    both = rule("BOTH", {"field": "external", "equals": True},
                add={"review_needed": ["whole", "retention"]})
    pack = _pack({"fact": "review_needed", "questions": QUESTIONS}, [*RULES, both])
    got = _decide(pack, SUBMISSION + "external: true\n").review
    assert [q.id for q in got.questions] == ["retention", "whole"]
    assert got.questions[1].title == "The whole classification"
    assert got.questions[1].field is None


@pytest.mark.parametrize(("review", "message"), [
    ({"fact": "review_neded", "questions": QUESTIONS},
     "'review_neded' is not a declared fact (did you mean 'review_needed'?)"),
    ({"fact": "tier", "questions": QUESTIONS}, "'tier' is not a label fact"),
    ({"fact": "review_needed", "questions": {"retention": QUESTIONS["retention"]}},
     "the label 'whole' of review_needed is not declared as a question"),
    ({"fact": "review_needed", "questions": {**QUESTIONS, "retension": QUESTIONS["whole"]}},
     "'retension' is not a label of review_needed (did you mean 'retention'?)"),
    ({"fact": "review_needed", "questions": {
        **QUESTIONS, "retention": {**QUESTIONS["retention"], "field": "log_months"}}},
     "the form has no field 'log_months'"),
    ({"fact": "review_needed", "questions": {
        **QUESTIONS, "whole": {"why": "w", "article": "a"}}},
     "a question names the form's field it turns on (field:) or gives its own title"),
])
def test_a_bad_section_is_a_pack_error(review: dict[str, Any], message: str) -> None:
    with pytest.raises(PackError) as caught:
        _pack(review)
    assert message in str(caught.value)


@pytest.mark.parametrize("review", [
    {"fact": "review_needed", "questions": {**QUESTIONS, "whole": {"title": "t"}}},
    {"fact": "review_needed", "questions": QUESTIONS, "gate": True},
    {"questions": QUESTIONS},
])
def test_a_malformed_section_is_refused_by_the_format(review: dict[str, Any]) -> None:
    with pytest.raises(PackError) as caught:
        _pack(review)
    assert "review" in str(caught.value)
