"""aipolicy schema, new and init: editors, templates and new repositories."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from aipolicy.scaffold.repository import pack_schema_text
from aipolicy.sources.yaml12 import parse_yaml
from helpers.paths import AS_OF, FORM, PACK, ROOT, run_cli


def test_schema_intake_prints_the_form() -> None:
    r = run_cli("schema", "intake", cwd=ROOT)
    assert r.exit_code == 0
    assert json.loads(r.stdout) == json.loads(FORM.read_text())


def test_schema_pack_validates_the_starter_pack() -> None:
    r = run_cli("schema", "pack")
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    merged: dict[str, object] = {}
    for path in sorted(PACK.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, [])
                merged[key] += value  # type: ignore[operator]
            elif isinstance(value, dict) and key in ("controls", "facts", "scales",
                                                      "parameters", "approval_paths"):
                merged.setdefault(key, {})
                merged[key].update(value)  # type: ignore[attr-defined]
            else:
                merged[key] = value
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(
        json.loads(json.dumps(merged, default=str))))
    assert errors == []


def test_shipped_pack_schema_is_current_and_every_pack_file_points_to_it() -> None:
    assert (PACK / "pack.schema.json").read_text() == pack_schema_text(part=True)
    for path in PACK.glob("*.yaml"):
        assert path.read_text().startswith("# yaml-language-server: $schema=pack.schema.json\n")


def _fill(template: str) -> dict[str, object]:
    """Answer every question the template leaves open, as a submitter would."""
    data = yaml.safe_load(template)
    answers: dict[str, object] = {
        "schema_version": "0.1.0", "use_case_id": "OPS-0777", "title": "Ticket routing",
        "intended_purpose": "Route incoming IT tickets to the right team so that they are "
                            "handled sooner; engineers can re-route any ticket.",
        "business_unit": "IT", "owner": {"name": "Kim Lee", "email": "kim.lee@example.com"},
        "deployment_stage": "idea", "jurisdictions": ["EU"], "org_roles": ["deployer"],
        "deployer_type": ["private_company"], "is_ai_system": "yes",
        "system_types": ["classifier"], "model_source": "third_party_api", "capabilities": [],
        "domain": "internal_productivity", "purposes": ["document_classification"],
        "affected_subjects": [], "decision_role": "no_decision_about_people",
        "decision_effect": "none", "data_sensitivity": "internal",
    }
    assert set(data) == set(answers)  # exactly the always-required questions are open
    assert all(value is None or isinstance(value, dict) for value in data.values())
    return answers


def test_new_writes_a_template_that_validates_once_filled(in_tmp: Path) -> None:
    r = run_cli("new")
    assert r.exit_code == 0, r.stderr
    path = in_tmp / "intake" / "new-use-case.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "# Deployment stage: " in text
    assert "#   One of: idea, design, development, pilot, production, retired." in text
    unfilled = run_cli("validate", str(path))
    assert unfilled.exit_code == 1  # empty answers are errors, never passes
    filled = in_tmp / "filled.yaml"
    filled.write_text(yaml.safe_dump(_fill(text)))
    assert run_cli("validate", str(filled)).exit_code == 0
    again = run_cli("new")
    assert again.exit_code == 2
    assert "never overwrites" in again.stderr


def test_new_for_production_lays_out_the_operations_block(in_tmp: Path) -> None:
    r = run_cli("new", "--stage", "production", "-o", "-")
    data = yaml.safe_load(r.stdout)
    assert data["deployment_stage"] == "production"
    assert set(data["operations"]) == {"on_call", "rollback", "quality_monitoring", "cost",
                                       "vendor_fallback"}
    assert "controls" in data
    assert "review" in data


def test_new_refuses_a_stage_the_form_does_not_list_in_one_inert_line(in_tmp: Path) -> None:
    r = run_cli("new", "--stage", "prod", "-o", "-")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == ("aipolicy: error: --stage takes one of the form's stages (idea, design, "
                        "development, pilot, production, retired), not 'prod' (did you mean "
                        "'production'?)\n")
    hostile = run_cli("new", "--stage", "x\n::error::forged\x1b[2J", "-o", "-")
    assert hostile.exit_code == 2
    assert hostile.stderr.count("\n") == 1
    assert "\x1b" not in hostile.stderr


def test_new_interactive_asks_and_checks_answers(in_tmp: Path) -> None:
    from click.testing import CliRunner

    from aipolicy.cli import cli

    answers = ["0.1.0", "OPS-0778", "Ticket routing",
               "Route incoming IT tickets to the right team so that they are handled sooner.",
               "IT", "Kim Lee", "kim.lee@example.com", "", "idea", "EU, mars", "EU",
               "deployer", "private_company", "yes",
               "classifier", "third_party_api", "", "internal_productivity",
               "document_classification", "", "no_decision_about_people", "none", "internal"]
    result = CliRunner().invoke(cli, ["new", "--interactive"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "an answer is needed" in result.output  # the empty development stage answer
    assert "not allowed: mars" in result.output
    path = in_tmp / "intake" / "OPS-0778.yaml"
    text = path.read_text()
    assert 'is_ai_system: "yes"' in text  # quoted: every YAML reader keeps it text
    data, _ = parse_yaml(text, str(path))
    assert data["jurisdictions"] == ["EU"]
    assert data["is_ai_system"] == "yes"
    assert data["owner"] == {"name": "Kim Lee", "email": "kim.lee@example.com"}  # asked too
    r = run_cli("validate", str(path))
    assert r.exit_code == 0, r.stdout


def test_init_then_check_passes_and_init_never_overwrites(in_tmp: Path) -> None:
    r = run_cli("init", "repo")
    assert r.exit_code == 0, r.stderr
    repo = in_tmp / "repo"
    for name in ("policies/pack.yaml", "intake/schema.json", ".pre-commit-config.yaml",
                 ".github/workflows/aipolicy.yml", "README.md", "waivers/README.md"):
        assert (repo / name).is_file(), name
    example = next((repo / "intake").glob("*.yaml"))
    assert example.read_text().startswith("# yaml-language-server: $schema=schema.json\n")
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert [h["id"] for h in hooks["repos"][0]["hooks"]] == [  # validate or check, not both
        "aipolicy-check", "aipolicy-lint-pack"]
    workflow = yaml.safe_load((repo / ".github/workflows/aipolicy.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    assert any("upload-sarif" in str(step.get("uses", "")) for step in steps)
    checked = run_cli("check", "--as-of", AS_OF, cwd=repo)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert run_cli("lint", cwd=repo).exit_code == 0
    (repo / "README.md").write_text("mine\n")
    again = run_cli("init", "repo")
    assert again.exit_code == 2
    assert (repo / "README.md").read_text() == "mine\n"


def test_init_gives_the_configuration_to_the_risk_team(in_tmp: Path) -> None:
    from aipolicy.scaffold.repository import RISK_TEAM

    assert run_cli("init", "repo").exit_code == 0
    repo = in_tmp / "repo"
    owners = (repo / "CODEOWNERS").read_text()
    rules = [line.split() for line in owners.splitlines() if line and not line.startswith("#")]
    assert rules == [["/policies/", RISK_TEAM], ["/waivers/", RISK_TEAM],
                     ["/approvals/", RISK_TEAM], ["/CODEOWNERS", RISK_TEAM]]
    readme = (repo / "README.md").read_text()
    assert "CODEOWNERS" in readme
    assert RISK_TEAM in readme
    assert "Require review from Code Owners" in readme
    assert (repo / "approvals" / "README.md").is_file()


def test_the_approvals_readme_example_is_a_valid_approvals_file(in_tmp: Path) -> None:
    import re

    from aipolicy.scaffold.repository import APPROVALS_README
    from aipolicy.signoffs.load import load_approvals

    block = re.search(r"```yaml\n(.*?)```", APPROVALS_README, re.S)
    assert block is not None
    (in_tmp / "a.yaml").write_text(block.group(1))
    found = load_approvals(str(in_tmp / "a.yaml"), ("ai_risk_committee",))
    assert [e.decision for e in found.by_use_case["HR-0042"]] == ["approved_with_conditions"]
