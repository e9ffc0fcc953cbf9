"""The starter pack's own test cases (``policies/tests/*.yaml``).

Run them alone with ``pytest tests/golden/test_pack_cases.py``; the format is described in
``policies/tests/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from aipolicy.decision import Decision
from aipolicy.engine.evaluate import evaluate
from aipolicy.form.load import load_form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document, parse_document
from helpers.paths import AS_OF, FORM, PACK

CASE_DIR = PACK / "tests"
FACT_KEYS = ("tier", "eu_ai_act.category", "eu_ai_act.scope", "eu_ai_act.annex_iii",
             "eu_ai_act.annex_i", "eu_ai_act.transparency", "eu_ai_act.gpai",
             "eu_ai_act.derogation")
EXPECT_KEYS = {*FACT_KEYS, "status", "controls", "not_controls", "findings", "not_findings",
               "rules_fired", "not_rules_fired", "approval_path", "blocked", "review",
               "review_questions"}


def _cases() -> Iterator[Any]:
    for path in sorted(CASE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        base = data.get("base") or {}
        for i, case in enumerate(data.get("cases") or []):
            yield pytest.param(path.name, base, case, id=f"{path.stem}[{i}] {case['name']}")


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(str(PACK), load_form(load_document(str(FORM))))


def _fact(decision: Decision, key: str) -> Any:
    if key == "tier":
        return decision.tier
    node: Any = decision.facts
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def run_case(pack: CompiledPack, base: dict[str, Any], case: dict[str, Any]) -> Decision:
    intake = {k: v for k, v in base.items() if k not in (case.get("unset") or [])}
    intake.update(case.get("intake") or {})
    text = yaml.safe_dump(intake, sort_keys=False, allow_unicode=True)
    params = pack.resolve_params({k: str(v) for k, v in (case.get("params") or {}).items()})
    as_of = case.get("as_of", AS_OF)
    as_of = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    return evaluate(pack, parse_document(text, f"{case['name']}.yaml"), params=params,
                    as_of=as_of)


@pytest.mark.parametrize(("file", "base", "case"), list(_cases()))
def test_pack_case(pack: CompiledPack, file: str, base: dict[str, Any],
                   case: dict[str, Any]) -> None:
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"unknown expectation keys {set(expect) - EXPECT_KEYS}"
    d = run_case(pack, base, case)
    findings = {f.rule for f in d.findings}
    if expect.get("status") != "incomplete":
        form_problems = [f"{f.path}: {f.message}" for f in d.findings if f.rule == "AIP002"]
        assert form_problems == [], "the case's submission does not fill in the form"
    problems = []
    for key in FACT_KEYS:
        if key in expect:
            got = _fact(d, key)
            want = expect[key]
            if isinstance(got, list):
                got, want = sorted(got), sorted(str(w) for w in want or [])
            if got != want:
                problems.append(f"{key}: expected {want!r}, got {got!r}")
    if "status" in expect and d.status != expect["status"]:
        problems.append(f"status: expected {expect['status']}, got {d.status}")
    controls = {c.id for c in d.controls}
    fired = {r.rule for r in d.rules_fired}
    for key, have, present in (("controls", controls, True), ("not_controls", controls, False),
                               ("findings", findings, True), ("not_findings", findings, False),
                               ("rules_fired", fired, True),
                               ("not_rules_fired", fired, False)):
        for item in expect.get(key) or []:
            if (item in have) != present:
                problems.append(f"{key}: {item} {'missing' if present else 'present'}")
    if "approval_path" in expect and [s.role for s in d.approval_path] != expect["approval_path"]:
        problems.append(f"approval_path: got {[s.role for s in d.approval_path]}")
    if "blocked" in expect and d.blocked != expect["blocked"]:
        problems.append(f"blocked: got {d.blocked}")
    review = d.review
    if "review" in expect and (review is None or review.state != expect["review"]):
        problems.append(f"review: got {None if review is None else review.state}")
    asked = [q.id for q in review.questions] if review is not None else []
    if "review_questions" in expect and sorted(asked) != sorted(expect["review_questions"]):
        problems.append(f"review_questions: got {asked}")
    assert problems == [], f"{file}: {case['name']} ({case.get('source', '')})"


def test_there_are_enough_cases() -> None:
    assert len(list(_cases())) >= 60


def test_case_directory_is_not_read_as_rules(pack: CompiledPack) -> None:
    assert CASE_DIR.is_dir()
    files = {Path(rule.location.file).parent.name for rule in pack.rules}
    assert files == {PACK.name}


#: rule families whose every rule needs a case where it applies and one where it does not
COVERED = ("PROH-", "HR-III-", "TR-50-", "GPAI-")


def _point(clause: str) -> str:
    """The point a rule's first citation names, as cases cite it: '5(1)(a)', '1(a)', …"""
    first = clause.split(";")[0]
    first = re.sub(r"\s*\(Regulation.*", "", first)
    return first.replace("Art. ", "").replace("Annex III point ", "").strip()


def test_every_point_has_a_positive_and_a_negative_case(pack: CompiledPack) -> None:
    """Every Art. 5 point, Annex III point, Art. 50 duty and GPAI branch: one case where its
    rule applies, and one case that cites the point in its source where it does not."""
    runs = []
    for param in _cases():
        _file, base, case = param.values
        fired = {r.rule for r in run_case(pack, base, case).rules_fired}
        runs.append((str(case.get("source", "")), fired))
    missing = []
    for rule in pack.model.rules:
        if not rule.id.startswith(COVERED):
            continue
        point = _point(rule.citations[0].clause)
        if not any(rule.id in fired for _, fired in runs):
            missing.append(f"{rule.id}: no case where it applies")
        if not any(rule.id not in fired and point in source for source, fired in runs):
            missing.append(f"{rule.id}: no case citing '{point}' where it does not apply")
    assert missing == []
