"""The CLI as a user runs it: exit codes, exact output, JSON contract, defaults."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from helpers.paths import AS_OF, EXAMPLES, FORM, PACK, ROOT, run_cli

RUN = ROOT / "tests" / "data" / "run"


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_version() -> None:
    from aipolicy import __version__

    r = run_cli("--version")
    assert r.exit_code == 0
    assert r.stdout == f"aipolicy {__version__}\n"


def test_mixed_run_error_incomplete_and_good() -> None:
    r = run_cli("check", rel(RUN), "--as-of", AS_OF, "--format", "json", cwd=ROOT)
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    by_file = {res["file"]: res for res in out["results"]}
    broken = by_file["tests/data/run/broken.yaml"]
    assert broken["status"] == "error"
    assert broken["findings"][0]["rule"] == "AIP001"
    assert broken["findings"][0]["line"] == 3  # the line of the [ never closed
    missing = by_file["tests/data/run/no-owner.yaml"]
    assert missing["status"] == "incomplete"
    assert missing["tier"] == "low"  # classified although incomplete
    assert missing["facts"]["eu_ai_act"]["category"] == "minimal_risk"
    [finding] = missing["findings"]
    assert finding["message"] == "Business owner is missing; it is required."
    assert finding["path"] == "owner"
    assert by_file["tests/data/run/good.yaml"]["status"] == "pass"
    assert out["summary"] == {"submissions": 3, "pass": 1, "fail": 0, "incomplete": 1,
                              "error": 1, "by_tier": {"low": 2}, "needs_review": 0}


def test_table_output_is_exact() -> None:
    r = run_cli("check", rel(RUN), "--as-of", AS_OF, cwd=ROOT)
    assert r.exit_code == 1
    assert r.stderr == ""
    assert r.stdout == (
        "file                          use case    status      tier    EU category    findings\n"
        "----------------------------  ----------  ----------  ------  -------------  ----------\n"
        "tests/data/run/broken.yaml    -           error       -       -              1\n"
        "tests/data/run/good.yaml      FIN-0101    pass        low     minimal_risk   0\n"
        "tests/data/run/no-owner.yaml  FIN-0102    incomplete  low     minimal_risk   1\n"
        "\n"
        "tests/data/run/broken.yaml:3:8: AIP001 not valid YAML: the list opened with [ here is"
        " never closed: end it with ] (its items are separated by commas)\n"
        "    what to do: Fix the file so that it is one valid YAML (or JSON) document; nothing"
        " in it was evaluated.\n"
        "tests/data/run/no-owner.yaml:1:1: AIP002 Business owner is missing; it is required.\n"
        "    what to do: Add `owner:`. The person accountable for the use case and its outcome,"
        " who signs impact assessments. Name one person, not a team.\n"
        "\n"
        "3 submissions: 1 pass, 0 fail, 1 incomplete, 1 error\n"
    )


def test_json_contract_and_byte_identical_runs() -> None:
    args = ("check", "intake/examples", "--format", "json", "--as-of", AS_OF)
    first = run_cli(*args, cwd=ROOT)
    second = run_cli(*args, cwd=ROOT)
    assert first.stdout == second.stdout
    out = json.loads(first.stdout)
    assert set(out) >= {"tool", "pack", "form", "as_of", "parameters", "results", "summary"}
    assert out["tool"]["name"] == "aipolicy"
    assert out["pack"]["name"] == "aipolicy-starter"
    assert out["pack"]["digest"].startswith("sha256:")
    assert out["form"] == {"id": "urn:aipolicy:form:intake:0.1.0",
                           "digest": out["form"]["digest"]}
    assert out["as_of"] == AS_OF
    assert out["parameters"]["act_version"] == "2026_consolidated"
    for res in out["results"]:
        assert set(res) >= {"file", "use_case_id", "status", "tier", "facts", "controls",
                            "approval_path", "findings", "rules_fired"}
        assert res["file"].startswith("intake/examples/")
        for f in res["findings"]:
            assert set(f) >= {"rule", "severity", "blocking", "message", "remediation",
                              "path", "line", "waived", "waiver"}
            assert isinstance(f["line"], int)
    statuses = {res["status"] for res in out["results"]}
    assert first.exit_code == (0 if statuses == {"pass"} else 1)
    tiers = {res["tier"] for res in out["results"]}
    assert tiers >= {"low", "elevated", "high", "prohibited"}
    assert "incomplete" in statuses
    assert "fail" in statuses


def test_exit_0_when_everything_passes() -> None:
    r = run_cli("check", rel(RUN / "good.yaml"), "--as-of", AS_OF, cwd=ROOT)
    assert r.exit_code == 0
    assert r.stdout.endswith("1 submission: 1 pass, 0 fail, 0 incomplete, 0 error\n")


def test_validate_is_form_only() -> None:
    r = run_cli("validate", rel(RUN), "--format", "json", cwd=ROOT)
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["pack"] is None
    assert [res["status"] for res in out["results"]] == ["error", "pass", "incomplete"]
    assert all(res["tier"] is None for res in out["results"])


def _pack_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "policies"
    shutil.copytree(PACK, dest)
    return dest


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{field: purposes, contains: exam_proctoring}",
         "{field: purpose, contains: exam_proctoring}",
         "eu-high-risk.yaml:{line}:12: the intake form has no field 'purpose' "
         "(did you mean 'purposes'?)"),
        ("{field: purposes, contains: exam_proctoring}",
         "{field: purposes, contains: exam_proctorin}",
         "eu-high-risk.yaml:{line}:{col}: 'exam_proctorin' is not an allowed value of purposes"),
        ("{field: purposes, contains: exam_proctoring}",
         "{field: purposes, greater_than: 3}",
         "eu-high-risk.yaml:{line}:{col}: 'greater_than' works on a number"),
    ],
)
def test_pack_errors_exit_2_with_file_and_line(tmp_path: Path, old: str, new: str,
                                               message: str) -> None:
    pack = _pack_copy(tmp_path)
    target = pack / "eu-high-risk.yaml"
    text = target.read_text()
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    target.write_text(text.replace(old, new))
    r = run_cli("check", str(RUN / "good.yaml"), "--pack", str(pack), "--schema", str(FORM))
    assert r.exit_code == 2
    assert r.stdout == ""
    first = r.stderr.splitlines()[0]
    expected = message.replace("{line}", str(line)).split("{col}")
    assert first.startswith(str(pack / expected[0]))
    assert expected[-1] in first
    assert r.stderr.splitlines()[-1] == (
        "aipolicy: error: the rule pack is invalid (1 problem); nothing was evaluated")


def test_embedded_default_in_an_empty_directory(in_tmp: Path) -> None:
    shutil.copy(RUN / "good.yaml", in_tmp / "uc.yaml")
    r = run_cli("check", "uc.yaml", "--format", "json", "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["pack"]["name"] == "aipolicy-starter"
    assert out["form"]["id"] == "urn:aipolicy:form:intake:0.1.0"
    assert out["results"][0]["status"] == "pass"


def test_no_input_is_a_usage_error(in_tmp: Path) -> None:
    r = run_cli("check")
    assert r.exit_code == 2
    assert "no input" in r.stderr
    r = run_cli("check", "nope.yaml")
    assert r.exit_code == 2
    assert "nope.yaml: no such file or directory" in r.stderr
    (in_tmp / "empty").mkdir()
    r = run_cli("check", "empty")
    assert r.exit_code == 2
    assert "no intake files" in r.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--param", "act_verison=2024_original"), "unknown parameter 'act_verison' "
                                                   "(did you mean 'act_version'?)"),
        (("--param", "act_version=2025"), "parameter 'act_version' must be one of"),
        (("--param", "rollback_max_minutes=ten"), "takes a integer"),
        (("--param", "novalue"), "is not name=value"),
        (("--as-of", "22/11/2026"), "is not a date written YYYY-MM-DD"),
        (("--format", "xml"), "Invalid value for '--format'"),
        (("--nope",), "No such option"),
    ],
)
def test_bad_flags_exit_2(args: tuple[str, ...], fragment: str) -> None:
    r = run_cli("check", str(RUN / "good.yaml"), *args)
    assert r.exit_code == 2
    assert fragment in r.stderr


def test_parameter_override_is_reported() -> None:
    r = run_cli("check", str(RUN / "good.yaml"), "--param", "act_version=2024_original",
                "--as-of", AS_OF, "--format", "json")
    out = json.loads(r.stdout)
    assert out["parameters"]["act_version"] == "2024_original"
    rules = [f["rule"] for f in out["results"][0]["findings"]]
    assert rules == ["V-OUTDATED-ACT-VERSION"]
    assert r.exit_code == 0  # advisory only


def test_internal_error_is_one_line_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import aipolicy.commands.check

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("kaboom")

    # an error evaluating one submission is that submission's (tests/unit/commands/test_pool.py);
    # an error making the report is the run's
    monkeypatch.setattr(aipolicy.commands.check, "build_report", boom)
    r = run_cli("check", str(RUN / "good.yaml"))
    assert r.exit_code == 3
    assert r.stderr.count("\n") == 1
    assert "internal error (RuntimeError: kaboom); please report it" in r.stderr
    assert "Traceback" not in r.stderr
    with pytest.raises(RuntimeError, match="kaboom"):
        run_cli("check", str(RUN / "good.yaml"), "--debug")


def test_output_file_is_written_and_stdout_stays_empty(tmp_path: Path) -> None:
    dest = tmp_path / "report.json"
    r = run_cli("check", str(RUN / "good.yaml"), "--format", "json", "--output", str(dest))
    assert r.exit_code == 0
    assert r.stdout == ""
    assert json.loads(dest.read_text())["summary"]["pass"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_form_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "schema.json"
    bad.write_text('{"type": "object", "properties": {"a": {"type": "nonsense"}}}')
    r = run_cli("validate", str(RUN / "good.yaml"), "--schema", str(bad))
    assert r.exit_code == 2
    assert "not a valid JSON Schema" in r.stderr


def test_python_dash_m() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "aipolicy", "--version"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("aipolicy ")


def test_a_checked_form_is_remembered_by_content(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    form = tmp_path / "schema.json"
    form.write_text(FORM.read_text())
    assert run_cli("validate", str(RUN / "good.yaml"), "--schema", str(form)).exit_code == 0
    marks = list((tmp_path / "cache" / "checked-forms").iterdir())
    assert len(marks) == 1
    # a changed (and broken) form has another digest: it is checked again, and refused
    form.write_text(FORM.read_text().replace('"minLength": 50', '"minLength": "fifty"', 1))
    r = run_cli("validate", str(RUN / "good.yaml"), "--schema", str(form))
    assert r.exit_code == 2
    assert "not a valid JSON Schema" in r.stderr


def test_table_layout_matches_tabulate_simple() -> None:
    from tabulate import tabulate

    from aipolicy.reporters.table import columns

    headers = ["file", "use case", "status", "tier", "findings"]
    rows = [["a/very/long/path/to/a/file.yaml", "HR-0042", "incomplete", "prohibited", "12"],
            ["b.yaml", "-", "pass", "low", "0"]]
    expected = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    assert columns(headers, rows) == "\n".join(line.rstrip() for line in expected.splitlines())


def test_lint_the_starter_pack_is_clean() -> None:
    r = run_cli("lint", cwd=ROOT)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("policies: pack aipolicy-starter")
    assert r.stdout.endswith("0 warnings\n")


def test_lint_reports_warnings_and_errors(tmp_path: Path) -> None:
    pack = _pack_copy(tmp_path)
    controls = pack / "controls.yaml"
    controls.write_text(controls.read_text() + (
        "  CTRL-UNUSED:\n    title: t\n    description: d\n"
        "    citations: [{framework: ISO/IEC 42001, clause: A.2.2}]\n"))
    r = run_cli("lint", str(pack), "--schema", str(FORM))
    assert r.exit_code == 0
    assert f"{pack}: warning: control CTRL-UNUSED is in the catalogue but no rule requires it" \
        in r.stdout
    (pack / "broken.yaml").write_text("rules:\n  - id: X-1\n")
    r = run_cli("lint", str(pack), "--schema", str(FORM))
    assert r.exit_code == 2
    assert "broken.yaml:2:" in r.stderr


def test_jobs_give_the_same_report(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    sources = sorted(p for p in (ROOT / "intake" / "examples").glob("*.yaml"))
    sources.append(RUN / "broken.yaml")
    for i in range(80):
        shutil.copy(sources[i % len(sources)], many / f"uc-{i:03}.yaml")
    one = run_cli("check", str(many), "-f", "json", "--as-of", AS_OF, "--jobs", "1")
    two = run_cli("check", str(many), "-f", "json", "--as-of", AS_OF, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert json.loads(two.stdout)["summary"]["submissions"] == 80


def test_a_complete_submission_is_checked_without_the_slow_imports(tmp_path: Path) -> None:
    """The pre-commit hook pays start-up on every commit: a complete submission is
    decided by jsonschema-rs and a cached pack, without importing jsonschema (50 ms)
    or pydantic (the pack's models), nor tempfile (shutil, random and the compressors,
    5 ms: only a run that writes a file needs it)."""
    import subprocess
    import sys

    env = {**os.environ, "AIPOLICY_CACHE_DIR": str(tmp_path / "cache")}
    example = str(EXAMPLES / "code-assistant.yaml")
    script = ("import sys; from aipolicy.cli import main; main(sys.argv[1:]); "
              "print(sorted(m for m in ('jsonschema', 'pydantic', 'tempfile') "
              "if m in sys.modules))")
    runs = [subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                           text=True, env=env, cwd=ROOT, check=False)
            for args in (["check", example], ["check", example], ["validate", example])]
    assert runs[1].stdout.splitlines()[-1] == "[]", runs[1].stdout + runs[1].stderr
    assert runs[2].stdout.splitlines()[-1] == "[]", runs[2].stdout + runs[2].stderr
