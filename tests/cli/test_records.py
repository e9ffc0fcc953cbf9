"""``check --record`` and ``verify-record`` as a user runs them: exact output in each
format, exit codes, and the acceptance of issue 12 over the examples."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from aipolicy import __version__
from aipolicy.records.reader import read_chain
from helpers.paths import AS_OF, EXAMPLES, run_cli

WHEN = "2026-12-01T09:30:00Z"


@pytest.fixture
def portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The examples, copied, recorded once into records.jsonl (at a fixed time)."""
    monkeypatch.setattr("aipolicy.records.line.utc_now", lambda: WHEN)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    r = run_cli("check", "examples", "--as-of", AS_OF, "--record", "records.jsonl",
                cwd=tmp_path)
    assert r.exit_code == 1, r.stderr  # the examples include failures
    return tmp_path


def _short(digest: str) -> str:
    return digest[:19] + "…"


def _digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _head(folder: Path) -> str:
    return read_chain(str(folder / "records.jsonl")).head


def _edit(folder: Path) -> tuple[str, str]:
    """Push the chatbot's next review past the date (its overdue finding goes): the
    intake's digests before and after."""
    path = folder / "examples" / "customer-chatbot.yaml"
    before = _digest(path)
    text = path.read_text()
    assert "  next_review_due: 2026-11-12\n" in text
    path.write_text(text.replace("  next_review_due: 2026-11-12\n",
                                 "  next_review_due: 2027-01-31\n"))
    return before, _digest(path)


