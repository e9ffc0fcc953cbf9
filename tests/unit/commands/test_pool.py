"""Hardening of running and evaluating (issue 10): one submission never sinks the run,
a dead worker fails the run closed, findings stay bounded, dates and messages."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from aipolicy.engine.evaluate import evaluate, match
from aipolicy.sources.documents import parse_document
from helpers.paths import AS_OF, EXAMPLES, ROOT, run_cli, starter_pack

DAY = dt.date.fromisoformat(AS_OF)
FINETUNE = (EXAMPLES / "gpai-model-finetune.yaml").read_text()


def _finetune(modification: str, base: str) -> str:
    text = re.sub(r"(modification_compute_flop:).*", rf"\1 {modification}", FINETUNE)
    return re.sub(r"(base_model_compute_flop:).*", rf"\1 {base}", text)


def _gpai04(text: str) -> bool:
    pack = starter_pack()
    data = pack.form.apply_defaults(parse_document(text, "big.yaml").data)
    found = match(pack, data, params=pack.resolve_params({}), as_of=DAY)
    return "GPAI-04" in {step.rule.id for step in found.steps}


def test_whole_numbers_beyond_floats_are_scaled_exactly() -> None:
    huge = 10 ** 400
    # more than a third of the original compute, by a hair that no float can see
    assert _gpai04(_finetune(str(huge + 1), str(3 * huge + 2)))
    assert not _gpai04(_finetune(str(huge), str(3 * huge)))
    assert not _gpai04(_finetune("8.4e19", "9" * 401))
    assert _gpai04(_finetune("9" * 401, "1.68e23"))
    decision = evaluate(starter_pack(), parse_document(_finetune("1", "9" * 401), "b.yaml"),
                        params=starter_pack().resolve_params({}), as_of=DAY)
    # the form refuses a number beyond any JSON number; the rules still ran, exactly
    assert decision.status == "incomplete"
    assert [f.rule for f in decision.findings if "too large a number" in f.message] == ["AIP002"]
    assert "AIP005" not in {f.rule for f in decision.findings}


def test_a_401_digit_number_does_not_sink_the_run(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(_finetune("8.4e19", "9" * 401))
    r = run_cli("check", str(big), str(EXAMPLES / "code-assistant.yaml"), "--as-of", AS_OF,
                "--format", "json")
    assert r.exit_code == 1, r.stderr
    statuses = [result["status"] for result in json.loads(r.stdout)["results"]]
    assert statuses == ["incomplete", "pass"]  # refused at the form, the other evaluated


def _copies(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    text = (EXAMPLES / "code-assistant.yaml").read_text()
    out = []
    for i in range(count):
        path = folder / f"uc-{i:05d}.yaml"
        path.write_text(text)
        out.append(path)
    return out


def _explode_on(monkeypatch: pytest.MonkeyPatch, module: str, name: str, bad: str) -> None:
    import importlib

    mod = importlib.import_module(module)
    real = getattr(mod, name)

    def exploding(*args: Any, **kwargs: Any) -> Any:
        doc = args[1] if name == "evaluate" else args[0]
        if str(getattr(doc, "path", "")).endswith(bad):
            raise ZeroDivisionError("secret text from the submission")
        return real(*args, **kwargs)

    monkeypatch.setattr(mod, name, exploding)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_error_evaluating_one_submission_is_that_submission_s_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    files = _copies(tmp_path / "intake", 70)
    _explode_on(monkeypatch, "aipolicy.engine.evaluate", "evaluate", "uc-00007.yaml")
    r = run_cli("check", str(tmp_path / "intake"), "--as-of", AS_OF, "--format", "json",
                "--jobs", jobs)
    assert r.exit_code == 1, r.stderr
    results = {Path(x["file"]).name: x for x in json.loads(r.stdout)["results"]}
    assert len(results) == len(files)
    bad = results.pop("uc-00007.yaml")
    assert bad["status"] == "error"
    assert [f["rule"] for f in bad["findings"]] == ["AIP005"]
    message = bad["findings"][0]["message"]
    assert "could not evaluate" in message
    assert "ZeroDivisionError" in message
    assert "secret text" not in r.stdout + r.stderr
    assert {x["status"] for x in results.values()} == {"pass"}
    assert "Traceback" not in r.stderr


def test_each_reporter_shows_a_submission_that_could_not_be_evaluated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _copies(tmp_path / "intake", 2)
    _explode_on(monkeypatch, "aipolicy.engine.evaluate", "evaluate", "uc-00001.yaml")
    for fmt in ("table", "json", "sarif", "junit", "markdown", "github"):
        r = run_cli("check", str(tmp_path / "intake"), "--as-of", AS_OF, "--format", fmt)
        assert r.exit_code == 1, (fmt, r.stderr)
        assert "AIP005" in r.stdout, fmt


def test_validate_contains_an_error_to_its_submission(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aipolicy.form.schema import Form
    from aipolicy.form.validate import Validators

    _copies(tmp_path / "intake", 3)
    real = Validators.findings

    def exploding(self: Validators, form: Form, doc: Any) -> Any:
        if doc.path.endswith("uc-00002.yaml"):
            raise RecursionError("deep")
        return real(self, form, doc)

    monkeypatch.setattr(Validators, "findings", exploding)
    r = run_cli("validate", str(tmp_path / "intake"), "--format", "json")
    assert r.exit_code == 1, r.stderr
    statuses = [x["status"] for x in json.loads(r.stdout)["results"]]
    assert statuses == ["pass", "pass", "error"]


def test_debug_shows_the_error_of_one_submission(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _copies(tmp_path / "intake", 2)
    _explode_on(monkeypatch, "aipolicy.engine.evaluate", "evaluate", "uc-00001.yaml")
    with pytest.raises(ZeroDivisionError):
        run_cli("check", str(tmp_path / "intake"), "--as-of", AS_OF, "--debug")


def test_a_bug_in_a_worker_is_an_internal_error_not_a_dead_worker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aipolicy.commands.pool

    def boom(path: str) -> Any:
        raise ValueError("kaboom")

    _copies(tmp_path / "intake", 70)
    monkeypatch.setattr(aipolicy.commands.pool, "evaluate_file", boom)
    r = run_cli("check", str(tmp_path / "intake"), "--as-of", AS_OF, "--jobs", "2")
    assert r.exit_code == 3
    assert r.stderr.count("\n") == 1
    assert "internal error (ValueError: kaboom)" in r.stderr


def test_jobs_give_the_report_of_one_job_byte_for_byte(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "intake"
    folder.mkdir()
    examples = sorted(EXAMPLES.glob("*.yaml"))
    for i in range(150):
        shutil.copy(examples[i % len(examples)], folder / f"{i:04d}-{examples[i % 12].name}")
    for fmt in ("json", "table", "sarif"):
        one = run_cli("check", str(folder), "--as-of", AS_OF, "--format", fmt, "--jobs", "1")
        three = run_cli("check", str(folder), "--as-of", AS_OF, "--format", fmt, "--jobs", "3")
        assert one.exit_code == three.exit_code == 1
        assert one.stdout == three.stdout, fmt


# ---------------------------------------------------------------- at most 200 findings a file

def test_findings_are_capped_and_the_status_counts_them_all() -> None:
    from aipolicy.decision import MAX_FINDINGS, Finding, kept, status_for

    advisory = [Finding("R-ADV", "low", False, f"a{i}", line=i) for i in range(1, 400)]
    blocking = Finding("R-BLOCK", "high", True, "blocks", line=1000)
    waived = Finding("R-WAIVED", "high", True, "waived", line=1, waived=True)
    findings = [*advisory, waived, blocking]
    out = kept(findings)
    assert len(out) == MAX_FINDINGS + 1
    assert blocking in out  # the reason for the status is never cut
    assert out[-1].rule == "AIP006"
    assert not out[-1].blocking
    assert out[-1].message.startswith(f"{len(findings) - MAX_FINDINGS} more findings")
    assert [f.line for f in out[:-1]] == sorted(f.line or 0 for f in out[:-1])
    assert status_for(findings) == "fail"
    assert kept(findings[:MAX_FINDINGS]) == tuple(findings[:MAX_FINDINGS])


def test_a_rule_s_blocking_finding_outlives_the_form_s(tmp_path: Path) -> None:
    from aipolicy.decision import MAX_FINDINGS

    text = (EXAMPLES / "exam-proctoring.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(re.sub(r"(?m)^controls:", "bogus: [" + ", ".join(["x"] * 5) + "]\ncontrols:",
                          text) + "".join(f"unknown_{i:04d}: 1\n" for i in range(300)))
    r = run_cli("check", str(bad), "--as-of", AS_OF, "--format", "json")
    (result,) = json.loads(r.stdout)["results"]
    assert result["status"] == "incomplete"
    rules = [f["rule"] for f in result["findings"]]
    assert len(rules) == MAX_FINDINGS + 1
    assert rules[-1] == "AIP006"
    blocking_rules = {f["rule"] for f in result["findings"]
                      if f["blocking"] and f["rule"] not in ("AIP002", "AIP006")}
    full = evaluate(starter_pack(), parse_document(text, "x.yaml"),
                    params=starter_pack().resolve_params({}), as_of=DAY)
    assert blocking_rules == {f.rule for f in full.findings if f.blocking}
    assert blocking_rules


def test_a_file_of_many_findings_has_a_bounded_report() -> None:
    hostile = ROOT / "tests" / "hostile" / "many-findings.yaml"
    r = run_cli("check", str(hostile), "--as-of", AS_OF, "--format", "json")
    (result,) = json.loads(r.stdout)["results"]
    assert result["status"] == "incomplete"
    # explaining the form stops at its budget (100 and one saying so), under the cap
    assert len(result["findings"]) == 101
    assert any("more problems than the 100 listed" in f["message"]
               for f in result["findings"])
    v = run_cli("validate", str(hostile), "--format", "json")
    assert len(json.loads(v.stdout)["results"][0]["findings"]) == 101


# ---------------------------------------------------------------- dates ahead of --as-of

def test_evidence_dated_after_the_evaluation_date_does_not_count() -> None:
    from helpers.minipack import HEADER, RULES, intake, mini_pack

    header = {**HEADER, "controls": {**HEADER["controls"], "CTRL-A": {
        **HEADER["controls"]["CTRL-A"], "valid_for_days": 365}}}
    pack = mini_pack(RULES, header=header)
    text = (
        "use_case_id: HR-0042\nowner: {name: Jane Doe, email: jane@example.com}\n"
        "deployment_stage: production\npurposes: [recruitment_screening]\n"
        "log_retention_months: 12\nnext_review_due: 2027-01-31\ncontrols:\n"
        "  - {id: CTRL-A, status: done, date: DATE}\n")
    params = pack.resolve_params({})

    def decide(date: str) -> Any:
        return evaluate(pack, intake(text.replace("DATE", date)), params=params, as_of=DAY)

    fresh = decide("2026-11-01")
    assert [c.satisfied for c in fresh.controls] == [True]
    assert fresh.status == "pass"
    ahead = decide("2031-01-01")  # never stale, until now
    (finding,) = [f for f in ahead.findings if f.rule == "AIP007"]
    assert finding.blocking
    assert finding.control == "CTRL-A"
    assert finding.line == 8
    assert "dated 2031-01-01, after the evaluation date 2026-11-22" in finding.message
    assert [c.satisfied for c in ahead.controls] == [False]
    assert ahead.status == "fail"
    assert "AIP007" not in {f.rule for f in decide("2026-11-22").findings}


def test_review_dates_ahead_or_reversed_are_reported(tmp_path: Path) -> None:
    text = (EXAMPLES / "exam-proctoring.yaml").read_text()
    assert "last_reviewed: 2026-11-05" in text
    assert "next_review_due: 2027-05-05" in text

    def rules(last: str, due: str) -> set[str]:
        bad = tmp_path / "uc.yaml"
        bad.write_text(text.replace("last_reviewed: 2026-11-05", f"last_reviewed: {last}")
                       .replace("next_review_due: 2027-05-05", f"next_review_due: {due}"))
        r = run_cli("check", str(bad), "--as-of", AS_OF, "--format", "json")
        return {f["rule"] for f in json.loads(r.stdout)["results"][0]["findings"]}

    review = {"V-REVIEW-DATE-AHEAD", "V-REVIEW-DATES-REVERSED", "V-REVIEW-OVERDUE"}
    assert rules("2026-11-05", "2027-05-05") & review == set()
    assert rules("2027-01-10", "2027-05-05") & review == {"V-REVIEW-DATE-AHEAD"}
    assert rules("2026-11-05", "2026-12-01") & review == set()
    assert rules("2026-11-05", "2026-11-01") & review == {"V-REVIEW-DATES-REVERSED",
                                                         "V-REVIEW-OVERDUE"}
    assert rules("2027-03-01", "2027-02-01") & review == {"V-REVIEW-DATE-AHEAD",
                                                         "V-REVIEW-DATES-REVERSED"}


def test_a_date_may_be_compared_with_another_date_field_only() -> None:
    from aipolicy.errors import PackError
    from helpers.minipack import mini_pack, rule

    with pytest.raises(PackError, match="compares a date with another date field"):
        mini_pack([rule("R", {"field": "next_review_due",
                              "before": {"field": "log_retention_months"}})])
    with pytest.raises(PackError):
        mini_pack([rule("R", {"field": "next_review_due",
                              "before": {"field": "next_review_due", "times": 2}})])


# ---------------------------------------------------------------- messages

def test_a_rule_finding_quotes_the_answer_by_title_and_the_parameter_in_force(
        tmp_path: Path) -> None:
    cv = EXAMPLES / "cv-ranking.yaml"

    def finding(*params: str) -> str:
        r = run_cli("check", str(cv), "--as-of", AS_OF, "--format", "json", *params)
        (f,) = [f for f in json.loads(r.stdout)["results"][0]["findings"]
                if f["rule"] == "V-LOG-RETENTION"]
        return str(f["message"])

    assert finding().endswith(" Given: Log retention (months): 3. "
                              "In force: log_retention_min_months = 6.")
    assert finding("--param", "log_retention_min_months=12").endswith(
        "In force: log_retention_min_months = 12.")


def test_rollback_finding_shows_the_limit_in_force(tmp_path: Path) -> None:
    base = (ROOT / "tests" / "cases" / "production-ready-low" / "intake.yaml")
    text = base.read_text()
    assert "restore_minutes:" in text
    slow = tmp_path / "slow.yaml"
    slow.write_text(re.sub(r"restore_minutes: \d+", "restore_minutes: 45", text))
    r = run_cli("check", str(slow), "--as-of", AS_OF, "--format", "json",
                "--param", "rollback_max_minutes=30")
    (f,) = [f for f in json.loads(r.stdout)["results"][0]["findings"]
            if f["rule"] == "OPS-ROLLBACK"]
    assert "Operations plan › Rollback › Restore time (minutes): 45;" in f["message"]
    assert "In force: rollback_max_minutes = 30." in f["message"]


def test_controls_not_listed_are_one_finding_with_lines_to_paste() -> None:
    import yaml

    r = run_cli("check", str(EXAMPLES / "cv-ranking.yaml"), "--as-of", AS_OF, "--format",
                "json")
    result = json.loads(r.stdout)["results"][0]
    unlisted = [c["id"] for c in result["controls"] if c["status"] == "missing"]
    assert len(unlisted) > 5
    grouped = [f for f in result["findings"]
               if f["rule"] == "AIP003" and "not listed" in f["message"]]
    # one finding for those whose gate blocks, one for those it only advises on
    assert [f["blocking"] for f in grouped] == [True, False]
    pasted = []
    for one in grouped:
        count = int(one["message"].split()[0])
        assert one["message"].startswith(f"{count} required controls are not listed")
        snippet = one["remediation"][one["remediation"].index("controls:\n"):]
        items = yaml.safe_load(snippet)["controls"]
        assert len(items) == count
        assert all(item["id"] in one["message"] for item in items)
        assert {item["status"] for item in items} == {"done"}
        pasted += [item["id"] for item in items]
    assert sorted(pasted) == sorted(unlisted)
    listed_short = [f for f in result["findings"] if f["rule"] == "AIP003"
                    and f not in grouped]
    assert listed_short
    assert all(f.get("control") for f in listed_short)  # each at its own line
    assert len({f["line"] for f in listed_short}) == len(listed_short)
