"""The CI reporters: SARIF, JUnit, GitHub annotations and Markdown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.settings import Settings
from aipolicy.decision import ApprovalStep, ControlResult, Decision, Finding, Report
from aipolicy.info import Citation, RuleInfo
from aipolicy.reporters import REPORTERS, get_reporter, github, junit, markdown, sarif
from helpers.paths import EXAMPLES, FORM, PACK, ROOT

AS_OF = dt.date(2026, 11, 22)
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
SHARED_SARIF_SCHEMA = (ROOT.parent / "shared" / "schemas"
                       / "sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def examples() -> Iterator[Report]:
    """The starter pack on the shipped examples, run from the repository root."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        yield check(["intake/examples"], Settings(as_of=AS_OF))


def tiny_report() -> Report:
    first = Decision(
        file="intake/a.yaml", use_case_id="UC-1", status="fail", tier="high",
        facts={"eu_ai_act": {"category": "high_risk", "annex_iii": ["4a"],
                             "transparency": ["50(1)"], "gpai": "none"}},
        controls=(ControlResult("CTRL-X", "Check | verify", "missing", ("R-ONE",),
                                ("done",), False),),
        approval_path=(ApprovalStep("owner", "Owner", ("tier:high",)),
                       ApprovalStep("cro", "Chief risk officer", ("R-ONE",))),
        findings=(
            Finding("R-ONE", "high", True, "Too risky.", "Reduce it.", path="a.b",
                    line=3, column=5, title="Rule one"),
            Finding("R-ONE", "medium", False, "Also this.", path="a.c", line=4,
                    title="Rule one"),
            Finding("R-TWO", "low", False, "Consider that.", "Think.", title="Rule two"),
            Finding("R-THREE", "critical", True, "Not allowed.", line=7, column=1,
                    title="Rule three", waived=True,
                    waiver={"id": "W-1", "approver": "Ann", "justification": "accepted"}),
        ),
    )
    broken = Decision(
        file="b.yaml", use_case_id=None, status="error", tier=None,
        findings=(Finding("AIP001", "high", True, "not valid YAML", "Fix the file.",
                          line=2, column=1, title="File"),),
    )
    clean = Decision(file="c.yaml", use_case_id="UC-3", status="pass", tier="low")
    return Report(decisions=(first, broken, clean), tool_version="9.9.9",
                  as_of="2026-11-22", parameters={},
                  pack={"name": "demo", "version": "1.0.0", "digest": "sha256:00"},
                  form=None, tiers=("low", "high"))


def with_finding(report: Report, **changes: Any) -> Report:
    """The tiny report with its first finding changed."""
    first = report.decisions[0]
    finding = dataclasses.replace(first.findings[0], **changes)
    decision = dataclasses.replace(first, findings=(finding, *first.findings[1:]))
    return dataclasses.replace(report, decisions=(decision, *report.decisions[1:]))


def sarif_run(report: Report) -> dict[str, Any]:
    run: dict[str, Any] = json.loads(sarif.render(report))["runs"][0]
    return run


# --- registry -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sarif", "junit", "github", "markdown"])
def test_registered_and_deterministic(name: str, examples: Report) -> None:
    assert name in REPORTERS
    render = get_reporter(name)
    out = render(examples)
    assert out == render(examples)
    assert out.endswith("\n")


