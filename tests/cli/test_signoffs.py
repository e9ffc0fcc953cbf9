"""``check --approvals``: the reviewer-owned sign-offs, read before any submission."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers.paths import AS_OF, EXAMPLES, ROOT, run_cli

READY = ROOT / "tests" / "cases" / "production-ready-low" / "intake.yaml"
LEAD = ("use_case_id: OPS-0405\nrole: ai_governance_lead\ndecision: approved\n"
        "date: 2026-10-01\napprover: lead@example.com\n")


def _repo(root: Path) -> None:
    (root / "intake").mkdir()
    shutil.copy(READY, root / "intake" / "ops.yaml")


def _statuses(stdout: str) -> list[str]:
    return [r["status"] for r in json.loads(stdout)["results"]]


def test_approvals_in_the_default_directory_count(in_tmp: Path) -> None:
    _repo(in_tmp)
    r = run_cli("check", "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 1
    assert _statuses(r.stdout) == ["fail"]
    (in_tmp / "approvals").mkdir()
    (in_tmp / "approvals" / "ops.yaml").write_text(LEAD)
    r = run_cli("check", "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0, r.stdout
    lead = json.loads(r.stdout)["results"][0]["signoffs"][1]
    assert (lead["state"], lead["file"], lead["line"]) == ("signed", "approvals/ops.yaml", 1)


def test_approvals_named_on_the_command_line(in_tmp: Path) -> None:
    _repo(in_tmp)
    (in_tmp / "lead.yaml").write_text(LEAD)
    r = run_cli("check", "--as-of", AS_OF, "--approvals", "lead.yaml")
    assert r.exit_code == 0, r.stdout
    assert ("intake/ops.yaml: sign-offs: owner: signed by alex.morgan@example.com (the "
            "submission); ai_governance_lead: signed by lead@example.com on 2026-10-01 "
            "(lead.yaml:1); every role has signed\n") in r.stdout


def test_a_malformed_approvals_file_stops_the_run_with_its_line(in_tmp: Path) -> None:
    _repo(in_tmp)
    (in_tmp / "approvals").mkdir()
    (in_tmp / "approvals" / "ops.yaml").write_text(LEAD.replace("decision", "descision"))
    r = run_cli("check", "--as-of", AS_OF)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == ("aipolicy: error: approvals/ops.yaml:3: unknown key 'descision' (did "
                        "you mean 'decision'?); an approval has: use_case_id, role, decision, "
                        "date, approver, conditions\n")


def test_a_missing_approvals_path_is_a_usage_error(in_tmp: Path) -> None:
    _repo(in_tmp)
    r = run_cli("check", "--as-of", AS_OF, "--approvals", "nope")
    assert r.exit_code == 2
    assert r.stderr == "aipolicy: error: nope: no such approvals file or directory\n"


def test_approvals_for_a_pack_that_requires_no_sign_off_are_refused(in_tmp: Path) -> None:
    _repo(in_tmp)
    shutil.copytree(ROOT / "policies", in_tmp / "policies")
    pack = in_tmp / "policies" / "pack.yaml"
    text = pack.read_text()
    pack.write_text(text.replace("  stages: [production]\n", "  stages: []\n"))
    (in_tmp / "lead.yaml").write_text(LEAD)
    r = run_cli("check", "--as-of", AS_OF, "--approvals", "lead.yaml")
    assert r.exit_code == 2
    assert "the rule pack requires no sign-off" in r.stderr
    r = run_cli("check", "--as-of", AS_OF, "--format", "json")  # and none is asked for
    assert r.exit_code == 0, r.stdout
    assert "signoffs" not in json.loads(r.stdout)["results"][0]


def test_worker_processes_give_the_same_sign_offs(tmp_path: Path) -> None:
    for i in range(70):
        shutil.copy(EXAMPLES / "consumer-credit-scoring.yaml", tmp_path / f"c{i:02}.yaml")
    one = run_cli("check", str(tmp_path), "--as-of", AS_OF, "-f", "json", "--jobs", "1")
    two = run_cli("check", str(tmp_path), "--as-of", AS_OF, "-f", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    first = json.loads(one.stdout)["results"][0]
    assert first["signoffs"][1]["line"] == 123


def test_output_never_overwrites_an_approvals_file(in_tmp: Path) -> None:
    _repo(in_tmp)
    (in_tmp / "approvals").mkdir()
    (in_tmp / "approvals" / "ops.yaml").write_text(LEAD)
    r = run_cli("check", "--as-of", AS_OF, "-o", "approvals/ops.yaml")
    assert r.exit_code == 2
    assert (in_tmp / "approvals" / "ops.yaml").read_text() == LEAD


def test_an_approval_for_no_submission_of_a_whole_run_is_advisory(in_tmp: Path) -> None:
    _repo(in_tmp)
    (in_tmp / "approvals").mkdir()
    (in_tmp / "approvals" / "ops.yaml").write_text(LEAD)
    (in_tmp / "approvals" / "gone.yaml").write_text(LEAD.replace("OPS-0405", "OPS-0001"))
    r = run_cli("check", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stdout
    assert ("approvals/gone.yaml:1: AIP029 The sign-off for ai_governance_lead names the use "
            "case 'OPS-0001', which no submission of this run has; it signs nothing off. "
            "[advisory]\n") in r.stdout
    named = run_cli("check", "intake/ops.yaml", "--as-of", AS_OF)  # part of the portfolio
    assert "AIP029" not in named.stdout


def test_output_never_lands_among_the_approvals(in_tmp: Path) -> None:
    _repo(in_tmp)
    (in_tmp / "approvals").mkdir()
    (in_tmp / "approvals" / "ops.yaml").write_text(LEAD)
    r = run_cli("check", "--as-of", AS_OF, "-f", "json", "-o", "approvals/report.json")
    assert r.exit_code == 2
    assert not (in_tmp / "approvals" / "report.json").exists()


def test_schema_approval_prints_the_approvals_file_format() -> None:
    r = run_cli("schema", "approval")
    assert (r.exit_code, r.stderr) == (0, "")
    schema = json.loads(r.stdout)
    assert schema["$id"] == "urn:aipolicy:schema:approval"
    assert set(schema["$defs"]["Approval"]["required"]) == {
        "use_case_id", "role", "decision", "date", "approver"}
