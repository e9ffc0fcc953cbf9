"""The evaluator, on a pack and form held in memory: merges, order, evidence, status."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from aipolicy.decision import STATUSES
from aipolicy.engine.evaluate import evaluate
from helpers.minipack import RULES, intake, mini_pack, rule

AS_OF = dt.date(2026, 11, 22)
PACK = mini_pack()
PARAMS = PACK.resolve_params({})

GOOD = """\
use_case_id: HR-0042
owner: {name: Jane Doe, email: jane@example.com}
deployment_stage: production
purposes: [recruitment_screening]
log_retention_months: 3
external: true
oversight: {}
next_review_due: 2026-01-31
vendors:
  - {name: Acme, dpa_signed: false}
controls:
  - {id: CTRL-A, status: done}
  - {id: CTRL-B, status: in_progress}
"""


def run(text: str, pack=PACK, params=None, as_of=AS_OF):  # type: ignore[no-untyped-def]
    return evaluate(pack, intake(text), params=params or PARAMS, as_of=as_of)


def test_a_full_decision() -> None:
    d = run(GOOD)
    assert d.status == "fail"
    assert d.tier == "high"
    assert d.facts == {"eu": {"category": "high_risk", "points": ["4a"]}}
    assert [(s.role, s.required_by) for s in d.approval_path] == [
        ("owner", ("tier:high",)),
        ("lead", ("tier:high", "EXT")),
        ("dpo", ("HIGH",)),
        ("board", ("tier:high",)),
    ]
    assert [(c.id, c.status, c.satisfied) for c in d.controls] == [
        ("CTRL-A", "done", True),
        ("CTRL-B", "in_progress", False),
    ]
    got = [(f.rule, f.line, f.blocking) for f in d.findings]
    assert got == [
        ("LOGS", 5, True),
        ("OVERSIGHT", 7, False),  # the default false of can_override applies
        ("OVERDUE", 8, False),
        ("VENDOR", 9, False),
        ("AIP003", 13, True),
    ]
    fired = {f.rule: f.evidence for f in d.rules_fired}
    assert fired["HR-4A"] == {"purposes": ["recruitment_screening"]}
    assert fired["LOGS"] == {"fact:eu.category": "high_risk", "log_retention_months": 3}
    assert fired["OVERSIGHT"] == {"oversight": {"can_override": False},
                                  "oversight.can_override": False}
    assert set(fired) == {"SCOPE", "HR-4A", "HIGH", "LOGS", "EXT", "OVERSIGHT", "VENDOR",
                          "OVERDUE"}


def test_scales_merge_by_maximum_and_never_fall() -> None:
    d = run(GOOD.replace("external: true", "external: true\n"))
    assert d.tier == "high"  # EXT raises to elevated, HIGH to high: the maximum wins


def test_parameters_change_outcomes() -> None:
    text = GOOD.replace("log_retention_months: 3", "log_retention_months: 8")
    assert "LOGS" not in {f.rule for f in run(text).findings}
    params = PACK.resolve_params({"max_months": "12"})
    assert "LOGS" in {f.rule for f in run(text, params=params).findings}


def test_as_of_date_decides_overdue() -> None:
    assert "OVERDUE" in {f.rule for f in run(GOOD).findings}
    early = run(GOOD, as_of=dt.date(2026, 1, 1))
    assert "OVERDUE" not in {f.rule for f in early.findings}


def test_prohibited_tier_has_no_approval_path() -> None:
    d = run(GOOD.replace("[recruitment_screening]", "[recruitment_screening, other]"))
    assert d.tier == "prohibited"
    assert d.blocked is True
    assert d.approval_path == ()
    assert d.status == "fail"
    params = PACK.resolve_params({"act": "old"})
    old = run(GOOD.replace("[recruitment_screening]", "[other]"), params=params)
    assert old.tier != "prohibited"


def test_incomplete_submission_still_gets_its_tier() -> None:
    d = run(GOOD.replace("owner: {name: Jane Doe, email: jane@example.com}\n", ""))
    assert d.status == "incomplete"
    assert d.tier == "high"
    assert d.findings[0].rule == "AIP002"
    assert "Owner is missing" in d.findings[0].message


def test_control_gate_at_pilot_is_advisory() -> None:
    d = run(GOOD.replace("production", "pilot").replace("status: in_progress", "status: done")
            .replace("status: done}\n  - {id: CTRL-B", "status: not_started}\n  - {id: CTRL-B"))
    control = [f for f in d.findings if f.rule == "AIP003"]
    assert [(f.control, f.blocking, f.severity) for f in control] == [("CTRL-A", False, "medium")]


def test_waived_status_in_the_submission_does_not_satisfy_a_gate() -> None:
    d = run(GOOD.replace("{id: CTRL-B, status: in_progress}", "{id: CTRL-B, status: waived}"))
    finding = next(f for f in d.findings if f.rule == "AIP003")
    assert "cannot be waived in the submission" in finding.remediation


def test_wrong_types_never_raise() -> None:
    text = """\
