"""The canonical dict and JSON of a decision, the way back, and a decision sent as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.settings import Settings
from aipolicy.decision import Decision, Report, Review, ReviewQuestion
from aipolicy.reporters import json_
from aipolicy.serialize import (
    JsonDecision,
    as_json,
    decision_dict,
    decision_from_dict,
    decision_json,
)
from helpers.paths import ROOT


@pytest.fixture(scope="module")
def examples() -> Report:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return check(["intake/examples"], Settings(as_of=dt.date(2026, 11, 22)))


def test_a_decision_reads_back_from_its_dict(examples: Report) -> None:
    for d in examples.decisions:
        back = decision_from_dict(json.loads(json.dumps(decision_dict(d))))
        assert back == d
        assert decision_json(back) == decision_json(d)


def test_a_result_carries_the_identity_keys_and_an_error_has_them_null(examples: Report
                                                                       ) -> None:
    from aipolicy.decision import error_decision
    from aipolicy.errors import SourceError
    from aipolicy.serialize import IDENTITY_KEYS

    by_file = {d.file: decision_dict(d) for d in examples.decisions}
    cv = by_file["intake/examples/cv-ranking.yaml"]
    assert {k: cv[k] for k in IDENTITY_KEYS} == {
        "title": "Graduate CV ranking", "business_unit": "Human Resources", "stage": "pilot",
        "owner": {"name": "Jane Doe", "email": "jane.doe@example.com"},
        "technical_owner": {"name": "Omar Haddad", "email": "omar.haddad@example.com"},
        "on_call": None,
        "review_schedule": {"cadence": "quarterly", "last_reviewed": "2026-09-15",
                            "next_review_due": "2026-12-15"}}
    assert list(cv)[:4 + len(IDENTITY_KEYS)] == ["file", "use_case_id", "status", "tier",
                                                 *IDENTITY_KEYS]
    broken = decision_dict(error_decision("x.yaml", SourceError("bad")))
    assert {k: broken[k] for k in IDENTITY_KEYS} == {
        **dict.fromkeys(IDENTITY_KEYS, None),
        "review_schedule": dict.fromkeys(("cadence", "last_reviewed", "next_review_due"))}
    old = {k: v for k, v in cv.items() if k not in IDENTITY_KEYS}  # a record from before
    assert decision_from_dict(old).identity == Decision("f", None, "pass", None).identity


def test_a_json_decision_is_whole_and_renders_the_text_it_came_as(examples: Report) -> None:
    for d in examples.decisions:
        made = as_json(d)
        assert isinstance(made, JsonDecision)
        sent = pickle.loads(pickle.dumps(made))
        assert "findings" not in sent.__dict__  # not read yet
        assert sent.status == d.status
        assert sent.tier == d.tier
        assert decision_json(sent) == decision_json(d)
        assert sent == d
        assert d == sent
        assert sent.findings == d.findings
        assert sent.controls == d.controls
        assert sent.blocking_findings == d.blocking_findings


def test_a_json_decision_changed_is_a_decision_rendered_anew(examples: Report) -> None:
    sent = as_json(examples.decisions[0])
    new = "error" if sent.status != "error" else "pass"
    changed = dataclasses.replace(sent, status=new)
    assert changed.status == new
    assert json.loads(decision_json(changed))["status"] == new
    assert changed != sent


def test_the_json_report_is_the_same_from_json_decisions(examples: Report) -> None:
    sent = dataclasses.replace(examples, decisions=tuple(
        as_json(d) for d in examples.decisions))
    assert json_.render(sent) == json_.render(examples)
    assert isinstance(examples.decisions[0], Decision)


def test_a_decision_its_json_cannot_hold_travels_whole(examples: Report) -> None:
    # a byte of a file name that was not UTF-8: shown as text in the JSON, not held
    odd = dataclasses.replace(examples.decisions[0], file="intake/caf\udcff.yaml")
    assert as_json(odd) is odd
    assert json.loads(decision_json(odd))["file"] == "intake/caf\\xff.yaml"
    assert isinstance(as_json(examples.decisions[0]), JsonDecision)


REVIEWED = Decision(
    file="a.yaml", use_case_id="HR-0001", status="pass", tier="low",
    review=Review(state="needs_review", questions=(ReviewQuestion(
        id="ai_system_uncertain", field="is_ai_system", title="Is it an AI system?",
        why="The Act regulates AI systems only.", article="Art. 3(1)"),)))


def test_the_review_gate_is_a_result_key_and_reads_back() -> None:
    out = decision_dict(REVIEWED)
    assert out["review"] == {"state": "needs_review", "questions": [
        {"id": "ai_system_uncertain", "field": "is_ai_system", "title": "Is it an AI system?",
         "why": "The Act regulates AI systems only.", "article": "Art. 3(1)"}]}
    assert decision_from_dict(json.loads(json.dumps(out))) == REVIEWED
    assert "review" not in decision_dict(dataclasses.replace(REVIEWED, review=None))


def test_a_json_decision_knows_its_review_without_reading_the_rest() -> None:
    sent = pickle.loads(pickle.dumps(as_json(REVIEWED)))
    assert sent.needs_review
    undetermined = Report(decisions=(sent,), tool_version="0", as_of="2026-11-22",
                          parameters={}, pack=None, form=None)
    assert undetermined.ok
    assert not dataclasses.replace(undetermined, strict=True).ok
    assert "findings" not in sent.__dict__  # strict read the review alone
    assert sent == REVIEWED