# --- SARIF ----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["examples", "tiny"])
def test_sarif_validates_against_the_official_schema(which: str, examples: Report) -> None:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    doc = json.loads(sarif.render(examples if which == "examples" else tiny_report()))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = sorted(validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_sarif_shape_for_github_code_scanning(examples: Report) -> None:
    doc = json.loads(sarif.render(examples))
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "aipolicy"
    assert driver["version"] == examples.tool_version
    assert driver["informationUri"] == "https://github.com/aipolicy/aipolicy"
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["properties"]["pack"] == examples.pack
    assert run["properties"]["asOf"] == "2026-11-22"
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription"):
            assert rule[key]["text"]
        assert rule["help"]["text"]
        assert rule["help"]["markdown"]
        assert "ai-governance" in rule["properties"]["tags"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == sum(len(d.findings) for d in examples.decisions)


def test_sarif_rules_are_exactly_the_rule_ids_used(examples: Report) -> None:
    run = sarif_run(examples)
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    used = {r["ruleId"] for r in run["results"]}
    assert ids == sorted(used)
    assert "AIP003" in used  # the engine's own rules are described too
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_sarif_every_result_has_a_start_line_and_a_relative_uri(examples: Report) -> None:
    for result in sarif_run(examples)["results"]:
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["region"]["startLine"] >= 1
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["artifactLocation"]["uri"].startswith("intake/examples/")
        assert result["message"]["text"]
        assert len(result["partialFingerprints"]["aipolicy/v1"]) == 64


def test_sarif_levels_rule_text_and_suppressions() -> None:
    report = tiny_report()
    run = sarif_run(with_finding(report, line=None, column=None))
    by_rule = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels == [("R-ONE", "error"), ("R-ONE", "warning"), ("R-TWO", "warning"),
                      ("R-THREE", "error"), ("AIP001", "error")]
    first = run["results"][0]
    assert first["message"]["text"] == "Too risky. — Reduce it."
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert run["results"][1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert run["results"][4]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 1}
    # no rule metadata in the report: the finding's title and remediation stand in
    assert by_rule["R-ONE"]["shortDescription"]["text"] == "Rule one"
    assert "Reduce it." in by_rule["R-ONE"]["help"]["text"]
    assert by_rule["AIP001"]["shortDescription"]["text"] == "The file could not be read or parsed"
    waived = run["results"][3]
    assert waived["suppressions"] == [{
        "kind": "external", "justification": "accepted",
        "properties": {"id": "W-1", "approver": "Ann"},
    }]
    assert all("suppressions" not in r for i, r in enumerate(run["results"]) if i != 3)


def test_sarif_uses_rule_metadata_and_citations_when_present(examples: Report) -> None:
    run = sarif_run(examples)
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "PROH-5F")
    info = examples.rules["PROH-5F"]
    assert rule["shortDescription"]["text"] == info.title
    assert rule["fullDescription"]["text"] == info.description
    assert info.remediation in rule["help"]["text"]
    assert "Art. 5(1)(f)" in rule["help"]["markdown"]
    assert "EU AI Act" in rule["properties"]["tags"]
    assert rule["properties"]["severity"] == "critical"


def test_rule_info_is_defensive() -> None:
    bare = dataclasses.replace(tiny_report(), decisions=())
    info = sarif.rule_info(bare)
    assert info["AIP003"]["title"].startswith("A required control")
    citation = Citation(framework="EU AI Act", clause="Art. 4", url=None)
    rich = dataclasses.replace(bare, rules={"R-1": RuleInfo(title="T", citations=(citation,))})
    info = sarif.rule_info(rich)
    assert info["R-1"] == {"title": "T",
                           "citations": [{"framework": "EU AI Act", "clause": "Art. 4"}]}


def test_sarif_uri_is_repository_relative() -> None:
    # a backslash separates only where it is the platform's separator (issue 10 #13)
    assert sarif.artifact_uri("./intake\\examples\\a b.yaml", "\\") == \
        "intake/examples/a%20b.yaml"
    assert sarif.artifact_uri("intake/x.yaml") == "intake/x.yaml"


def test_fingerprint_ignores_line_numbers() -> None:
    one = Finding("AIP001", "high", True, "duplicate key 'a' (first defined on line 3)", line=9)
    two = dataclasses.replace(one, message="duplicate key 'a' (first defined on line 4)",
                              line=10)
    assert sarif.fingerprint("./x.yaml", one) == sarif.fingerprint("x.yaml", two)
    other = dataclasses.replace(one, message="duplicate key 'b' (first defined on line 3)")
    assert sarif.fingerprint("x.yaml", one) != sarif.fingerprint("x.yaml", other)


def test_fingerprints_survive_an_unrelated_inserted_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (EXAMPLES / "cv-ranking.yaml").read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    shifted = "".join([lines[0], "# an unrelated comment\n", *lines[1:]])
    settings = Settings(pack=str(PACK), schema=str(FORM), as_of=AS_OF)
    runs = []
    for name, text in (("before", original), ("after", shifted)):
        (tmp_path / name / "intake").mkdir(parents=True)
        (tmp_path / name / "intake" / "cv-ranking.yaml").write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path / name)
        runs.append(sarif_run(check(["intake/cv-ranking.yaml"], settings))["results"])
    before, after = runs
    assert len(before) == len(after) > 3

    def line(result: dict[str, Any]) -> int:
        line: int = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        return line

    moved = 0
    for old, new in zip(before, after, strict=True):
        assert old["ruleId"] == new["ruleId"]
        if line(old) > 1:  # line 1 is "the whole file"
            assert line(new) == line(old) + 1
            moved += 1
        assert new["partialFingerprints"] == old["partialFingerprints"]
    assert moved >= 3


