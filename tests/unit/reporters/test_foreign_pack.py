"""A second organisation's pack and form, with other names everywhere: other facts and
headline, another identity, stage and controls field. Every format shows them; none
shows anything of the starter pack."""

from __future__ import annotations

import copy
import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from aipolicy.commands.report import build_report
from aipolicy.decision import Report
from aipolicy.engine.evaluate import evaluate
from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.reporters import REPORTERS, get_reporter, markdown
from aipolicy.sources.documents import parse_document
from helpers.minipack import FORM, HEADER, intake, mini_pack, rule

AS_OF = dt.date(2026, 11, 22)


def foreign_form() -> Form:
    form: dict[str, Any] = copy.deepcopy(FORM)
    props = form["properties"]
    props["ref"] = props.pop("use_case_id")
    props["phase"] = {"type": "string", "title": "Phase", "description": "Where it is.",
                      "enum": ["draft", "trial", "live"]}
    del props["deployment_stage"]
    props["evidence"] = props.pop("controls")
    form["required"] = ["ref", "owner", "phase", "purposes"]
    del form["allOf"]
    form["x-aipolicy"] = {"identity": "ref", "stage": "phase", "controls": "evidence"}
    return load_form(parse_document(json.dumps(form, indent=1), "form.json"))


def foreign_pack(form: Form) -> CompiledPack:
    header = copy.deepcopy(HEADER)
    header["scales"] = {"tier": ["low", "elevated", "high", "prohibited"],
                        "band": ["green", "amber", "red"]}
    header["facts"] = {"tier": {"scale": "tier", "default": "low"},
                       "risk.band": {"scale": "band", "default": "green"},
                       "risk.flags": {"labels": ["hiring", "fraud"]}}
    header["control_gates"] = {"live": {"accept": ["done"]}}
    header["headlines"] = [{"title": "Risk", "column": "Risk band",
                            "facts": [{"fact": "risk.band", "label": "band"},
                                      {"fact": "risk.flags", "label": "flags:"}]}]
    header["waivers"] = {"not_waivable": []}
    rules = [rule("HIRING", {"field": "purposes", "contains": "recruitment_screening"},
                  add={"risk.flags": ["hiring"]}, raise_={"risk.band": "red", "tier": "high"},
                  require_controls=["CTRL-A"], enforcement="blocking")]
    return mini_pack(rules, header=header, form=form)


INTAKE = """\
ref: HR-0042
owner: {name: Jane Doe, email: jane@example.com}
phase: live
purposes: [recruitment_screening]
evidence:
  - {id: CTRL-B, status: done}
"""


@pytest.fixture(scope="module")
def report() -> Report:
    form = foreign_form()
    pack = foreign_pack(form)
    decision = evaluate(pack, intake(INTAKE, "intake/hr.yaml"),
                        params=pack.resolve_params({}), as_of=AS_OF)
    return build_report([decision], AS_OF, {}, pack, form)


def test_the_decision_reads_the_fields_the_form_names(report: Report) -> None:
    (d,) = report.decisions
    assert d.use_case_id == "HR-0042"
    assert d.facts == {"risk": {"band": "red", "flags": ["hiring"]}}
    assert [(c.id, c.status, c.satisfied) for c in d.controls] == [("CTRL-A", "missing",
                                                                     False)]
    (missing,) = [f for f in d.findings if f.rule == "AIP003"]
    assert missing.path == "evidence"
    assert missing.line == 5
    assert "not listed under evidence; at stage live" in missing.message
    assert "evidence:\n  - {id: CTRL-A" in missing.remediation


def test_every_format_renders_and_none_names_the_starter_pack(report: Report) -> None:
    for fmt in REPORTERS:
        text = get_reporter(fmt)(report)
        assert "EU" not in text, fmt
        assert "eu_ai_act" not in text, fmt
        assert "intake/hr.yaml" in text, fmt


def test_table_shows_the_headline_column(report: Report) -> None:
    lines = get_reporter("table")(report).splitlines()
    assert lines[0].split() == ["file", "use", "case", "status", "tier", "Risk", "band",
                                "findings"]
    assert lines[2].split()[:5] == ["intake/hr.yaml", "HR-0042", "fail", "high", "red"]


def test_markdown_shows_the_headline_column_and_line(report: Report) -> None:
    text = markdown.render(report)
    assert "| File | Use case | Status | Tier | Risk band | Findings |" in text
    assert "| `intake/hr.yaml` | HR\\-0042 | ❌ fail | high | red |" in text
    assert "- **Risk:** band red; flags: hiring" in text
    assert "### ❌ HR\\-0042 · `intake/hr.yaml`" in text


def test_json_sarif_junit_and_github_carry_the_identity(report: Report) -> None:
    result = json.loads(get_reporter("json")(report))["results"][0]
    assert result["use_case_id"] == "HR-0042"
    assert result["facts"] == {"risk": {"band": "red", "flags": ["hiring"]}}
    run = json.loads(get_reporter("sarif")(report))["runs"][0]
    assert {r["properties"]["useCaseId"] for r in run["results"]} == {"HR-0042"}
    assert {r["properties"].get("path") for r in run["results"]} >= {"evidence"}
    root = ET.fromstring(get_reporter("junit")(report))
    assert {case.get("name") for case in root.iter("testcase")} == {"HR-0042"}
    github = get_reporter("github")(report).splitlines()
    assert any(line.startswith("::error file=intake/hr.yaml,line=5,") and "AIP003" in line
               for line in github)


def test_a_report_without_headlines_has_no_headline_column() -> None:
    form = foreign_form()
    pack = foreign_pack(form)
    decision = evaluate(pack, intake(INTAKE, "intake/hr.yaml"),
                        params=pack.resolve_params({}), as_of=AS_OF)
    bare = build_report([decision], AS_OF, {}, None, form)
    assert bare.headlines == ()
    assert "Risk" not in get_reporter("table")(bare)
    assert "| File | Use case | Status | Tier | Findings |" in markdown.render(bare)
