"""The starter pack's sources: every framework it cites is declared with its basis and
date, and a finding says when its rule rests on guidance or a contested reading."""

from __future__ import annotations

from typing import Any

import pytest

from aipolicy.form.load import load_form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.serialize import finding_dict
from aipolicy.sources.documents import load_document
from golden.test_pack_cases import _cases, run_case
from helpers.paths import FORM, PACK

#: The rules whose findings say they rest on guidance or on a contested reading (listed,
#: with the reason for each, in docs/starter-pack.md), and those resting on guidance
#: that raise facts but have no finding.
READINGS = {"GPAI-04-TICK": "guidance", "GPAI-04-UNTICKED": "guidance",
            "GPAI-MOD-NO-CHANGE": "guidance", "GPAI-MOD-UNTICKED": "guidance",
            "GPAI-MOD-DISAGREES": "guidance", "GPAI-INTERNAL-ONLY": "contested",
            "V-EMOTION-MEDICAL-CLAIM": "guidance", "V-NOT-AI-OTHER-BUT-LEARNS": "guidance",
            "HR-III-1B-REVIEW": "contested", "V-ANNEX-I-THIRD-PARTY-AVOIDABLE": "contested",
            "EU-SCOPE-FOSS-MONETISED": "contested", "V-UNKNOWN-FOSS-MONETISATION": "contested",
            "GPAI-OSS-MONETISED": "contested", "V-UNKNOWN-OSS-MONETISATION": "contested",
            "V-EXCLUSION-MODEL": "contested"}
GUIDANCE_ONLY = {"GPAI-01-INDICATIVE": "guidance", "GPAI-04": "guidance"}


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(str(PACK), load_form(load_document(str(FORM))))


def test_the_sources_say_what_binds(pack: CompiledPack) -> None:
    sources = pack.model.sources
    act = sources["EU AI Act"]
    assert (act.basis, act.date) == ("binding", "2024-07-12")
    assert act.note is not None
    assert "2026/1744" in act.note
    assert "act_version" in act.note
    guidance = {name for name, s in sources.items() if s.basis == "guidance"}
    assert guidance == {"Commission guidelines on prohibited AI practices",
                        "Commission guidelines for providers of GPAI models",
                        "Commission guidelines on the AI-system definition"}
    for name in guidance:
        assert "Court of Justice has the final word" in (sources[name].note or ""), name
    assert sources["Commission guidelines on prohibited AI practices"].date == "2025-02-04"
    assert sources["Commission guidelines on the AI-system definition"].date is None
    assert {s.basis for s in sources.values()} == {"binding", "guidance", "standard",
                                                    "practice"}


def test_every_source_is_cited(pack: CompiledPack) -> None:
    cited = {c.framework for r in pack.model.rules for c in r.citations}
    cited |= {c.framework for c in pack.model.signoffs.citations}
    cited |= {c.framework for k in pack.model.controls.values() for c in k.citations}
    assert cited == set(pack.model.sources)


def test_the_rules_resting_on_guidance_or_a_contested_reading(pack: CompiledPack) -> None:
    assert {rid: b.reading for rid, b in pack.rule_bases.items()} == {
        **READINGS, **GUIDANCE_ONLY}
    with_findings = {r.id for r in pack.model.rules if r.violation is not None}
    assert set(READINGS) <= with_findings
    assert not set(GUIDANCE_ONLY) & with_findings


def _findings(pack: CompiledPack) -> list[tuple[str, Any]]:
    """The findings of the pack cases that expect findings of some rule (not every case:
    the machine is shared, and those cover every rule with a finding here)."""
    out = []
    for param in _cases():
        _file, base, case = param.values
        if case["expect"].get("findings"):
            out += [(case["name"], f) for f in run_case(pack, base, case).findings]
    return out


def test_a_finding_says_what_its_rule_rests_on_and_only_then(pack: CompiledPack) -> None:
    seen = set()
    for name, f in _findings(pack):
        basis = pack.rule_bases.get(f.rule)
        if basis is None:
            assert "This rests on" not in f.message, (name, f.rule)
            assert "basis" not in finding_dict(f), (name, f.rule)
            continue
        seen.add(f.rule)
        assert basis.sentence in f.message, (name, f.rule)
        assert finding_dict(f)["basis"]["reading"] == READINGS[f.rule]
    assert seen == set(READINGS), "a pack case shows each rule's finding"


def test_the_sentences_name_the_guidance_and_its_date(pack: CompiledPack) -> None:
    tick = pack.rule_bases["GPAI-04-TICK"].sentence
    assert tick == (
        "This rests on the Commission's guidelines for providers of general-purpose AI "
        "models, C(2025) 7719 (guidance, 18 Jul 2025), not on the text of Regulation (EU) "
        "2024/1689 (the AI Act): a downstream modifier provides a new general-purpose AI "
        "model only past one third of the original model's training compute.")
    assert pack.rule_bases["HR-III-1B-REVIEW"].sentence == (
        "This rests on a contested reading of Regulation (EU) 2024/1689 (the AI Act) and the "
        "Charter of Fundamental Rights of the European Union: whether sorting people by age "
        "or sex is categorisation by protected attributes (Annex III 1(b)).")
    definition = pack.rule_bases["V-NOT-AI-OTHER-BUT-LEARNS"].sentence
    assert "C(2025) 924 (guidance, undated)" in definition