# --- JUnit ----------------------------------------------------------------------------


def test_junit_one_testcase_per_rule_and_use_case(examples: Report) -> None:
    root = ET.fromstring(junit.render(examples))
    assert root.tag == "testsuites"
    assert root.get("name") == "aipolicy"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [d.file for d in examples.decisions]
    total = failures = 0
    for suite, d in zip(suites, examples.decisions, strict=True):
        cases = suite.findall("testcase")
        keys = [(c.get("classname"), c.get("name")) for c in cases]
        assert len(keys) == len(set(keys))
        expected = {f.rule for f in d.findings} or {"status"}
        assert {k[0] for k in keys} == {f"aipolicy-starter.{r}" for r in expected}
        assert {k[1] for k in keys} == {d.use_case_id}
        for case in cases:
            rule = (case.get("classname") or "").split(".", 1)[1]
            pair = [f for f in d.findings if f.rule == rule]
            blocking = [f for f in pair if f.blocking and not f.waived]
            failure = case.find("failure")
            assert (failure is not None) == bool(blocking), (d.file, rule)
            if failure is not None:
                assert failure.get("type") in ("critical", "high", "medium", "low", "info")
                assert failure.text is not None
                for f in pair:  # every finding of the pair is in the text, with its fix
                    assert f.message in failure.text
                    for line in f.remediation.split("\n"):  # lines to paste stay lines
                        assert line in failure.text
            elif pair:
                out = case.find("system-out")
                assert out is not None
                assert pair[0].message in (out.text or "")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases))
        total += len(cases)
        failures += int(suite.get("failures") or 0)
    assert root.get("tests") == str(total)
    assert root.get("failures") == str(failures)
    several = next(s for s in suites if s.get("name", "").endswith("cv-ranking.yaml"))
    aip003 = [c for c in several if c.get("classname") == "aipolicy-starter.AIP003"]
    assert len(aip003) == 1  # several AIP003 controls, one testcase


def test_junit_exact_output_for_a_tiny_report() -> None:
    assert junit.render(tiny_report()) == """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="aipolicy" tests="5" failures="1" errors="1" skipped="1">
  <testsuite name="intake/a.yaml" tests="3" failures="1" errors="0" skipped="1">
    <testcase classname="demo.R-ONE" name="UC-1" file="intake/a.yaml">
      <failure message="Too risky." type="high">intake/a.yaml:3: [high, blocking] Too risky.
  what to do: Reduce it.
intake/a.yaml:4: [medium, advisory] Also this.</failure>
    </testcase>
    <testcase classname="demo.R-THREE" name="UC-1" file="intake/a.yaml">
      <skipped message="waived W-1 by Ann: accepted" />
      <system-out>intake/a.yaml:7: [critical, blocking, waived W-1 by Ann: accepted] \
Not allowed.</system-out>
    </testcase>
    <testcase classname="demo.R-TWO" name="UC-1" file="intake/a.yaml">
      <system-out>intake/a.yaml: [low, advisory] Consider that.
  what to do: Think.</system-out>
    </testcase>
  </testsuite>
  <testsuite name="b.yaml" tests="1" failures="0" errors="1" skipped="0">
    <testcase classname="demo.AIP001" name="b.yaml" file="b.yaml">
      <error message="not valid YAML" type="high">b.yaml:2: [high, blocking] not valid YAML
  what to do: Fix the file.</error>
    </testcase>
  </testsuite>
  <testsuite name="c.yaml" tests="1" failures="0" errors="0" skipped="0">
    <testcase classname="demo.status" name="UC-3" file="c.yaml" />
  </testsuite>
</testsuites>
"""


def test_junit_without_a_pack_and_with_unsafe_text() -> None:
    report = with_finding(tiny_report(), message="bad \x00 byte & <tag>\nnext")
    report = dataclasses.replace(report, pack=None)
    root = ET.fromstring(junit.render(report))  # still well-formed XML
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("classname") == "aipolicy.R-ONE"
    failure = case.find("failure")
    assert failure is not None
    # the line break is shown as an escape too, as in every text format (issue 10 #6)
    assert failure.get("message") == "bad \\x00 byte & <tag>\\nnext"


