"""Whether a record reproduces: the inputs that changed, the fields that differ."""

from __future__ import annotations

from typing import Any

from aipolicy.records.compare import Replay, compare, differences
from aipolicy.records.line import GENESIS
from aipolicy.records.model import RecordLine
from aipolicy.records.reader import Entry
from helpers.records import DIGEST, item

OTHER = "sha256:" + "cd" * 32


def decision(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "file": "intake/uc-1.yaml", "use_case_id": "HR-0042", "status": "fail",
        "tier": "high",
        "facts": {"eu_ai_act": {"category": "high_risk", "annex_iii": ["4a"]}},
        "controls": [{"id": "CTRL-A", "status": "done", "satisfied": True},
                     {"id": "CTRL-B", "status": "missing", "satisfied": False}],
        "approval_path": [{"role": "owner", "title": "Owner", "required_by": ["tier:high"]}],
        "blocked": False,
        "findings": [{"rule": "R-1", "path": "purposes", "message": "one"},
                     {"rule": "R-2", "path": None, "message": "two"}],
        "rules_fired": [{"rule": "R-1", "evidence": {"purposes": ["x"]}}],
    }
    base.update(changes)
    return base


def entry(recorded: dict[str, Any], inputs: list[dict[str, str]] | None = None) -> Entry:
    line = item(1, decision=recorded, inputs=inputs or [], prev=GENESIS)
    return Entry(3, RecordLine.model_validate(line))


def replay(now: dict[str, Any] | None, *, intake: str | None = DIGEST,
           inputs: tuple[tuple[str, str, str], ...] = (), pack: str = DIGEST,
           version: str = "0.2.0") -> Replay:
    return Replay({"name": "starter", "version": "1", "digest": pack},
                  {"id": "form", "digest": DIGEST}, intake, inputs, now,
                  tool_version=version)


def test_the_same_inputs_and_decision_reproduce() -> None:
    outcome = compare(entry(decision()), replay(decision()))
    assert outcome.reproduced
    assert (outcome.line, outcome.file, outcome.use_case_id) == (3, "intake/uc-1.yaml",
                                                                 "HR-0042")
    assert outcome.notes == ()


def test_tuples_and_lists_are_the_same_decision() -> None:
    now = decision(facts={"eu_ai_act": {"category": "high_risk", "annex_iii": ("4a",)}})
    assert differences(decision(), now) == []


def test_fields_are_named_outcome_first_and_lists_by_identity() -> None:
    now = decision(
        status="pass", tier="elevated",
        facts={"eu_ai_act": {"category": "limited_risk", "annex_iii": ["4a"]}},
        controls=[{"id": "CTRL-B", "status": "done", "satisfied": True}],
        findings=[{"rule": "R-2", "path": None, "message": "two"}],
        rules_fired=[])
    found = [(d.field, d.recorded, d.now) for d in differences(decision(), now)]
    assert found == [
        ("status", "fail", "pass"),
        ("tier", "high", "elevated"),
        ("facts.eu_ai_act.category", "high_risk", "limited_risk"),
        ("controls.CTRL-A", {"id": "CTRL-A", "status": "done", "satisfied": True}, None),
        ("controls.CTRL-B.satisfied", False, True),  # an item's keys in sorted order
        ("controls.CTRL-B.status", "missing", "done"),
        ("findings.R-1[purposes]", {"rule": "R-1", "path": "purposes", "message": "one"},
         None),
        ("rules_fired.R-1", {"rule": "R-1", "evidence": {"purposes": ["x"]}}, None),
    ]


def test_two_findings_of_one_rule_and_field_are_told_apart() -> None:
    twice = [{"rule": "R-1", "path": "p", "message": "a"},
             {"rule": "R-1", "path": "p", "message": "b"}]
    once = [{"rule": "R-1", "path": "p", "message": "a"}]
    found = differences(decision(findings=twice), decision(findings=once))
    assert [(d.field, d.now) for d in found] == [("findings.R-1[p]#2", None)]


def test_changed_inputs_are_named_even_when_the_decision_is_the_same() -> None:
    recorded_inputs = [{"kind": "waiver", "path": "waivers/a.yaml", "digest": DIGEST},
                       {"kind": "approval", "path": "approvals/b.yaml", "digest": DIGEST}]
    now_inputs = (("waiver", "waivers/a.yaml", OTHER), ("waiver", "waivers/c.yaml", DIGEST))
    outcome = compare(entry(decision(), recorded_inputs),
                      replay(decision(), intake=OTHER, inputs=now_inputs, pack=OTHER))
    assert not outcome.reproduced
    assert outcome.differences == ()
    assert [(c.kind, c.name, c.what) for c in outcome.changes] == [
        ("intake", "intake/uc-1.yaml", "changed"),
        ("pack", "starter", "changed"),
        ("waiver", "waivers/a.yaml", "changed"),
        ("waiver", "waivers/c.yaml", "added"),
        ("approval", "approvals/b.yaml", "removed"),
    ]


def test_an_unreadable_intake_and_a_record_that_cannot_be_replayed() -> None:
    outcome = compare(entry(decision()), replay(decision(status="error"), intake=None))
    assert [(c.kind, c.what) for c in outcome.changes] == [("intake", "cannot be read")]
    stuck = compare(entry(decision()), Replay({}, {}, None, (), None, problem="no date"))
    assert not stuck.reproduced
    assert stuck.problem == "no date"


def test_another_tool_version_is_a_note_not_a_difference() -> None:
    outcome = compare(entry(decision()), replay(decision(), version="9.9"))
    assert outcome.reproduced
    assert outcome.notes == ("recorded by aipolicy 0.2.0, verified with 9.9",)


def test_differences_are_capped() -> None:
    from aipolicy.records.compare import MAX_DIFFERENCES

    many = {f"f{i}": i for i in range(MAX_DIFFERENCES + 5)}
    outcome = compare(entry(decision(facts=many)), replay(decision(facts={})))
    assert len(outcome.differences) == MAX_DIFFERENCES
    assert outcome.more == 5


def test_who_owns_the_use_case_is_not_part_of_what_reproduces() -> None:
    # a record made before results carried the identity keys, and one whose owner moved
    now = decision(title="CV ranking", business_unit="HR", stage="pilot",
                   owner={"name": "Jane", "email": "jane@example.com"}, technical_owner=None,
                   on_call=None, review_schedule={"cadence": None, "last_reviewed": None,
                                                  "next_review_due": "2027-01-01"})
    assert differences(decision(), now) == []
    assert differences(now, {**now, "owner": None}) == []
    assert [d.field for d in differences(decision(), {**now, "tier": "low"})] == ["tier"]
