"""Issue 10, the reporters: hostile text stays inert and small in every format.

#5 (displayed values are bounded), #6 (no output injection), #13 (a file name that is not
UTF-8), #18 (Markdown: the EU category as in JSON; GitHub's size limits), #19 (SARIF).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from aipolicy.decision import Decision, Finding, Report
from aipolicy.reporters import REPORTERS, get_reporter, github, json_, markdown, sarif, table
from aipolicy.reporters._text import MAX_ID, MAX_PATH, MAX_TEXT, clean, json_safe, path, show
from helpers.paths import AS_OF, EXAMPLES, ROOT, run_cli

HOSTILE = ROOT / "tests" / "hostile" / "injection-free-text.yaml"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
FORMATS = sorted(REPORTERS)
#: Any character that must never reach a text report raw (a line feed ends a line only
#: where the reporter puts one, so it is checked apart).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff\ufffe\uffff]")
ANNOTATION = re.compile(r"::(error|warning|notice)( [^:]*)?::")
#: Markdown the submitter's text tries to forge, looked for in the text that is neither
#: backslash-escaped nor in a code span.
FORGED_MARKDOWN = [re.compile(p) for p in (
    r"!\[", r"\]\(",  # an image, a link
    r"@everyone", r"@here",  # a mention (aipolicy puts a zero-width space after each @)
    r"https?://", r"www\.", r"<script", r"<img",  # a bare link, HTML
)]
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _report(*decisions: Decision) -> Report:
    return Report(decisions=decisions, tool_version="9.9.9", as_of="2026-11-22",
                  parameters={}, pack={"name": "demo", "version": "1", "digest": "sha256:0"},
                  form=None)


def _hostile_inputs(tmp: Path) -> list[Path]:
    """The hostile intake, a variant whose use-case id is valid, and a copy whose file name
    is itself hostile (a line break, a workflow command, backticks, a mention)."""
    valid = tmp / "valid-id.yaml"
    text = HOSTILE.read_text(encoding="utf-8")
    valid.write_text(re.sub(r'(?m)^use_case_id: ".*"$', "use_case_id: CS-0107", text),
                     encoding="utf-8")
    named = tmp / "x\n::error::forged `` ` `` @here #h [l](http:evil) \x1b[2J.yaml"
    named.write_text(text, encoding="utf-8")
    return [HOSTILE, valid, named]


def _assert_inert(fmt: str, out: str, findings: int) -> None:
    assert RAW_CONTROL.search(out) is None, repr(RAW_CONTROL.search(out))
    lines = out.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    if fmt == "github":
        assert commands == lines  # every line an annotation, one per finding and a notice
        assert len(lines) == findings + 1
        assert all(ANNOTATION.match(line) for line in lines), lines
        assert not any("::add-mask::" in line.split("::", 2)[1] for line in lines)
    else:
        assert commands == [], commands
    if fmt == "json" or fmt == "sarif":
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out)
    elif fmt == "markdown":
        _assert_inert_markdown(out)


def _prose(line: str) -> str:
    """The line as CommonMark reads it, less its escaped characters and code spans; a
    backtick that opens no code span fails the test (it would swallow what follows)."""
    out: list[str] = []
    i = 0
    while i < len(line):
        if line[i] == "\\" and line[i + 1:i + 2] in _PUNCTUATION:
            i += 2
            continue
        if line[i] == "`":
            n = len(line[i:]) - len(line[i:].lstrip("`"))
            close = re.compile(f"(?<!`){'`' * n}(?!`)").search(line, i + n)
            assert close is not None, f"an unclosed code span: {line!r}"
            i = close.end()
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def _assert_inert_markdown(out: str) -> None:
    for line in out.splitlines():
        prose = _prose(line)
        for pattern in FORGED_MARKDOWN:
            assert pattern.search(prose) is None, (pattern.pattern, line)
    # the heading lines are aipolicy's: the title and one per submission
    for line in out.splitlines():
        if line.startswith("#"):
            assert line.startswith(("## ", "### ")), line


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_over_hostile_free_text_is_inert(fmt: str, tmp_path: Path) -> None:
    inputs = _hostile_inputs(tmp_path)
    findings = json.loads(run_cli("check", *map(str, inputs), "-f", "json", "--as-of",
                                  AS_OF).stdout)
    count = sum(len(r["findings"]) for r in findings["results"])
    assert count >= 3
    assert {r["status"] for r in findings["results"]} >= {"incomplete"}
    r = run_cli("check", *map(str, inputs), "-f", fmt, "--as-of", AS_OF)
    assert r.exit_code == 1, r.stderr
    _assert_inert(fmt, r.stdout, count)


def test_the_job_summary_of_hostile_free_text_is_inert(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    inputs = _hostile_inputs(tmp_path)
    r = run_cli("check", *map(str, inputs), "-f", "github", "--as-of", AS_OF)
    assert r.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert RAW_CONTROL.search(text) is None
    _assert_inert_markdown(text)
    assert "\\#" in text
    assert "![x](" not in text  # form messages quote only 60 characters: no image, escaped
    assert "@everyone" not in text


def test_the_quoted_id_is_shown_escaped_not_dropped(tmp_path: Path) -> None:
    r = run_cli("check", str(HOSTILE), "--as-of", AS_OF)
    assert "CS-0107\\n::error::forged \\r\\n::add-mask::x \\x1b]8;;" in r.stdout
    assert "\\x9b31m \\u2028 \\u202e" in r.stdout


# --- the shared boundary ----------------------------------------------------------------


def test_clean_escapes_every_unsafe_character_visibly() -> None:
    assert clean("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert clean("\x1b[2J\x07\x00\x7f") == "\\x1b[2J\\x07\\x00\\x7f"
    assert clean("\x9b\x85") == "\\x9b\\x85"  # C1: CSI, NEL
    assert clean("\u2028\u2029\u202e\u2066\u2069") == "\\u2028\\u2029\\u202e\\u2066\\u2069"
    assert clean("\ufffe\uffff") == "\\ufffe\\uffff"
    assert clean("caf\udcff.yaml") == "caf\\xff.yaml"  # a byte that was not UTF-8
    assert clean("\ud800") == "\\ud800"  # a lone surrogate of another kind
    assert clean("plain é ✓ 日本") == "plain é ✓ 日本"
    assert clean(42) == "42"


def test_show_bounds_the_length_and_path_is_safe_at_a_line_start() -> None:
    long = "A" * 100 + "B" * 900_000
    shown = show(long, MAX_ID)
    assert len(shown) == MAX_ID
    assert "…" in shown
    assert shown.startswith("A")
    assert shown.endswith("B")
    assert show("short", MAX_ID) == "short"
    assert len(show(long)) == MAX_TEXT
    assert len(path("d/" * 1000 + "x.yaml")) == MAX_PATH
    assert path("::error::x.yaml") == "./::error::x.yaml"
    assert path(" \u3000::x.yaml") == "./ \u3000::x.yaml"
    assert path("/abs/x.yaml") == "/abs/x.yaml"


def test_json_safe_keeps_the_data_and_drops_nothing_but_surrogates() -> None:
    value = {"t": "a\x9bb\u2028c\u202ed\x7f\n\x1b", "f": "caf\udcff"}
    text = json_safe(json.dumps(value, ensure_ascii=False))
    text.encode("utf-8")  # valid UTF-8
    assert RAW_CONTROL.search(text) is None
    back = json.loads(text)
    assert back["t"] == value["t"]
    assert back["f"] == "caf\\xff"


# --- #5 amplification -------------------------------------------------------------------


def test_a_long_id_pads_no_row_and_is_shortened_everywhere() -> None:
    huge = "CS-" + "7" * 900_000
    finding = Finding("AIP002", "high", True, f"Use-case ID: {huge!r} is wrong.", huge,
                      title=huge, waived=True, waiver={"justification": huge})
    decisions = [Decision(file=f"f{i}.yaml", use_case_id=huge, status="fail", tier=huge,
                          facts={"eu_ai_act": {"category": huge}}, findings=(finding,))
                 for i in range(50)]
    report = _report(*decisions)
    for fmt in ("table", "github", "junit", "markdown", "sarif"):
        out = get_reporter(fmt)(report)
        assert len(out) < 50 * 8_000, (fmt, len(out))
    assert len(github.summary(report)) < 1_048_576
    assert huge in json_.render(report)  # the machine format carries the data, once each


def test_five_hundred_long_ids_make_a_small_table_in_bounded_memory(tmp_path: Path) -> None:
    from helpers.hostile import run_measured as _run

    text = (EXAMPLES / "customer-chatbot.yaml").read_text(encoding="utf-8")
    for i in range(500):
        (tmp_path / f"u{i:03}.yaml").write_text(
            text.replace("use_case_id: CS-0107", f"use_case_id: CS-{i}" + "7" * 100_000),
            encoding="utf-8")
    proc, _, rss_kb = _run("check", str(tmp_path), "--as-of", AS_OF, "--jobs", "1")
    assert proc.returncode == 1, proc.stderr[-500:]
    assert len(proc.stdout.encode("utf-8")) < 2 * 1024 * 1024  # was 100 MB
    assert rss_kb < 200 * 1024  # was 500 MB
    assert proc.stdout.count("\n") < 500 * 8


# --- #13 a file name that is not UTF-8 --------------------------------------------------


def test_a_file_name_that_is_not_utf8_renders_in_every_format() -> None:
    finding = Finding("AIP002", "high", True, "Owner is missing.", "Add it.", line=1)
    report = _report(Decision(file="intake/caf\udcff.yaml", use_case_id="UC-1",
                              status="incomplete", tier=None, findings=(finding,)))
    for fmt in FORMATS:
        out = get_reporter(fmt)(report)
        out.encode("utf-8")  # valid UTF-8: no lone surrogate
        assert any(shown in out for shown in ("caf\\xff", "caf\\\\xff", "caf%FF")), fmt
    assert json.loads(json_.render(report))["results"][0]["file"] == "intake/caf\\xff.yaml"
    ET.fromstring(get_reporter("junit")(report))
    uri = sarif_dict(report)["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == "intake/caf%FF.yaml"


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system of bytes")
@pytest.mark.parametrize("fmt", ["json", "junit", "table", "sarif"])
def test_a_file_named_in_latin1_through_the_cli(tmp_path: Path, fmt: str) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.yaml")
    with open(name, "wb") as fh:
        fh.write((EXAMPLES / "customer-chatbot.yaml").read_bytes())
    proc = subprocess.run([sys.executable, "-m", "aipolicy", "check", str(tmp_path), "-f", fmt,
                           "--as-of", AS_OF], capture_output=True, cwd=ROOT, timeout=60,
                          check=False)
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")  # strict: valid UTF-8
    assert any(shown in out for shown in ("caf\\xe9", "caf\\\\xe9", "caf%E9")), out
    if fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out)


# --- the table and annotations ----------------------------------------------------------


def test_no_table_line_starts_a_workflow_command() -> None:
    finding = Finding("R", "high", True, "m\n::error::forged", line=1)
    report = _report(Decision(file="::error::x.yaml", use_case_id="::add-mask::y",
                              status="fail", tier="t", findings=(finding,)))
    out = table.render(report)
    assert [line for line in out.splitlines() if line.lstrip().startswith("::")] == []
    assert "./::error::x.yaml:1: R m\\n::error::forged" in out


def test_a_backslash_is_part_of_a_posix_file_name() -> None:
    finding = Finding("R", "high", True, "m", line=1)
    report = _report(Decision(file="in\\take.yaml", use_case_id=None, status="fail", tier=None,
                              findings=(finding,)))
    if os.sep == "/":
        assert "file=in\\take.yaml," in github.render(report)
        assert sarif.artifact_uri("in\\take.yaml") == "in%5Ctake.yaml"
    assert github.repo_path(".\\in\\take.yaml", "\\") == "in/take.yaml"


# --- #18 Markdown -------------------------------------------------------------------------


def test_markdown_shows_the_category_of_a_gpai_model_as_json_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    r = run_cli("check", "intake/examples/gpai-model-finetune.yaml", "-f", "json",
                "--as-of", AS_OF)
    eu = json.loads(r.stdout)["results"][0]["facts"]["eu_ai_act"]
    assert eu["category"] is None
    assert eu["scope"] == "in_scope"  # Chapter V regulates the model, whoever submits it
    text = run_cli("check", "intake/examples/gpai-model-finetune.yaml", "-f", "markdown",
                   "--as-of", AS_OF).stdout
    assert "out\\_of\\_scope" not in text
    assert "out_of_scope" not in text
    assert "- **EU AI Act:** category \\-;" in text
    row = next(line for line in text.splitlines() if "gpai-model-finetune" in line)
    assert row.split(" | ")[4] == "\\-"


def _many(n: int) -> Report:
    bad = Finding("R-ONE", "high", True, "Too risky " + "x" * 200, "Reduce it.", line=3)
    decisions = []
    for i in range(n):
        failing = i % 5 == 0
        decisions.append(Decision(
            file=f"intake/use-case-{i:05}.yaml", use_case_id=f"UC-{i:05}",
            status="fail" if failing else "pass", tier="high",
            facts={"eu_ai_act": {"category": "high_risk"}},
            findings=(bad, bad) if failing else ()))
    return _report(*decisions)


def test_markdown_stays_within_githubs_limits_with_five_thousand_results() -> None:
    report = _many(5_000)
    comment = markdown.render(report)
    summary = github.summary(report)
    assert len(comment) <= 65_536
    assert len(summary.encode("utf-8")) <= 1_048_576
    for text in (comment, summary):
        rows = [line for line in text.splitlines() if line.startswith("| `intake/")]
        sections = [line for line in text.splitlines() if line.startswith("### ")]
        assert len(rows) == len(sections) > 10
        more = 5_000 - len(rows)
        assert text.rstrip("\n").endswith(
            f"… {more} more submissions not shown; see the full report "
            "(aipolicy check --format json)")
        assert all("❌" in line for line in rows[:len(rows)]) or "<details>" in text
    # failing first: the comment lists only failing ones here (1,000 of them)
    first = [line for line in comment.splitlines() if line.startswith("| `intake/")]
    assert all("fail" in line for line in first)


def test_markdown_folds_passing_submissions_and_lists_all_when_small() -> None:
    report = _many(12)
    text = markdown.render(report)
    head, folded = text.split("<details><summary>✅ 9 passing submissions</summary>", 1)
    assert head.count("| `intake/") == 3
    assert folded.count("| `intake/") == 9
    assert "not shown" not in text
    assert folded.rstrip().endswith("</details>")


def test_one_huge_section_is_cut_not_the_report() -> None:
    many = tuple(Finding("R", "high", True, f"problem {i} " + "y" * 900) for i in range(500))
    report = _report(Decision(file="a.yaml", use_case_id="UC-1", status="fail", tier=None,
                              findings=many),
                     Decision(file="b.yaml", use_case_id="UC-2", status="fail", tier=None,
                              findings=many[:1]))
    text = markdown.render(report)
    assert len(text) <= markdown.COMMENT_BUDGET
    assert "### ❌ UC\\-2 · `b.yaml`" in text
    assert re.search(r"^- … \d+ more findings not shown", text, re.MULTILINE)


def test_code_spans_hold_any_backticks() -> None:
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.code("``x") == "``` ``x ```"
    assert markdown.code("a|b", in_table=True) == "a\\|b"
    assert markdown.md("@everyone # [l](http://e) www.e.com") == (
        "@&#8203;everyone \\# \\[l\\]\\(http:&#8203;//e\\) www&#8203;\\.e\\.com")


# --- #19 SARIF ----------------------------------------------------------------------------


def sarif_dict(report: Report) -> dict[str, Any]:
    run: dict[str, Any] = json.loads(sarif.render(report))["runs"][0]
    return run


def test_sarif_absolute_paths_and_rule_names(tmp_path: Path) -> None:
    import jsonschema

    finding = Finding("Foo", "high", True, "m", line=1)
    other = dataclasses.replace(finding, rule="R-ONE")
    report = _report(Decision(file="/abs/dir/a b.yaml", use_case_id="UC-1", status="fail",
                              tier=None, findings=(finding, other)),
                     Decision(file="./rel/c.yaml", use_case_id="UC-2", status="fail",
                              tier=None, findings=(finding,)))
    run = sarif_dict(report)
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "name" not in rules["Foo"]  # it would only repeat the id
    assert rules["R-ONE"]["name"] == "ROne"
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in run["results"]]
    assert locations[0] == {"uri": "file:///abs/dir/a%20b.yaml"}
    assert locations[2] == {"uri": "rel/c.yaml", "uriBaseId": "%SRCROOT%"}
    assert sarif.artifact_location("C:\\x\\a.yaml", "\\") == {"uri": "file:///C:/x/a.yaml"}
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(sarif.render(report)), schema)


def test_lines_to_paste_stay_lines_and_none_is_a_workflow_command() -> None:
    """A remediation may end with lines to paste (the grouped AIP003); each line is cleaned
    and none may begin, after white space, with ``::``."""
    fix = "Add under controls:\ncontrols:\n  - {id: CTRL-A}\n  ::error::forged\x1b[2J"
    finding = Finding(rule="AIP003", severity="high", blocking=True, message="m",
                      remediation=fix, line=3, column=1)
    decision = Decision(file="a.yaml", use_case_id="X-1", status="fail", tier="high",
                        findings=(finding,))
    report = Report(decisions=(decision,), tool_version="0", as_of=AS_OF, parameters={},
                    pack=None, form=None)
    for fmt in ("table", "junit", "github", "markdown"):
        text = get_reporter(fmt)(report)
        assert "\x1b" not in text, fmt
        for line in text.splitlines():
            assert not line.lstrip().startswith("::error::forged"), (fmt, line)
            if fmt == "github":
                assert not line.startswith("::") or line.startswith(("::error ", "::notice"))
    shown = get_reporter("table")(report)
    assert "\n        - {id: CTRL-A}" in shown  # the snippet keeps its indentation
    assert "\\x3a:error::forged\\x1b[2J" in shown