def test_recording_changes_neither_the_report_nor_the_exit_code(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    for fmt in ("table", "json", "sarif"):
        plain = run_cli("check", "examples", "--as-of", AS_OF, "-f", fmt, cwd=tmp_path)
        recorded = run_cli("check", "examples", "--as-of", AS_OF, "-f", fmt,
                           "--record", "r.jsonl", cwd=tmp_path)
        assert (recorded.exit_code, recorded.stdout, recorded.stderr) == (
            plain.exit_code, plain.stdout, plain.stderr), fmt
    chain = read_chain(str(tmp_path / "r.jsonl"))
    assert chain.intact
    assert len(chain.entries) == 3 * 12


def test_a_record_holds_what_the_json_report_shows(portfolio: Path) -> None:
    report = json.loads(run_cli("check", "examples", "--as-of", AS_OF, "-f", "json",
                                cwd=portfolio).stdout)
    lines = [json.loads(line) for line in (portfolio / "records.jsonl").read_text().splitlines()]
    assert [line["decision"] for line in lines] == report["results"]
    first = lines[0]
    assert first["recorded_at"] == WHEN
    assert first["as_of"] == AS_OF
    assert first["tool"] == report["tool"]
    assert first["pack"] == report["pack"]
    assert first["form"] == report["form"]
    assert first["parameters"] == report["parameters"]
    assert first["inputs"] == []
    assert [line["intake"]["path"] for line in lines] == [r["file"] for r in report["results"]]
    assert [line["intake"]["digest"] for line in lines] == [
        _digest(portfolio / r["file"]) for r in report["results"]]


def test_an_untouched_portfolio_verifies_clean(portfolio: Path) -> None:
    r = run_cli("verify-record", "records.jsonl", cwd=portfolio)
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout == (f"records.jsonl: 12 records: all reproduce; the chain is intact "
                        f"(head {_short(_head(portfolio))})\n")


def test_an_edited_intake_is_named_with_the_reason_table(portfolio: Path) -> None:
    before, after = _edit(portfolio)
    r = run_cli("verify-record", "records.jsonl", cwd=portfolio)
    assert (r.exit_code, r.stderr) == (1, "")
    assert r.stdout == (
        f"records.jsonl:4: examples/customer-chatbot.yaml (CS-0107) does not reproduce "
        f"(recorded {WHEN}, as of {AS_OF})\n"
        f"    the intake changed: {_short(before)} → {_short(after)}\n"
        "    findings.V-REVIEW-OVERDUE[review.next_review_due]: The review of this use case "
        "is overdue. Given: Review › Next review due: 2026-11-12. → absent\n"
        "    rules_fired.V-REVIEW-OVERDUE: fired → absent\n"
        "\n"
        f"records.jsonl: 12 records: 11 reproduce, 1 does not; the chain is intact "
        f"(head {_short(_head(portfolio))})\n")


def test_an_edited_intake_is_named_with_the_reason_markdown(portfolio: Path) -> None:
    before, after = _edit(portfolio)
    r = run_cli("verify-record", "records.jsonl", "--format", "markdown", cwd=portfolio)
    assert r.exit_code == 1
    assert r.stdout == (
        "## ❌ Decision records: `records.jsonl`\n"
        "\n"
        "12 records: 11 reproduce, 1 does not; the chain is intact "
        f"\\(head {_short(_head(portfolio))}\\)\n"
        "\n"
        "| line | file | use case | what no longer reproduces |\n"
        "|---|---|---|---|\n"
        "| 4 | `examples/customer-chatbot.yaml` | CS\\-0107 | the intake changed: "
        f"{_short(before)} → {_short(after)}<br>"
        "findings\\.V\\-REVIEW\\-OVERDUE\\[review\\.next\\_review\\_due\\]: The review of "
        "this use case is overdue\\. Given: Review › Next review due: 2026\\-11\\-12\\. → "
        "absent<br>rules\\_fired\\.V\\-REVIEW\\-OVERDUE: fired → absent |\n")


def test_an_edited_intake_is_named_with_the_reason_json(portfolio: Path) -> None:
    before, after = _edit(portfolio)
    r = run_cli("verify-record", "records.jsonl", "--format", "json", cwd=portfolio)
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["tool"] == {"name": "aipolicy", "version": __version__}
    assert out["chain"] == {"intact": True, "lines": 12, "head": _head(portfolio),
                            "problems": []}
    assert out["summary"] == {"lines": 12, "records": 12, "reproduced": 11,
                              "not_reproduced": 1, "chain_intact": True,
                              "chain_problems": 0}
    failed = [res for res in out["results"] if not res["reproduced"]]
    assert [res["line"] for res in failed] == [4]
    [res] = failed
    assert res["file"] == "examples/customer-chatbot.yaml"
    assert res["use_case_id"] == "CS-0107"
    assert res["changes"] == [{"kind": "intake", "name": "examples/customer-chatbot.yaml",
                               "change": "changed", "recorded": before, "now": after}]
    assert [d["field"] for d in res["differences"]] == [
        "findings.V-REVIEW-OVERDUE[review.next_review_due]", "rules_fired.V-REVIEW-OVERDUE"]
    assert res["differences"][1]["now"] is None
    assert res["differences"][1]["recorded"]["rule"] == "V-REVIEW-OVERDUE"
    # the layout: one line per result, as check's JSON report has them
    assert sum(1 for line in r.stdout.splitlines() if line.startswith('    {"line": ')) == 12


@pytest.mark.parametrize("change", ["delete", "edit"])
def test_a_middle_line_deleted_or_edited_is_a_broken_chain(portfolio: Path,
                                                           change: str) -> None:
    path = portfolio / "records.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    if change == "delete":
        del lines[5]
    else:
        lines[5] = lines[5].replace(b'"as_of":"2026-11-22"', b'"as_of":"2026-11-23"')
    path.write_bytes(b"".join(lines))
    r = run_cli("verify-record", "records.jsonl", cwd=portfolio)
    assert r.exit_code == 1
    at = 6 if change == "delete" else 7  # the line after the one removed or edited
    assert (f"records.jsonl:{at}: the chain is broken: this line's prev is not the digest of "
            f"line {at - 1}: a line before it was edited, removed, inserted or moved\n"
            ) in r.stdout
    assert f"the chain is broken: 1 problem, first at line {at}" in r.stdout.splitlines()[-1]


def test_record_refuses_an_input_and_the_output_file(portfolio: Path) -> None:
    one = "examples/code-assistant.yaml"
    r = run_cli("check", one, "--record", one, cwd=portfolio)
    assert r.exit_code == 2
    assert r.stderr == (f"aipolicy: error: {one}: --record names a file this run reads "
                        f"({one}); the records would be appended to it; choose another "
                        "file\n")
    r = run_cli("check", "examples", "--record", "examples/new.json", cwd=portfolio)
    assert r.exit_code == 2
    assert "--record is inside examples, which this command reads" in r.stderr
    r = run_cli("check", one, "--record", "records.jsonl", "-o", "records.jsonl",
                cwd=portfolio)
    assert r.exit_code == 2
    assert "--record and --output name the same file" in r.stderr
    r = run_cli("check", one, "--record", "nowhere/r.jsonl", cwd=portfolio)
    assert (r.exit_code, r.stdout) == (2, "")  # refused before anything is evaluated
    assert r.stderr == ("aipolicy: error: nowhere/r.jsonl: cannot write the decision "
                        "records: its directory does not exist\n")
    r = run_cli("check", one, "--record", "examples", cwd=portfolio)
    assert (r.exit_code, r.stderr) == (2, "aipolicy: error: examples: --record names a "
                                          "directory; name a .jsonl file\n")
    assert read_chain(str(portfolio / "records.jsonl")).intact  # untouched


def test_verify_record_usage_errors(portfolio: Path) -> None:
    r = run_cli("verify-record", "missing.jsonl", cwd=portfolio)
    assert (r.exit_code, r.stderr) == (2, "aipolicy: error: missing.jsonl: no such record "
                                          "file\n")
    r = run_cli("verify-record", "records.jsonl", "--format", "sarif", cwd=portfolio)
    assert r.exit_code == 2
    r = run_cli("verify-record", "records.jsonl", "--pack", "nowhere", cwd=portfolio)
    assert (r.exit_code, r.stderr) == (2, "aipolicy: error: nowhere: no such rule pack\n")


def test_hostile_record_content_is_shown_inert(portfolio: Path) -> None:
    path = portfolio / "records.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    record = json.loads(lines[0])
    record["decision"]["status"] = "\x1b[31mpass\u202e\n::error::x"
    lines[0] = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
    path.write_text("".join(lines))
    for fmt in ("table", "markdown"):
        r = run_cli("verify-record", "records.jsonl", "-f", fmt, cwd=portfolio)
        assert r.exit_code == 1
        assert "\x1b" not in r.stdout
        assert "\u202e" not in r.stdout
        assert not any(line.lstrip().startswith("::") for line in r.stdout.splitlines())
        if fmt == "table":
            assert "    status: \\x1b[31mpass\\u202e\\n::error::x → pass\n" in r.stdout


def test_a_line_that_is_no_record_in_markdown_and_json(portfolio: Path) -> None:
    path = portfolio / "records.jsonl"
    path.write_bytes(path.read_bytes() + b"[1, 2]\n")
    r = run_cli("verify-record", "records.jsonl", "-f", "markdown", cwd=portfolio)
    assert r.exit_code == 1
    assert r.stdout == (
        "## ❌ Decision records: `records.jsonl`\n"
        "\n"
        "12 records: all reproduce; the chain is broken: 1 problem, first at line 13\n"
        "\n"
        "| line | problem with the file |\n"
        "|---|---|\n"
        "| 13 | the line is not a JSON object: it is no decision record |\n")
    out = json.loads(run_cli("verify-record", "records.jsonl", "-f", "json",
                             cwd=portfolio).stdout)
    assert out["chain"]["problems"] == [{"line": 13, "chain": False, "message": (
        "the line is not a JSON object: it is no decision record")}]
    assert out["summary"]["chain_intact"] is False


def _recorded_with_waivers(folder: Path) -> Path:
    """The examples and waivers/hr.yaml (the "waived" case's) in ``folder``, recorded into
    r.jsonl; the waiver file."""
    from helpers.paths import ROOT

    shutil.copytree(EXAMPLES, folder / "examples")
    (folder / "waivers").mkdir()
    waivers = folder / "waivers" / "hr.yaml"
    shutil.copy(ROOT / "tests" / "waiver_cases" / "waived" / "waivers.yaml", waivers)
    r = run_cli("check", "examples", "--as-of", AS_OF, "--record", "r.jsonl", cwd=folder)
    assert r.exit_code == 1, r.stderr
    return waivers


def test_a_changed_waiver_is_named_for_the_use_case_it_covers(tmp_path: Path) -> None:
    waivers = _recorded_with_waivers(tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    named = {line["decision"]["use_case_id"]: line["inputs"] for line in lines}
    assert named.pop("HR-0042") == [{"kind": "waiver", "path": "waivers/hr.yaml",
                                     "digest": _digest(waivers)}]
    assert all(inputs == [] for inputs in named.values())
    assert run_cli("verify-record", "r.jsonl", cwd=tmp_path).exit_code == 0
    before = _digest(waivers)
    text = waivers.read_text()
    waivers.write_text(text.replace("expires: 2027-01-31", "expires: 2026-11-10", 1))
    r = run_cli("verify-record", "r.jsonl", cwd=tmp_path)
    assert r.exit_code == 1
    block = r.stdout.split("\n\n")[0].splitlines()
    assert block[0].startswith("r.jsonl:5: examples/cv-ranking.yaml (HR-0042) does not "
                               "reproduce")
    assert block[1] == (f"    waiver waivers/hr.yaml changed: {_short(before)} → "
                        f"{_short(_digest(waivers))}")
    assert block[2] == "    status: pass → fail"
    assert "    findings.V-LOG-RETENTION[log_retention_months].waived: true → false" in block


def test_verify_record_output_replaces_no_file_the_replay_reads(tmp_path: Path) -> None:
    """``verify-record -o`` may not overwrite a recorded intake, a waiver file, or land
    among the waivers, where the next run would read it as one."""
    _recorded_with_waivers(tmp_path)
    intake = "examples/cv-ranking.yaml"
    kept = {p: (tmp_path / p).read_bytes() for p in (intake, "waivers/hr.yaml")}
    for target in kept:
        r = run_cli("verify-record", "r.jsonl", "-o", target, cwd=tmp_path)
        assert (r.exit_code, r.stdout) == (2, ""), target
        assert r.stderr == (f"aipolicy: error: {target}: --output names a file this run "
                            f"reads ({target}); the report would overwrite it; choose "
                            "another file\n")
    r = run_cli("verify-record", "r.jsonl", "-o", "waivers/report.yaml", cwd=tmp_path)
    assert r.exit_code == 2
    assert "--output is inside waivers, which this command reads" in r.stderr
    assert not (tmp_path / "waivers" / "report.yaml").exists()
    assert {p: (tmp_path / p).read_bytes() for p in kept} == kept
    r = run_cli("verify-record", "r.jsonl", "-o", "verified.txt", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "reproduce" in (tmp_path / "verified.txt").read_text()