# --- GitHub annotations ---------------------------------------------------------------


def test_github_exact_output_for_a_tiny_report() -> None:
    assert github.render(tiny_report()) == """\
::notice::3 submissions: 1 pass, 1 fail, 0 incomplete, 1 error; 5 findings (2 blocking); \
see the job summary for all findings
::error file=intake/a.yaml,line=3,col=5,title=R-ONE::Too risky. (what to do: Reduce it.)
::error file=b.yaml,line=2,col=1,title=AIP001::not valid YAML (what to do: Fix the file.)
::warning file=intake/a.yaml,line=4,title=R-ONE::Also this.
::warning file=intake/a.yaml,title=R-TWO::Consider that. (what to do: Think.)
::notice file=intake/a.yaml,line=7,col=1,title=R-THREE::Not allowed. [waived W-1 by Ann: accepted]
"""


def test_github_escaping() -> None:
    report = with_finding(tiny_report(), message="100% sure, see: a\r\nb", remediation="")
    first = report.decisions[0]
    report = dataclasses.replace(
        report, decisions=(dataclasses.replace(first, file="./in,take:x/a.yaml"),
                           *report.decisions[1:]))
    line = github.render(report).splitlines()[1]
    # CR and LF of a message are shown as escapes (reporters._text.clean) before the
    # workflow-command escaping, so that no report line ever holds a raw line break
    assert line == ("::error file=in%2Ctake%3Ax/a.yaml,line=3,col=5,title=R-ONE"
                    "::100%25 sure, see: a\\r\\nb")
    assert github.escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    assert github.escape_data("a:b,c%d\r\n") == "a:b,c%25d%0D%0A"


def test_github_one_annotation_per_finding_errors_first(examples: Report) -> None:
    lines = github.render(examples).splitlines()
    findings = [(d, f) for d in examples.decisions for f in d.findings]
    assert len(lines) == len(findings) + 1
    assert lines[0].startswith("::notice::12 submissions: ")
    assert lines[0].endswith("see the job summary for all findings")
    commands = [line.split(" ", 1)[0] for line in lines[1:]]
    rank = {"::error": 0, "::warning": 1, "::notice": 2}
    assert [rank[c] for c in commands] == sorted(rank[c] for c in commands)
    expected: dict[str, int] = {}
    for _, f in findings:
        kind = github.command(f)
        expected[f"::{kind}"] = expected.get(f"::{kind}", 0) + 1
        assert kind == ("notice" if f.waived else "error" if f.blocking
                        else "notice" if f.severity == "info" else "warning")
    assert {c: commands.count(c) for c in set(commands)} == expected
    for d, f in findings:
        assert any(line.startswith(f"::{github.command(f)} file={d.file},")
                   and f"title={f.rule}::" in line for line in lines)


def test_github_summary_is_the_markdown_report(examples: Report) -> None:
    text = github.summary(examples)
    assert text == markdown.render(examples)
    assert text.startswith("## ❌ aipolicy — 12 submissions")
    assert "| File | Use case | Status | Tier | EU category | Findings |" in text


# --- Markdown -------------------------------------------------------------------------


def test_markdown_lists_every_submission(examples: Report) -> None:
    text = markdown.render(examples)
    for d in examples.decisions:
        assert d.use_case_id is not None
        # Markdown syntax characters are backslash-escaped (deliberately, issue 10 #6)
        uc = d.use_case_id.replace("-", "\\-")
        assert f"| `{d.file}` | {uc} |" in text
        assert f"### {markdown.STATUS_ICONS[d.status]} {uc} · `{d.file}`" in text
    assert "- **EU AI Act:** category high\\_risk; Annex III: 4a;" in text
    assert ("- **Approval path:** Use\\-case owner → AI governance lead → Data protection "
            "officer → AI risk committee → Executive sponsor") in text
    assert "- ❌ **PROH\\-5F** (line 33): Inferring the emotions" in text


