"""Issue 10, item 15: `aipolicy new` and `new --interactive` against the form's
conditional requirements, lengths and patterns."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from aipolicy.cli import cli
from aipolicy.sources.yaml12 import parse_yaml
from helpers.paths import run_cli

ALWAYS = ["0.1.0", "OPS-0778", "Ticket routing",
          "Route incoming IT tickets to the right team so that they are handled sooner.",
          "IT", "Kim Lee", "kim.lee@example.com"]
AFTER_STAGE = ["EU", "deployer", "private_company", "yes", "classifier", "third_party_api",
               "", "internal_productivity", "document_classification", "",
               "no_decision_about_people", "none", "internal"]


def _findings(path: Path) -> set[tuple[str, str]]:
    r = run_cli("validate", str(path), "--format", "json")
    assert r.exit_code == 1, r.stderr
    return {(f["path"], f["message"]) for f in json.loads(r.stdout)["results"][0]["findings"]}


def test_new_then_validate_reports_only_what_is_to_be_filled_in(in_tmp: Path) -> None:
    assert run_cli("new").exit_code == 0
    found = _findings(in_tmp / "intake" / "new-use-case.yaml")
    lists = {"jurisdictions": "Jurisdictions", "org_roles": "Our roles",
             "deployer_type": "Type of organisation using it", "system_types": "Kinds of AI",
             "capabilities": "Capabilities", "purposes": "Purposes",
             "affected_subjects": "Affected people"}
    texts = {"schema_version": "Form version", "use_case_id": "Use-case ID", "title": "Title",
             "intended_purpose": "Intended purpose", "business_unit": "Business unit",
             "owner.name": "Business owner › Name", "owner.email": "Business owner › Email"}
    choices = {"deployment_stage": "Deployment stage", "is_ai_system": "Is it an AI system?",
               "model_source": "Where the model comes from", "domain": "Business domain",
               "decision_role": "Role in decisions",
               "decision_effect": "Effect of decisions on people",
               "data_sensitivity": "Most sensitive data"}
    assert found == (
        {(p, f"{t} must be a list, not empty.") for p, t in lists.items()}
        | {(p, f"{t} must be text, not empty.") for p, t in texts.items()}
        | {(p, f"{t}: nothing is not one of the allowed values.") for p, t in choices.items()})


def test_a_condition_on_an_unanswered_list_requires_nothing(in_tmp: Path) -> None:
    """`contains` holds of anything that is not a list: an unanswered list must not make
    the blocks it conditions required."""
    (in_tmp / "s.yaml").write_text("capabilities:\n")
    messages = {m for _, m in _findings(in_tmp / "s.yaml")}
    assert "Biometric use is missing; it is required." not in messages
    assert "Capabilities must be a list, not empty." in messages
    (in_tmp / "t.yaml").write_text("capabilities: [emotion_recognition]\n")
    messages = {m for _, m in _findings(in_tmp / "t.yaml")}
    assert any(m.startswith("Emotion recognition use is missing; it is required when")
               for m in messages)


def _interactive(args: list[str], answers: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["new", "--interactive", *args],
                                input="\n".join(answers) + "\n")
    return result.exit_code, result.output


def test_interactive_checks_patterns_and_lengths(in_tmp: Path) -> None:
    answers = ["0.1.0", "hr42", "../../etc/x", "OPS-0778", "ab", *ALWAYS[2:5], "K",
               *ALWAYS[5:6], "not-an-email", *ALWAYS[6:], "idea", *AFTER_STAGE]
    code, out = _interactive([], answers)
    assert code == 0, out
    assert 'Use-case ID: "hr42" does not have the expected form.' in out
    assert 'Use-case ID: "../../etc/x" does not have the expected form.' in out
    assert 'Title: "ab" must be at least 3 characters (it has 2).' in out
    assert 'Business owner › Name: "K" must be at least 2 characters (it has 1).' in out
    assert "Business owner › Email must be an email address" in out
    data, _ = parse_yaml((in_tmp / "intake" / "OPS-0778.yaml").read_text(), "x")
    assert data["owner"] == {"name": "Kim Lee", "email": "kim.lee@example.com"}
    assert data["title"] == "Ticket routing"


def test_interactive_asks_what_the_stage_requires(in_tmp: Path) -> None:
    stage = ["Ana Ruiz", "ana.ruiz@example.com", "Tickets reach the right team first time.",
             "weekly", "quarterly", "2026-13-01", "2026-10-01", "2027-01-01"]
    code, out = _interactive(["--stage", "pilot"], [*ALWAYS, *AFTER_STAGE, *stage])
    assert code == 0, out
    assert "Technical owner › Name" in out
    assert "not allowed: weekly" in out
    assert "Review › Last reviewed on must be a date written YYYY-MM-DD" in out
    data, _ = parse_yaml((in_tmp / "intake" / "OPS-0778.yaml").read_text(), "x")
    assert data["deployment_stage"] == "pilot"
    assert data["technical_owner"] == {"name": "Ana Ruiz", "email": "ana.ruiz@example.com"}
    assert data["review"] == {"cadence": "quarterly", "last_reviewed": "2026-10-01",
                              "next_review_due": "2027-01-01"}
    r = run_cli("validate", str(in_tmp / "intake" / "OPS-0778.yaml"), "--format", "json")
    left = {f["path"] for f in json.loads(r.stdout)["results"][0]["findings"]}
    assert left == {"outcome.metrics"}  # a list of groups of fields: filled in the file


def test_interactive_stage_answer_asks_its_requirements_too(in_tmp: Path) -> None:
    stage = ["Ana Ruiz", "ana.ruiz@example.com", "Tickets reach the right team first time.",
             "quarterly", "2026-10-01", "2027-01-01"]
    code, out = _interactive([], [*ALWAYS, "pilot", *AFTER_STAGE, *stage])
    assert code == 0, out
    data, _ = parse_yaml((in_tmp / "intake" / "OPS-0778.yaml").read_text(), "x")
    assert data["review"]["cadence"] == "quarterly"


def test_an_id_that_is_not_a_file_name_is_refused(in_tmp: Path) -> None:
    """A form without a pattern for the id: the id still never becomes a path."""
    form = in_tmp / "form.json"
    form.write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "required": ["use_case_id"],
        "properties": {"use_case_id": {"type": "string", "title": "ID"}}}))
    code, out = _interactive(["--schema", str(form)], ["../escape", "a/b", "..", ".hidden",
                                                       "ok-1"])
    assert code == 0, out
    assert out.count("it names the file") == 4
    assert sorted(p.name for p in (in_tmp / "intake").iterdir()) == ["ok-1.yaml"]
    assert not (in_tmp.parent / "escape.yaml").exists()
