"""Form findings speak the submitter's language: title, line, what to write."""

from __future__ import annotations

import pytest

from aipolicy.form.schema import Form
from aipolicy.form.validate import check_submission
from helpers.minipack import intake, mini_form

BASE = """\
use_case_id: HR-0042
owner: {name: Jane Doe, email: jane@example.com}
deployment_stage: pilot
purposes: [recruitment_screening]
"""


@pytest.fixture(scope="module")
def form() -> Form:
    return mini_form()


def findings(form: Form, text: str) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.message, f.remediation) for f in check_submission(form, intake(text))]


def test_complete_submission_has_no_findings(form: Form) -> None:
    assert check_submission(form, intake(BASE)) == []


@pytest.mark.parametrize(
    ("change", "line", "message", "remediation"),
    [
        ("log_retention_months: six", 5,
         'Log retention (months) must be a whole number, not "six" (text).',
         "Write a whole number."),
        ("log_retention_months: 6.5", 5,
         "Log retention (months) must be a whole number, not 6.5 (a number).",
         "Write a whole number."),
        ("oversight: {can_override: yes}", 5,
         'Human oversight › Can override must be true or false, not "yes" (text).',
         "Write true instead of yes: this answer is true or false, and 'yes' is read as text."),
        ("oversight: {can_override: off}", 5,
         'Human oversight › Can override must be true or false, not "off" (text).',
         "Write false instead of off: this answer is true or false, and 'off' is read as text."),
        ("next_review_due: 31/01/2027", 5,
         'Next review due must be a date written YYYY-MM-DD; "31/01/2027" is not.',
         "Write a date written YYYY-MM-DD. For example: 2027-01-31."),
        ("ownr: x", 5, "'ownr' is not a field of the form (did you mean 'owner'?).",
         "Remove it or correct the spelling; the fields here are: use_case_id, owner, "
         "deployment_stage, purposes, log_retention_months, external, oversight, "
         "next_review_due, vendors, controls."),
        ("vendors: [{name: 3.2}]", 5,
         "Vendors › item 1 › Name must be text, not 3.2 (a number).",
         'Put the value in quotes so it is read as text, e.g. name: "3.2".'),
        ("vendors: acme", 5, 'Vendors must be a list, not "acme" (text).',
         "Write a list: [first, second] or one item per line starting with '- '."),
        ("external:", 5, "External must be true or false, not empty.",
         "Fill it in with true or false."),
    ],
)
def test_messages(form: Form, change: str, line: int, message: str, remediation: str) -> None:
    assert findings(form, BASE + change + "\n") == [(line, message, remediation)]


def test_enum_with_suggestion(form: Form) -> None:
    got = findings(form, BASE.replace("pilot", "prod"))
    assert got == [(3, 'Deployment stage: "prod" is not one of the allowed values '
                       "(did you mean 'production'?).",
                    "Use one of: idea, pilot, production.")]


def test_pattern_quotes_the_example(form: Form) -> None:
    got = findings(form, BASE.replace("HR-0042", "hr42"))
    assert got == [(1, 'Use-case ID: "hr42" does not have the expected form.',
                    'The ID. For example: HR-0042.')]


def test_missing_field_names_its_title_and_the_parent_line(form: Form) -> None:
    got = findings(form, BASE.replace("owner: {name: Jane Doe, email: jane@example.com}",
                                      "owner: {name: Jane Doe}"))
    assert got == [(2, "Owner › Email is missing; it is required.",
                    "Add `email:`. Work email. For example: email: jane.doe@example.com.")]


def test_stage_requirement_says_why(form: Form) -> None:
    got = findings(form, BASE.replace("pilot", "production"))
    assert got == [(1, "Next review due is missing; it is required when Deployment stage is "
                       "production.",
                    "Add `next_review_due:`. When. For example: next_review_due: 2027-01-31.")]


def test_every_error_is_reported_sorted_by_line(form: Form) -> None:
    text = "use_case_id: 7\ndeployment_stage: nope\npurposes: [other, other]\n"
    got = [(line, msg.split(" ")[0]) for line, msg, _ in findings(form, text)]
    assert got == [(1, "Owner"), (1, "Use-case"), (2, "Deployment"), (3, "Purposes")]


def test_defaults_fill_only_present_groups(form: Form) -> None:
    assert form.apply_defaults({"oversight": {}}) == {"oversight": {"can_override": False}}
    assert form.apply_defaults({}) == {}
    original: dict[str, object] = {"oversight": {}}
    form.apply_defaults(original)
    assert original == {"oversight": {}}  # never mutates the submission


def test_conditions_inside_referenced_list_items() -> None:
    import json

    from aipolicy.form.load import load_form
    from aipolicy.sources.documents import parse_document

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object", "title": "F",
        "properties": {"controls": {"type": "array", "title": "Controls", "description": "c",
                                    "items": {"$ref": "#/$defs/control"}}},
        "$defs": {"control": {
            "type": "object", "title": "Control", "description": "one",
            "properties": {"status": {"type": "string", "title": "Status", "description": "s"},
                           "date": {"type": "string", "title": "Date", "description": "d"}},
            "allOf": [{"if": {"properties": {"status": {"enum": ["done"]}},
                              "required": ["status"]},
                       "then": {"required": ["date"]}}]}},
    }
    form = load_form(parse_document(json.dumps(schema), "f.json"))
    got = findings(form, "controls:\n  - status: done\n")
    assert got == [(2, "Controls › item 1 › Date is missing; it is required when "
                       "Controls › item 1 › Status is done.", "Add `date:`. d.")]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_a_file_that_is_not_a_mapping(form: Form, text: str) -> None:
    [(line, message, remediation)] = findings(form, text)
    assert line == 1
    assert message.startswith("The file must hold the submission's fields, not ")
    assert "field: value" in remediation


def test_a_wrong_type_for_a_field_with_answers_is_one_finding_naming_them(form: Form) -> None:
    """true where the form wants one of a few texts: one finding (the enum's), not two."""
    got = findings(form, BASE.replace("deployment_stage: pilot", "deployment_stage: true"))
    assert got == [(3, "Deployment stage: true is not one of the allowed values.",
                    "Use one of: idea, pilot, production.")]
