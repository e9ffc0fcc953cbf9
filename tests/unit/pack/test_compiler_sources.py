"""A pack's catalogue of sources: checked against its citations, and what a rule resting on
guidance or a contested reading says in its finding."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from aipolicy.engine.evaluate import evaluate
from aipolicy.errors import PackError
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.provenance import shown_date
from aipolicy.serialize import finding_dict, finding_from_dict
from aipolicy.sources.documents import parse_document
from helpers.minipack import HEADER, RULES, mini_pack, rule

SOURCES: dict[str, Any] = {
    "F": {"basis": "binding", "title": "Regulation F", "date": "2024-07-12"},
    "G": {"basis": "guidance", "title": "the authority's guidelines G", "date": "2025-02-04"},
    "S": {"basis": "standard", "title": "Standard S", "date": "2023"},
}
AS_OF = dt.date(2026, 11, 22)
EXTERNAL = ("use_case_id: HR-0001\nowner: {name: A, email: a@example.com}\n"
            "deployment_stage: idea\npurposes: [fraud_detection]\nexternal: true\n")
ASKS = {"message": "Outside use needs a notice.", "remediation": "Give one."}


def _pack(rules: list[dict[str, Any]], sources: dict[str, Any] | None = SOURCES,
          split: bool = False) -> CompiledPack:
    header = copy.deepcopy(HEADER)
    if sources is not None:
        header["sources"] = sources
    return mini_pack([*RULES, *rules], header=header, split=split)


def _finding(pack: CompiledPack, rid: str) -> Any:
    decision = evaluate(pack, parse_document(EXTERNAL, "uc.yaml"),
                        params=pack.resolve_params({}), as_of=AS_OF)
    (found,) = [f for f in decision.findings if f.rule == rid]
    return found


def _rule(rid: str, citations: list[dict[str, str]], **more: Any) -> dict[str, Any]:
    return rule(rid, {"field": "external", "equals": True}, citations=citations,
                violation=ASKS, **more)


def test_a_rule_citing_only_guidance_says_so_in_its_finding() -> None:
    pack = _pack([_rule("GUIDED", [{"framework": "G", "clause": "section 3"}])])
    found = _finding(pack, "GUIDED")
    assert found.message.startswith(
        "Outside use needs a notice. This rests on the authority's guidelines G (guidance, "
        "4 Feb 2025), not on binding text. Given: External: true.")
    assert found.basis == {"reading": "guidance", "note": None, "citations": [
        {"framework": "G", "clause": "section 3", "basis": "guidance", "date": "2025-02-04"}]}
    assert finding_dict(found)["basis"] == found.basis
    assert finding_from_dict(finding_dict(found)) == found


def test_a_rule_citing_binding_text_beside_guidance_says_nothing() -> None:
    pack = _pack([_rule("BOUND", [{"framework": "F", "clause": "Art. 1"},
                                  {"framework": "G", "clause": "section 3"}])])
    found = _finding(pack, "BOUND")
    assert "rests on" not in found.message
    assert found.basis is None
    assert "basis" not in finding_dict(found)


def test_a_rule_citing_only_a_standard_says_nothing() -> None:
    found = _finding(_pack([_rule("STD", [{"framework": "S", "clause": "A.1"}])]), "STD")
    assert found.basis is None
    assert "rests on" not in found.message


def test_a_reading_that_follows_guidance_names_guidance_and_text() -> None:
    pack = _pack([_rule("READS", [{"framework": "F", "clause": "Art. 1"},
                                  {"framework": "G", "clause": "section 3"}],
                        reading={"basis": "guidance", "note": "the one-third test."})])
    found = _finding(pack, "READS")
    assert ("This rests on the authority's guidelines G (guidance, 4 Feb 2025), not on the "
            "text of Regulation F: the one-third test. Given:") in found.message
    assert found.basis["reading"] == "guidance"
    assert found.basis["note"] == "the one-third test"
    assert [c["basis"] for c in found.basis["citations"]] == ["binding", "guidance"]


def test_a_contested_reading_says_so_with_its_note() -> None:
    pack = _pack([_rule("CONTESTED", [{"framework": "F", "clause": "Annex 1"}],
                        reading={"basis": "contested", "note": "whether age is protected"})])
    found = _finding(pack, "CONTESTED")
    assert ("This rests on a contested reading of Regulation F: whether age is protected."
            in found.message)
    assert found.basis["reading"] == "contested"


def test_without_sources_only_a_contested_reading_says_anything() -> None:
    pack = _pack([_rule("CONTESTED", [{"framework": "X", "clause": "1"}],
                        reading={"basis": "contested", "note": "whether age counts"}),
                  _rule("OTHER", [{"framework": "Y", "clause": "1"}])], sources=None)
    assert "This rests on a contested reading: whether age counts." in _finding(
        pack, "CONTESTED").message
    assert _finding(pack, "OTHER").basis is None


def _problems(rules: list[dict[str, Any]], sources: dict[str, Any] | None = SOURCES,
              split: bool = False) -> str:
    with pytest.raises(PackError) as caught:
        _pack(rules, sources, split=split)
    return str(caught.value)


def test_a_citation_of_an_undeclared_framework_is_an_error_at_its_line() -> None:
    text = _problems([_rule("TYPO", [{"framework": "Gg", "clause": "1"}])], split=True)
    assert text.endswith("the framework 'Gg' is not among the pack's sources (sources:) "
                         "(did you mean 'G'?)")
    assert text.startswith("pack/r9.yaml:")  # the rule's own file
    # every rule of the mini pack cites F: declared, so only the typo is reported
    assert text.count("\n") == 0


def test_a_control_citation_is_checked_too() -> None:
    header = copy.deepcopy(HEADER)
    header["sources"] = SOURCES
    header["controls"]["CTRL-B"]["citations"] = [{"framework": "H", "clause": "2"}]
    message, line = _one_problem(header)
    assert message.startswith("the framework 'H' is not among the pack's sources")
    assert line == "- framework: H"


def _one_problem(header: dict[str, Any]) -> tuple[str, str]:
    """The one problem of the mini pack under ``header``, and the line it is reported at."""
    with pytest.raises(PackError) as caught:
        mini_pack(RULES, header=header)
    ((location, message),) = caught.value.problems
    dumped = yaml.safe_dump({**header, "rules": RULES}, sort_keys=False).splitlines()
    assert location.line is not None
    return message, dumped[location.line - 1].strip()


def test_a_guidance_reading_must_cite_guidance() -> None:
    text = _problems([_rule("R", [{"framework": "F", "clause": "1"}],
                            reading={"basis": "guidance", "note": "n"})])
    assert "a reading that follows guidance cites it" in text


def test_a_contested_reading_must_cite_binding_text() -> None:
    text = _problems([_rule("R", [{"framework": "S", "clause": "1"}],
                            reading={"basis": "contested", "note": "n"})])
    assert "a contested reading is a reading of binding text" in text


@pytest.mark.parametrize(("source", "message"), [
    ({"basis": "law", "title": "T"}, "sources.F.basis"),
    ({"basis": "binding", "title": "T", "date": "12.7.2024"},
     "sources.F.date: '12.7.2024' is not a date: write YYYY-MM-DD"),
    ({"basis": "binding", "title": "T", "date": "2025-02-30"}, "'2025-02-30' is not a date"),
    ({"basis": "binding", "title": "T", "date": "2025-13"}, "'2025-13' is not a date"),
    ({"basis": "binding", "title": "T", "date": 2023}, "2023 is not a date"),
    ({"basis": "binding", "title": ""}, "sources.F.title"),
    ({"basis": "binding", "title": "T", "dated": "2024"}, "sources.F"),
], ids=["basis", "format", "no-such-day", "no-such-month", "a-number", "empty-title",
        "unknown-key"])
def test_a_bad_source_is_a_pack_error(source: dict[str, Any], message: str) -> None:
    text = _problems([], sources={**SOURCES, "F": source})
    assert message in text


def test_a_bad_source_date_is_reported_at_its_own_line() -> None:
    header = copy.deepcopy(HEADER)
    header["sources"] = {**SOURCES, "F": {"basis": "binding", "title": "T",
                                          "date": "2025-02-30"}}
    message, line = _one_problem(header)
    assert message.startswith("sources.F.date: '2025-02-30' is not a date")
    assert line == "date: '2025-02-30'"


@pytest.mark.parametrize(("date", "shown"), [
    ("2025-02-04", "4 Feb 2025"), ("2023-01", "Jan 2023"), ("2023", "2023"),
    (None, "undated"), ("2026-12-31", "31 Dec 2026")])
def test_shown_date(date: str | None, shown: str) -> None:
    assert shown_date(date) == shown
