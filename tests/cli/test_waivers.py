"""The CLI with waivers: --waivers, ./waivers by default, `schema waiver`, `new waiver`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers.paths import AS_OF, EXAMPLES, ROOT, run_cli

CV = EXAMPLES / "cv-ranking.yaml"

#: Waives the two blocking rule findings of cv-ranking that are not about its controls.
WAIVERS = """\
waivers:
  - id: WVR-1
    rule: V-LOG-RETENTION
    use_case_id: HR-0042
    owner: {name: Jane Roe, email: jane.roe@example.com}
    approver: {name: Risk Committee, email: risk-committee@example.com}
    justification: Log store migration in progress; retention raised in January.
    ticket: RISK-101
    granted: 2026-11-01
    expires: 2027-01-31
"""


def _repo(tmp_path: Path, waivers: str = WAIVERS) -> Path:
    (tmp_path / "intake").mkdir()
    shutil.copy(CV, tmp_path / "intake" / "cv-ranking.yaml")
    (tmp_path / "waivers").mkdir()
    (tmp_path / "waivers" / "hr.yaml").write_text(waivers)
    return tmp_path


def _findings(stdout: str) -> list[dict[str, object]]:
    [result] = json.loads(stdout)["results"]
    found: list[dict[str, object]] = result["findings"]
    return found


def test_waivers_are_read_from_the_waivers_directory(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    r = run_cli("check", "--as-of", AS_OF, "--format", "json", cwd=repo)
    waived = [f for f in _findings(r.stdout) if f["waived"]]
    assert [f["rule"] for f in waived] == ["V-LOG-RETENTION"]
    waiver = waived[0]["waiver"]
    assert isinstance(waiver, dict)
    assert (waiver["id"], waiver["file"], waiver["line"]) == ("WVR-1", "waivers/hr.yaml", 2)


def test_no_waivers_directory_no_waivers(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    shutil.rmtree(repo / "waivers")
    r = run_cli("check", "--as-of", AS_OF, "--format", "json", cwd=repo)
    assert not any(f["waived"] for f in _findings(r.stdout))


def test_waivers_option_names_a_file_or_directory(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "waivers").rename(repo / "exceptions")
    for given in ("exceptions", "exceptions/hr.yaml"):
        r = run_cli("check", "intake", "--as-of", AS_OF, "--format", "json",
                    "--waivers", given, cwd=repo)
        assert [f["rule"] for f in _findings(r.stdout) if f["waived"]] == ["V-LOG-RETENTION"]


def test_the_waivers_option_s_directory_is_not_read_as_submissions(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "waivers").rename(repo / "intake" / "exceptions")
    r = run_cli("check", "intake", "--as-of", AS_OF, "--format", "json",
                "--waivers", "intake/exceptions", cwd=repo)
    assert [x["file"] for x in json.loads(r.stdout)["results"]] == ["intake/cv-ranking.yaml"]


def test_a_finding_about_a_waiver_names_the_waiver_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path, WAIVERS.replace("2027-01-31", "2026-12-01"))
    r = run_cli("check", "--as-of", AS_OF, cwd=repo)
    assert r.exit_code == 1
    assert ("waivers/hr.yaml:2: AIP011 Waiver WVR-1 of rule V-LOG-RETENTION for HR-0042 "
            "expires in 9 days (2026-12-01); the notice period is 30 days. [advisory]\n"
            "    what to do: Close the gap before then, or have the waiver renewed (a new "
            "justification, approval and expiry date).\n") in r.stdout
    assert "intake/cv-ranking.yaml:59:1: V-LOG-RETENTION " in r.stdout
    assert "In force: log_retention_min_months = 6. [waived]\n" in r.stdout


def test_a_malformed_waiver_file_is_exit_2_with_its_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, WAIVERS + "    colour: red\n")
    r = run_cli("check", "--as-of", AS_OF, cwd=repo)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("aipolicy: error: waivers/hr.yaml:11:5: waiver WVR-1: "
                               "unknown key 'colour'")


def test_a_missing_waivers_path_is_exit_2(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    r = run_cli("check", "--waivers", "nowhere", cwd=repo)
    assert (r.exit_code, r.stderr) == (
        2, "aipolicy: error: nowhere: no such waiver file or directory\n")


def test_schema_waiver_prints_the_waiver_format() -> None:
    r = run_cli("schema", "waiver")
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["$id"] == "urn:aipolicy:schema:waiver"
    assert set(schema["$defs"]["Waiver"]["required"]) == {
        "id", "rule", "use_case_id", "owner", "approver", "justification", "ticket",
        "granted", "expires"}


def test_new_waiver_prints_a_waiver_refused_until_filled_in(tmp_path: Path) -> None:
    r = run_cli("new", "waiver", "--rule", "V-LOG-RETENTION", "--use-case", "HR-0042",
                "--as-of", AS_OF, cwd=ROOT)
    assert r.exit_code == 0
    assert r.stdout.startswith(
        "# A waiver of V-LOG-RETENTION (Logs of a high-risk system kept for less than six "
        "months) for use case \"HR-0042\".\n")
    assert "granted: 2026-11-22\nexpires: 2027-05-21  # the last day in force; a high " \
           "finding's waiver runs at most 180 days\n" in r.stdout
    assert "# Who may approve a waiver of a high finding: AI risk committee " \
           "(ai_risk_committee).\n" in r.stdout
    repo = _repo(tmp_path, r.stdout)
    refused = run_cli("check", "--as-of", AS_OF, cwd=repo)
    assert refused.exit_code == 2
    assert "Waiver owner › Name is empty; fill it in (and 5 more problems" in refused.stderr
    filled = (r.stdout.replace('name: ""', "name: Jane Roe", 1)
              .replace('email: ""', "email: jane.roe@example.com", 1)
              .replace('name: ""', "name: Risk Committee", 1)
              .replace('email: ""', "email: risk@example.com", 1)
              .replace('justification: ""', "justification: Log store migration.")
              .replace('ticket: ""', "ticket: RISK-9"))
    (repo / "waivers" / "hr.yaml").write_text(filled)
    ok = run_cli("check", "--as-of", AS_OF, "--format", "json", cwd=repo)
    assert [f["rule"] for f in _findings(ok.stdout) if f["waived"]] == ["V-LOG-RETENTION"]


def test_new_waiver_writes_a_file_and_never_over_one(tmp_path: Path) -> None:
    target = tmp_path / "waivers" / "w.yaml"
    r = run_cli("new", "waiver", "--rule", "AIP003", "--use-case", "HR-0042", "-o",
                str(target), "--as-of", AS_OF, cwd=ROOT)
    assert (r.exit_code, r.stdout) == (0, f"wrote {target}; fill it in, then run: aipolicy "
                                          f"check --waivers {target}\n")
    assert "expires: 2027-02-20" in target.read_text()  # an engine rule: the shortest limit
    again = run_cli("new", "waiver", "--rule", "AIP003", "--use-case", "HR-0042", "-o",
                    str(target), cwd=ROOT)
    assert again.exit_code == 2
    assert "exists; aipolicy new waiver never overwrites a file" in again.stderr


def test_new_waiver_refuses_an_unknown_rule_with_a_suggestion() -> None:
    r = run_cli("new", "waiver", "--rule", "V-LOG-RETENTON", "--use-case", "HR-0042",
                cwd=ROOT)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("aipolicy: error: the pack has no rule 'V-LOG-RETENTON' (did you "
                        "mean 'V-LOG-RETENTION'?)\n")


def test_new_without_a_subcommand_still_writes_an_intake_template() -> None:
    r = run_cli("new", "-o", "-")
    assert r.exit_code == 0
    assert "use_case_id:" in r.stdout


def test_a_waiver_of_a_use_case_no_submission_has_is_reported_by_a_directory_run(
        tmp_path: Path) -> None:
    repo = _repo(tmp_path, WAIVERS.replace("HR-0042", "HR-9999"))
    r = run_cli("check", "--as-of", AS_OF, "--format", "json", cwd=repo)
    [unknown] = json.loads(r.stdout)["findings"]
    assert (unknown["rule"], unknown["file"], unknown["line"], unknown["blocking"]) == (
        "AIP018", "waivers/hr.yaml", 2, False)
    assert unknown["message"] == ("Waiver WVR-1 names the use case HR-9999, which no "
                                  "submission of this run has; it waives nothing.")
    table = run_cli("check", "intake", "--as-of", AS_OF, cwd=repo)
    assert "waivers/hr.yaml:2: AIP018 Waiver WVR-1 names the use case HR-9999" in table.stdout
    # a run over named files sees part of the portfolio: it says nothing of the rest
    named = run_cli("check", "intake/cv-ranking.yaml", "--as-of", AS_OF, "--format", "json",
                    cwd=repo)
    assert "findings" not in json.loads(named.stdout)


def test_output_may_not_replace_a_waiver_or_land_among_them(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    before = (repo / "waivers" / "hr.yaml").read_text()
    for target in ("waivers/hr.yaml", "waivers/report.json"):
        r = run_cli("check", "--as-of", AS_OF, "--format", "json", "-o", target, cwd=repo)
        assert r.exit_code == 2, target
    assert (repo / "waivers" / "hr.yaml").read_text() == before
    assert not (repo / "waivers" / "report.json").exists()


def test_worker_processes_apply_the_waivers_as_one_process_does(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    for i in range(70):  # past the pool's threshold (64 files)
        shutil.copy(CV, repo / "intake" / f"cv-{i:02d}.yaml")
    args = ("check", "--as-of", AS_OF, "--format", "json")
    one = run_cli(*args, "--jobs", "1", cwd=repo)
    two = run_cli(*args, "--jobs", "2", cwd=repo)
    assert one.stdout == two.stdout
    results = json.loads(two.stdout)["results"]
    assert len(results) == 71
    assert all(any(f["waived"] for f in r["findings"]) for r in results)