def test_markdown_tiny_report_escapes_and_orders() -> None:
    report = with_finding(tiny_report(), message="a | b <script>\nsecond line")
    text = markdown.render(report)
    assert text.startswith("## ❌ aipolicy — 3 submissions: 1 pass, 1 fail, 0 incomplete, "
                           "1 error\n")
    # every Markdown syntax character escaped, a line break shown as an escape (issue 10 #6)
    assert "| CTRL\\-X | Check \\| verify | missing | R\\-ONE | ✗ |" in text
    assert ("- ❌ **R\\-ONE** (line 3): a \\| b &lt;script&gt;\\\\nsecond line — *what to do*: "
            "Reduce it\\.") in text
    assert "- **Approval path:** Owner → Chief risk officer" in text
    section = text.split("### ❌ UC\\-1", 1)[1].split("###", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ") and "**R" in line]
    assert [i.split("**")[1] for i in items] == ["R\\-ONE", "R\\-ONE", "R\\-TWO", "R\\-THREE"]
    assert "(line 7, waived W\\-1 by Ann: accepted)" in items[-1]
    assert "### ✅ UC\\-3 · `c.yaml`" in text
    assert "### ⛔ `b.yaml`" in text
    ok = dataclasses.replace(report, decisions=report.decisions[2:])
    assert markdown.render(ok).startswith("## ✅ aipolicy — 1 submission: 1 pass,")


def test_markdown_table_cells_escape_pipes() -> None:
    # a line break is shown as an escape, not joined into the line (reporters._text.clean)
    assert markdown.cell("a|b\nc") == "a\\|b\\\\nc"
    table = markdown.table(["x"], [["p|q"]])
    assert table.splitlines()[-1] == "| p\\|q |"


def test_github_format_appends_the_summary_when_run_in_actions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.paths import run_cli

    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    r = run_cli("check", str(ROOT / "tests" / "data" / "run"), "-f", "github",
                "--as-of", "2026-11-22")
    assert r.exit_code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n")
    assert "no-owner.yaml" in text
    assert "Business owner is missing" in text


def test_json_is_the_report_with_one_line_per_result(examples: Report) -> None:
    from aipolicy.reporters import json_
    from aipolicy.serialize import report_dict

    text = json_.render(examples)
    assert json.loads(text) == json.loads(json.dumps(report_dict(examples)))
    lines = text.splitlines()
    start = lines.index('  "results": [')
    results = lines[start + 1: start + 1 + len(examples.decisions)]
    assert [json.loads(line.rstrip(","))["file"] for line in results] == [
        d.file for d in examples.decisions]
    assert lines[start + 1 + len(examples.decisions)] == "  ],"


def test_json_without_results() -> None:
    from aipolicy.reporters import json_

    empty = dataclasses.replace(tiny_report(), decisions=())
    assert json.loads(json_.render(empty))["results"] == []
    assert '  "results": [],\n' in json_.render(empty)


def test_the_vendored_sarif_schema_is_the_official_one() -> None:
    if not SHARED_SARIF_SCHEMA.is_file():
        pytest.skip("../shared/schemas is not beside the repository")
    assert SARIF_SCHEMA.read_bytes() == SHARED_SARIF_SCHEMA.read_bytes()


def test_json_shows_the_json_the_workers_made(examples: Report) -> None:
    """check(as_json=True) makes each decision's JSON where it was decided; the report must
    be byte-identical to rendering everything at the end."""
    from aipolicy.reporters import FROM_JSON, json_
    from aipolicy.serialize import JsonDecision, as_json

    assert "json" in FROM_JSON
    joined = dataclasses.replace(
        examples, decisions=tuple(as_json(d) for d in examples.decisions))
    assert json_.render(joined) == json_.render(examples)
    marked = dataclasses.replace(examples, decisions=tuple(
        JsonDecision.from_json("{}", d.file, d.use_case_id, d.status, d.tier)
        for d in examples.decisions))
    assert json.loads(json_.render(marked))["results"] == [{}] * len(examples.decisions)
    assert "table" not in FROM_JSON


def test_a_run_asked_for_json_has_whole_decisions(monkeypatch: pytest.MonkeyPatch,
                                                  examples: Report) -> None:
    from aipolicy.reporters import json_
    from aipolicy.serialize import JsonDecision

    monkeypatch.chdir(ROOT)
    report = check(["intake/examples"], Settings(as_of=AS_OF), as_json=True)
    assert all(isinstance(d, JsonDecision) for d in report.decisions)
    assert not any(isinstance(d, JsonDecision) for d in examples.decisions)
    assert report.summary() == examples.summary()
    # no hollow decision: each is the whole decision, read from its JSON when asked
    assert report.decisions == examples.decisions
    assert [(d.file, d.use_case_id, d.status, d.tier) for d in report.decisions] == [
        (d.file, d.use_case_id, d.status, d.tier) for d in examples.decisions]
    assert json_.render(report) == json_.render(examples)
