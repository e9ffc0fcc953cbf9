"""Approvals files: one approval or a list under ``approvals:``; any mistake is a
ConfigError naming its file:line, the field's title and what to write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aipolicy.errors import ConfigError
from aipolicy.signoffs.load import intake_entries, load_approvals

ROLES = ("owner", "lead", "board")

ONE = """\
use_case_id: HR-0042
role: lead
decision: approved
date: 2026-10-01
approver: Lee.Lead@example.com
"""

MANY = """\
approvals:
  - use_case_id: HR-0042
    role: board
    decision: approved_with_conditions
    date: 2026-10-02
    approver: board@example.com
    conditions: Quarterly report.
  - use_case_id: RB-0550
    role: lead
    decision: rejected
    date: 2026-10-03
    approver: lee.lead@example.com
"""


def test_a_file_of_one_approval_and_a_file_of_many(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ONE)
    (tmp_path / "b.yaml").write_text(MANY)
    (tmp_path / "README.md").write_text("not read")
    found = load_approvals(str(tmp_path), ROLES)
    hr = found.by_use_case["HR-0042"]
    assert [(e.role, e.decision, e.date, e.approver, e.line) for e in hr] == [
        ("lead", "approved", dt.date(2026, 10, 1), "Lee.Lead@example.com", 1),
        ("board", "approved_with_conditions", dt.date(2026, 10, 2), "board@example.com", 2)]
    assert hr[1].conditions == "Quarterly report."
    assert hr[0].file == str(tmp_path / "a.yaml")
    assert hr[0].source == "approvals"
    assert found.by_use_case["RB-0550"][0].line == 8
    assert [(Path(f.path).name, sorted(f.use_cases)) for f in found.files] == [
        ("a.yaml", ["HR-0042"]), ("b.yaml", ["HR-0042", "RB-0550"])]
    assert all(f.digest.startswith("sha256:") for f in found.files)


@pytest.mark.parametrize(("text", "where", "message"), [
    (ONE + "aprover: x@example.com\n", 6, "unknown key 'aprover' (did you mean 'approver'?)"),
    (ONE.replace("approved", "aproved"), 3, "Decision: 'aproved' is not valid"),
    (ONE.replace("2026-10-01", "2026-13-01"), 4, "Decision date: '2026-13-01' is not valid"),
    (ONE.replace("Lee.Lead@example.com", "Lee Lead"), 5, "Approver email: 'Lee Lead'"),
    (ONE.replace("approver: Lee.Lead@example.com\n", ""), 1, "Approver email is missing"),
    (ONE.replace("role: lead", "role: leed"), 2, "'leed' is not a role of the rule pack "
     "(did you mean 'lead'?)"),
    (MANY.replace("    role: lead", "    rol: lead"), 9, "unknown key 'rol'"),
    ("- a\n- b\n", 1, "an approvals file holds one approval"),
    ("approvals: []\n", 1, "Approvals"),
    ("role: [unclosed\n", 1, "cannot read the approvals file"),
])
def test_a_mistake_is_a_config_error_with_its_line(tmp_path: Path, text: str, where: int,
                                                   message: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_approvals(str(path), ROLES)
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.line) == (str(path), where)
    assert message in caught.value.message


def test_a_missing_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such approvals file"):
        load_approvals(str(tmp_path / "nope"), ROLES)


def test_the_intakes_own_entries_keep_the_well_formed_ones() -> None:
    intake = {"approvals": [
        {"role": "lead", "decision": "approved", "date": "2026-10-01",
         "approver": " a@example.com "},
        {"role": "lead", "decision": "maybe", "date": "2026-10-01"},
        "not an entry",
        {"role": "board", "decision": "deferred", "date": "2026-10-40"},
        {"role": "board", "decision": "rejected", "date": "2026-10-05"}]}
    entries = intake_entries(intake, "approvals", lambda path: 10 + int(path[1]))
    assert [(e.role, e.decision, e.approver, e.line, e.index, e.file) for e in entries] == [
        ("lead", "approved", "a@example.com", 10, 0, None),
        ("board", "rejected", None, 14, 4, None)]
    assert intake_entries({"approvals": "x"}, "approvals", None) == ()


def test_the_schema_accepts_what_the_loader_accepts_and_refuses_a_typo(tmp_path: Path) -> None:
    import jsonschema
    import yaml

    from aipolicy.signoffs.model import approval_json_schema

    schema = approval_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for text in (ONE, MANY):
        doc = yaml.safe_load(text.replace("2026-10-01", "'2026-10-01'")
                             .replace("2026-10-02", "'2026-10-02'")
                             .replace("2026-10-03", "'2026-10-03'"))
        assert list(validator.iter_errors(doc)) == []
    one = yaml.safe_load(ONE)
    one["date"] = "2026-10-01"
    bad_docs: list[dict[str, object]] = [
        {**one, "aprover": "x@example.com"}, {**one, "decision": "maybe"},
        {k: v for k, v in one.items() if k != "approver"}, {"approvals": []}]
    for bad in bad_docs:
        assert list(validator.iter_errors(bad)) != [], bad