use_case_id: 42
owner: nobody
deployment_stage: [production]
purposes: recruitment_screening
log_retention_months: three
external: "yes"
oversight: [1, 2]
next_review_due: soon
vendors: {name: x}
controls: [1, {id: 3}, {id: CTRL-A, status: 7}]
"""
    d = run(text)
    assert d.status == "incomplete"
    assert d.tier == "high"  # a lone purpose where a list belongs still counts, as meant


def test_same_input_same_decision() -> None:
    assert run(GOOD) == run(GOOD)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.booleans())
def test_decision_does_not_depend_on_rule_order(rnd: random.Random, split: bool) -> None:
    rules = list(RULES)
    rnd.shuffle(rules)
    shuffled = mini_pack(rules, split=split)
    assert [r.id for r in shuffled.rules] == [r.id for r in PACK.rules]
    for text in (GOOD, GOOD.replace("[recruitment_screening]", "[other]")):
        assert run(text, pack=shuffled) == run(text)


def test_readers_run_after_writers() -> None:
    order = [r.id for r in PACK.rules]
    assert order.index("HR-4A") < order.index("HIGH") < order.index("LOGS")
    assert order.index("SCOPE") < order.index("LOGS")


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 100),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12), st.sampled_from(["production", "pilot", "other", "2026-01-01"]),
)
_JSON = st.recursive(_VALUES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
_FIELDS = ["use_case_id", "owner", "deployment_stage", "purposes", "log_retention_months",
           "external", "oversight", "next_review_due", "vendors", "controls", "unknown"]


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=len(_FIELDS)))
def test_evaluator_never_raises_on_any_data(data: dict) -> None:  # type: ignore[type-arg]
    import json

    text = json.dumps(data, ensure_ascii=False)
    d = run(text)
    assert d.status in STATUSES
    assert d.tier in ("low", "elevated", "high", "prohibited")
    assert run(text) == d


def test_rule_without_when_always_applies() -> None:
    pack = mini_pack([rule("ALWAYS", raise_={"tier": "elevated"})])
    assert run(GOOD, pack=pack, params=pack.resolve_params({})).tier == "elevated"


def test_comparing_two_answers() -> None:
    import helpers.minipack as minipack

    rules = [rule("ADD", {"field": "external", "equals": True}, add={"eu.points": ["pilot"]}),
             rule("LISTED", {"fact": "eu.points", "contains": {"field": "deployment_stage"}},
                  raise_={"tier": "elevated"})]
    header = {**minipack.HEADER,
              "facts": {"tier": {"scale": "tier", "default": "low"},
                        "eu.category": {"scale": "cat"},
                        "eu.points": {"labels": ["idea", "pilot"]}}}
    pack = mini_pack(rules, header=header)
    params = pack.resolve_params({})

    def tier(text: str) -> str | None:
        tier: str | None = run(text, pack=pack, params=params).tier
        return tier

    assert tier("deployment_stage: pilot\nexternal: true\n") == "elevated"
    assert tier("deployment_stage: idea\nexternal: true\n") == "low"
    assert tier("deployment_stage: pilot\n") == "low"
    assert tier("external: true\n") == "low"  # the compared answer is absent: false


def test_stale_evidence_is_its_own_finding() -> None:
    import copy

    import helpers.minipack as minipack

    header = copy.deepcopy(minipack.HEADER)
    header["controls"]["CTRL-A"]["valid_for_days"] = 365
    pack = mini_pack(header=header)
    params = pack.resolve_params({})
    fresh = GOOD.replace("{id: CTRL-A, status: done}",
                         "{id: CTRL-A, status: done, date: 2026-01-10}")
    old = GOOD.replace("{id: CTRL-A, status: done}",
                       "{id: CTRL-A, status: done, date: 2025-01-10}")
    assert "AIP004" not in {f.rule for f in run(fresh, pack=pack, params=params).findings}
    stale = [f for f in run(old, pack=pack, params=params).findings if f.rule == "AIP004"]
    assert [(f.control, f.blocking, f.line) for f in stale] == [("CTRL-A", True, 12)]
    assert "dated 2025-01-10; it must be at most 365 days old" in stale[0].message
    undated = [f.rule for f in run(GOOD, pack=pack, params=params).findings]
    assert "AIP004" in undated
