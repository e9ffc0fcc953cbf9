"""The review gate as a user meets it: every result says whether it is determined or needs
legal review, and ``check --strict`` fails the run on one that needs it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from helpers.paths import AS_OF, ROOT, run_cli

UNCERTAIN = "tests/data/review/uncertain.yaml"
GOOD = "tests/data/run/good.yaml"
WHY = ("Only an AI system (a machine-based system that infers from its input how to "
       "generate outputs) is regulated; rules defined solely by people are not, so the "
       "whole classification turns on this answer.")
ARTICLE = "Art. 3(1); recital 12; Commission guidelines on the AI-system definition"


def _check(*args: str) -> tuple[int, str]:
    r = run_cli("check", *args, "--as-of", AS_OF, cwd=ROOT)
    assert r.stderr == ""
    return r.exit_code, r.stdout


def test_the_json_result_says_what_is_open() -> None:
    code, out = _check(UNCERTAIN, GOOD, "--format", "json")
    assert code == 0  # without --strict a result that needs review still passes
    results = {r["file"]: r for r in json.loads(out)["results"]}
    assert results[UNCERTAIN]["status"] == "pass"
    assert results[UNCERTAIN]["review"] == {"state": "needs_review", "questions": [
        {"id": "ai_system_uncertain", "field": "is_ai_system", "title": "Is it an AI system?",
         "why": WHY, "article": ARTICLE}]}
    assert results[GOOD]["review"] == {"state": "determined", "questions": []}
    assert json.loads(out)["summary"]["needs_review"] == 1


def test_strict_fails_on_a_result_that_needs_review_and_keeps_its_status() -> None:
    code, out = _check(UNCERTAIN, GOOD, "--strict", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [r["status"] for r in data["results"]] == ["pass", "pass"]
    assert data["summary"]["strict"] is True
    assert _check(GOOD, "--strict")[0] == 0


def test_the_table_lists_the_open_questions_and_what_strict_did() -> None:
    code, out = _check(UNCERTAIN, "--strict")
    assert code == 1
    assert out == (
        "file                              use case    status    tier    EU category    "
        "findings\n"
        "--------------------------------  ----------  --------  ------  -------------  "
        "----------\n"
        "tests/data/review/uncertain.yaml  FIN-0201    pass      low     minimal_risk   1\n"
        "\n"
        "tests/data/review/uncertain.yaml: needs legal review:\n"
        f"    - Is it an AI system? ({ARTICLE}): {WHY}\n"
        "\n"
        "tests/data/review/uncertain.yaml:14:1: EU-SCOPE-UNCERTAIN It is not settled whether "
        "this is an AI system under the EU AI Act (Art. 3(1)). Unless an element of the "
        'definition is answered "no", it is classified as one until legal counsel decides, '
        'so its category is provisional; with an element answered "no" it is out of scope, '
        "provisionally. Given: Is it an AI system?: uncertain; AI-system characteristics › "
        "Some autonomy: yes; AI-system characteristics › Infers its outputs: unknown; "
        "AI-system characteristics › Outputs can influence environments: yes. [advisory]\n"
        '    what to do: Ask legal counsel to decide; then answer is_ai_system with "yes", or '
        'with "no_rules_only", "no_basic_data_processing" or "no_simple_statistics" for the '
        "kind of software that is not an AI system.\n"
        "\n"
        "1 submission: 1 pass, 0 fail, 0 incomplete, 0 error; strict: 1 needs legal review\n")
    assert _check(GOOD, "--strict")[1].endswith(
        "1 submission: 1 pass, 0 fail, 0 incomplete, 0 error; strict: none needs legal "
        "review\n")
    assert "legal review" not in _check(GOOD)[1]


def test_markdown_says_it_for_every_result() -> None:
    _code, out = _check(UNCERTAIN, GOOD, "--format", "markdown", "--strict")
    assert out.startswith("## ❌ aipolicy")
    assert "**Strict:** 1 result needs legal review, so the run fails." in out
    assert "- **Legal review:** determined" in out
    assert ("- **Legal review:** ⚖️ needs legal review — **Is it an AI system?** (Art\\. "
            "3\\(1\\); recital 12;") in out


def test_junit_fails_a_review_case_only_under_strict() -> None:
    _code, plain = _check(UNCERTAIN, "--format", "junit")
    assert "legal-review" not in plain
    assert "needs legal review:\n  Is it an AI system?" in plain
    _code, strict = _check(UNCERTAIN, "--format", "junit", "--strict")
    root = ET.fromstring(strict)
    [case] = [c for c in root.iter("testcase")
              if c.get("classname") == "aipolicy-starter.legal-review"]
    assert case.get("name") == "FIN-0201"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "needs legal review (--strict)"
    assert root.get("failures") == "1"


def test_sarif_lists_the_results_that_need_review() -> None:
    _code, out = _check(UNCERTAIN, GOOD, "--format", "sarif", "--strict")
    props = json.loads(out)["runs"][0]["properties"]
    [entry] = props["needsLegalReview"]
    assert entry["useCaseId"] == "FIN-0201"
    assert entry["artifactLocation"]["uri"].endswith("uncertain.yaml")
    assert [q["id"] for q in entry["questions"]] == ["ai_system_uncertain"]
    assert props["strict"] is True
    _code, good = _check(GOOD, "--format", "sarif")
    assert "needsLegalReview" not in json.loads(good)["runs"][0]["properties"]
