"""Properties of the starter pack as a whole: citations, controls, act versions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from aipolicy.engine.evaluate import evaluate
from aipolicy.form.load import load_form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document
from helpers.paths import EXAMPLES, FORM, PACK, ROOT

FRAMEWORKS = ("EU AI Act", "NIST AI RMF", "NIST AI 600-1", "ISO/IEC 42001", "GDPR",
              "NYC Local Law 144", "Colorado", "Canada", "Commission guidelines",
              "Directive 2011/93/EU", "Operating model", "Charter of Fundamental Rights",
              "Regulation (EU) 2026/1744")
#: The only rules whose outcome may differ between the two texts of the Act.
VERSION_RULES = {"PROH-5BA", "PROH-5BB", "V-OUTDATED-ACT-VERSION", "HR-DATES-ANNEX-III-2024",
                 "HR-DATES-ANNEX-III-2026", "HR-DATES-ANNEX-I-2024", "HR-DATES-ANNEX-I-2026",
                 "LEGACY-111-2-2024", "LEGACY-111-2-III-2026", "LEGACY-111-2-I-2026",
                 "LEGACY-111-2-UNKNOWN", "LEGACY-111-2-PUBLIC", "LEGACY-111-4-MARKING"}


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(str(PACK), load_form(load_document(str(FORM))))


def test_every_rule_cites_a_known_framework_with_a_clause(pack: CompiledPack) -> None:
    problems = []
    for rule in pack.model.rules:
        for c in rule.citations:
            if not c.framework.startswith(FRAMEWORKS) or not c.clause.strip():
                problems.append(f"{rule.id}: {c.framework} {c.clause}")
            if c.framework == "EU AI Act" and not re.search(
                    r"Art\.|Annex|[Rr]ecital|Regulation", c.clause):
                problems.append(f"{rule.id}: EU AI Act citation without an article: {c.clause}")
    assert problems == []


def test_every_control_cites_a_framework(pack: CompiledPack) -> None:
    problems = [cid for cid, control in pack.model.controls.items()
                if not any(c.framework.startswith(FRAMEWORKS) for c in control.citations)]
    assert problems == []


def test_every_control_is_required_by_some_rule(pack: CompiledPack) -> None:
    required = {cid for rule in pack.model.rules for cid in rule.require_controls}
    assert set(pack.model.controls) - required == set()


def test_every_prohibition_blocks_and_cannot_be_waived(pack: CompiledPack) -> None:
    for rule in pack.model.rules:
        if rule.raise_.get("tier") == "prohibited":
            assert rule.enforcement == "blocking"
            assert rule.violation is not None
            assert rule.id in pack.model.waivers.not_waivable
    prohibitions = {r.id for r in pack.model.rules if r.id.startswith("PROH-")}
    assert prohibitions == {f"PROH-5{p}" for p in
                            ("A", "B", "BA", "BB", "C", "D", "E", "F", "G", "H")}


def test_every_annex_iii_point_has_a_rule(pack: CompiledPack) -> None:
    labels = {label for rule in pack.model.rules
              for label in rule.add.get("eu_ai_act.annex_iii", ())}
    declared = pack.model.facts["eu_ai_act.annex_iii"].labels
    assert declared is not None
    assert labels == set(declared)


def _intakes() -> list[Path]:
    return sorted([*EXAMPLES.glob("*.yaml"), *(ROOT / "tests" / "cases").glob("*/intake.yaml")])


@pytest.mark.parametrize("as_of", ["2026-11-22", "2026-12-15", "2028-09-01"])
def test_act_version_changes_only_dates_and_the_two_new_prohibitions(
        pack: CompiledPack, as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    old_params = pack.resolve_params({"act_version": "2024_original"})
    new_params = pack.resolve_params({"act_version": "2026_consolidated"})
    for path in _intakes():
        doc = load_document(str(path))
        old = evaluate(pack, doc, params=old_params, as_of=day)
        new = evaluate(pack, doc, params=new_params, as_of=day)
        fired_old = {r.rule for r in old.rules_fired}
        fired_new = {r.rule for r in new.rules_fired}
        superseded = (fired_old ^ fired_new) - VERSION_RULES
        if superseded:
            # a prohibition only the newer text has supersedes the older text's
            # classification (Annex III, Art. 50): those rules fire only under the older
            assert {"PROH-5BA", "PROH-5BB"} & (fired_new - fired_old), path
            assert superseded <= fired_old, path
            assert new.facts["eu_ai_act"]["category"] == "prohibited", path
        if not ({"PROH-5BA", "PROH-5BB"} & fired_new):
            assert (old.tier, old.facts, old.controls) == (new.tier, new.facts, new.controls), path
