"""``--format json``: the machine-readable contract (SPEC §6), byte-identical across runs."""

from __future__ import annotations

import json
from typing import Any

from aipolicy.decision import Decision, Finding, Report

from ._text import json_safe


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "blocking": f.blocking,
        "message": f.message,
        "remediation": f.remediation,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "title": f.title,
        "waived": f.waived,
        "waiver": f.waiver,
    }
    if f.control is not None:
        out["control"] = f.control
    return out


def decision_dict(d: Decision) -> dict[str, Any]:
    return {
        "file": d.file,
        "use_case_id": d.use_case_id,
        "status": d.status,
        "tier": d.tier,
        "facts": d.facts,
        "controls": [
            {
                "id": c.id,
                "title": c.title,
                "status": c.status,
                "required_by": list(c.required_by),
                "needed": list(c.needed),
                "satisfied": c.satisfied,
            }
            for c in d.controls
        ],
        "approval_path": [
            {"role": s.role, "title": s.title, "required_by": list(s.required_by)}
            for s in d.approval_path
        ],
        "blocked": d.blocked,
        "findings": [finding_dict(f) for f in d.findings],
        "rules_fired": [{"rule": r.rule, "evidence": r.evidence} for r in d.rules_fired],
    }


def report_dict(report: Report, *, results: bool = True) -> dict[str, Any]:
    return {
        "tool": {"name": "aipolicy", "version": report.tool_version},
        "pack": report.pack,
        "form": report.form,
        "as_of": report.as_of,
        "parameters": dict(sorted(report.parameters.items())),
        **({"results": [decision_dict(d) for d in report.decisions]} if results else {}),
        "summary": report.summary(),
    }


def result_line(decision: Decision) -> str:
    """One decision as it appears in the report: one line of compact JSON.

    Values are the data, whole (the JSON report is not padded, so its size stays linear in
    the input's), with :func:`~._text.json_safe` keeping the text valid UTF-8 and inert.
    """
    return json_safe(json.dumps(decision_dict(decision), ensure_ascii=False))


def render(report: Report) -> str:
    """The report, indented, with each submission's result on one line of its own.

    One line per result keeps large reports readable with grep and diff, and lets the
    C encoder write them: indenting everything would take the pure-Python encoder, four
    times slower on a run over thousands of submissions.
    """
    whole = report_dict(report, results=False)
    parts = report.parts if report.parts is not None else [
        result_line(d) for d in report.decisions]
    head = json_safe(json.dumps(whole, indent=2, ensure_ascii=False))
    lines = ",\n".join("    " + line for line in parts)
    body = f'"results": [\n{lines}\n  ]' if parts else '"results": []'
    # put the results back where report_dict has them: before "summary"
    cut = head.rindex('\n  "summary"')
    return f"{head[:cut]}\n  {body},{head[cut:]}\n"
