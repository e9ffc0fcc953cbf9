"""``--format sarif``: SARIF 2.1.0 that GitHub code scanning accepts.

One run; ``tool.driver.rules`` lists only the rules that have results, sorted by id.
Rule texts come from the report's rule info (:func:`rule_info`), falling back to
:data:`~aipolicy.decision.ENGINE_RULES` and to the findings themselves.

Levels (``result.level``; a rule's ``defaultConfiguration.level`` uses its enforcement
and severity the same way):

* blocking finding, any severity  -> ``error``
* advisory finding, severity info -> ``note``
* any other advisory finding      -> ``warning``

A waived finding keeps its level and carries ``suppressions`` (kind ``external``, the
waiver's justification), so code scanning shows it as suppressed rather than dropping it.

Every result has ``region.startLine`` (1 when the finding has no line: the whole file).
``partialFingerprints["aipolicy/v1"]`` hashes the file, rule, control, field path and
message (with any "line N" in the message blanked), never the finding's line, so an
edit elsewhere in the file does not close and reopen the alert.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any
from urllib.parse import quote

from aipolicy.decision import ENGINE_RULES, Decision, Finding, Report
from aipolicy.info import Citation

from ._text import MAX_ID, json_safe, repo_path, show, show_lines

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/aipolicy/aipolicy"
FINGERPRINT = "aipolicy/v1"
SRCROOT = "%SRCROOT%"

#: What to do, in general, about each of the engine's own rules (each result is specific).
ENGINE_HELP: dict[str, str] = {
    "AIP001": "Fix the file so that it is one valid YAML (or JSON) document; nothing in it "
              "was evaluated.",
    "AIP002": "Fill in each field the results name, as the intake form describes it.",
    "AIP003": "Record each control the results name under controls:, with the evidence "
              "status the deployment stage needs, the date and a link to the evidence.",
    "AIP004": "Renew the evidence of each control the results name and update its date.",
}

_LINE_REF = re.compile(r"\b(lines?) \d+")


def _citations(items: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [{k: v for k, v in (("framework", c.framework), ("clause", c.clause),
                                ("url", c.url), ("basis", c.basis),
                                ("date", c.date or ("undated" if c.basis else None))) if v}
            for c in items]


def rule_info(report: Report) -> dict[str, dict[str, Any]]:
    """rule id -> {title, description, severity, enforcement, citations, remediation}.

    Whatever the report knows about its rules (``report.rules``), over the engine's own
    rule titles.  Keys may be missing (what is not known is left out): callers fall back
    to the findings.
    """
    info: dict[str, dict[str, Any]] = {
        rid: {"title": title, "description": title} for rid, title in ENGINE_RULES.items()
    }
    for rid, known in report.rules.items():
        fields: dict[str, Any] = {
            "title": known.title, "description": known.description,
            "severity": known.severity, "enforcement": known.enforcement,
            "citations": _citations(known.citations), "remediation": known.remediation}
        info[rid] = {**info.get(rid, {}), **{k: v for k, v in fields.items() if v}}
    return info


def artifact_uri(file: str, sep: str = os.sep) -> str:
    """The file as given, with ``/`` separators and no leading ``./``, URI-escaped.

    A byte of the name that was not UTF-8 is percent-encoded as itself (``%FF``).
    """
    return quote(repo_path(file, sep), safe="/-._~!$&'()*+,;=@", errors="surrogateescape")


def artifact_location(file: str, sep: str = os.sep) -> dict[str, str]:
    """A relative file against ``%SRCROOT%``; an absolute one as a ``file://`` URI of its
    own (``%SRCROOT%`` would put it under the checkout)."""
    slashed = repo_path(file, sep)
    if slashed.startswith("/"):
        return {"uri": "file://" + artifact_uri(slashed, "/")}
    if sep == "\\" and re.match(r"[A-Za-z]:/", slashed):  # C:\... on Windows
        return {"uri": f"file:///{slashed[:2]}{artifact_uri(slashed[2:], '/')}"}
    return {"uri": artifact_uri(file, sep), "uriBaseId": SRCROOT}


def level(f: Finding) -> str:
    if f.blocking:
        return "error"
    return "note" if f.severity == "info" else "warning"


def fingerprint(file: str, f: Finding) -> str:
    message = _LINE_REF.sub(r"\1 N", f.message)
    key = json.dumps([artifact_uri(file), f.rule, f.control or "", f.path or "", message],
                     ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _camel(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def _basis(c: dict[str, str]) -> str:
    """`` (binding, 2024-07-12)``: what the cited text is and its date, when known."""
    return f" ({c['basis']}, {c.get('date', 'undated')})" if c.get("basis") else ""


def _citation_text(c: dict[str, str]) -> str:
    name = ", ".join(v for v in (c.get("framework"), c.get("clause")) if v) + _basis(c)
    return f"{name}: {c['url']}" if c.get("url") else name


def _citation_markdown(c: dict[str, str]) -> str:
    clause = c.get("clause", "")
    if c.get("url"):
        clause = f"[{clause or c['url']}]({c['url']})"
    return ", ".join(v for v in (c.get("framework"), clause) if v) + _basis(c)


def _rule(rule_id: str, meta: dict[str, Any], findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]  # the findings' texts stand in for missing metadata: shortened
    title = str(meta.get("title") or show(first.title) or rule_id)
    description = str(meta.get("description") or title)
    remediation = str(meta.get("remediation") or ENGINE_HELP.get(rule_id, ""))
    if not remediation:
        fixes = {f.remediation for f in findings if f.remediation}
        remediation = show(fixes.pop()) if len(fixes) == 1 else "Each result says what to do."
    severity = str(meta.get("severity") or first.severity)
    enforcement = meta.get("enforcement")
    blocking = enforcement == "blocking" if enforcement else first.blocking
    citations: list[dict[str, str]] = meta.get("citations") or []

    text = [description, f"What to do: {remediation}"]
    markdown = [description, f"**What to do:** {remediation}"]
    if citations:
        text.append("Sources:\n" + "\n".join(f"- {_citation_text(c)}" for c in citations))
        markdown.append("**Sources**\n\n"
                        + "\n".join(f"- {_citation_markdown(c)}" for c in citations))
    tags = ["ai-governance", severity]
    for c in citations:
        framework = c.get("framework")
        if framework and framework not in tags:
            tags.append(framework)
    rule: dict[str, Any] = {"id": rule_id}
    name = _camel(rule_id)
    if name != rule_id:  # a name that only repeats the id says nothing
        rule["name"] = name
    return {
        **rule,
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)},
        "defaultConfiguration": {
            "level": "error" if blocking else ("note" if severity == "info" else "warning"),
        },
        "properties": {"tags": tags[:20], "precision": "very-high", "severity": severity},
    }


def _suppression(waiver: dict[str, Any] | None) -> dict[str, Any]:
    waiver = waiver or {}
    out: dict[str, Any] = {  # on every result: shortened, or it would be amplified
        "kind": "external",
        "justification": show(waiver.get("justification") or "waived"),
    }
    extra = {k: show(v) if isinstance(v, str) else v for k, v in waiver.items()
             if k != "justification" and v is not None}
    if extra:
        out["properties"] = extra
    return out


def _result(d: Decision, f: Finding, index: int) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": f.line if f.line is not None and f.line > 0 else 1}
    if f.line is not None and f.column is not None and f.column > 0:
        region["startColumn"] = f.column
    message = show(f.message)
    text = (f"{message} — {show_lines(f.remediation, chr(10))}" if f.remediation
            else message)
    props: dict[str, Any] = {"severity": f.severity, "blocking": f.blocking}
    if d.use_case_id is not None:  # on every result: shortened, or it would be amplified
        props["useCaseId"] = show(d.use_case_id, MAX_ID)
    if f.path is not None:
        props["path"] = f.path
    if f.control is not None:
        props["control"] = f.control
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level(f),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(f.file or d.file),
                "region": region,
            },
        }],
        "partialFingerprints": {FINGERPRINT: fingerprint(f.file or d.file, f)},
        "properties": props,
    }
    if f.waived:
        result["suppressions"] = [_suppression(f.waiver)]
    return result


def _review(report: Report) -> list[dict[str, Any]]:
    out = []
    for d in report.needing_review():
        entry: dict[str, Any] = {"artifactLocation": artifact_location(d.file)}
        if d.use_case_id is not None:
            entry["useCaseId"] = show(d.use_case_id, MAX_ID)
        entry["questions"] = [{"id": q.id, "field": q.field, "title": show(q.title),
                               "why": show(q.why), "article": show(q.article)}
                              for q in (d.review.questions if d.review else ())]
        out.append(entry)
    return out


def sarif_dict(report: Report) -> dict[str, Any]:
    by_rule: dict[str, list[Finding]] = {}
    decisions = (*report.decisions, *report.file_decisions())
    for d in decisions:
        for f in d.findings:
            by_rule.setdefault(f.rule, []).append(f)
    ids = sorted(by_rule)
    index = {rid: i for i, rid in enumerate(ids)}
    meta = rule_info(report)
    rules = [_rule(rid, meta.get(rid, {}), by_rule[rid]) for rid in ids]
    results = [_result(d, f, index[f.rule]) for d in decisions for f in d.findings]
    properties: dict[str, Any] = {"asOf": report.as_of}
    if report.pack is not None:
        properties["pack"] = {k: report.pack[k] for k in ("name", "version", "digest")
                              if k in report.pack}
    if report.form is not None:
        properties["form"] = dict(report.form)
    if report.parameters:
        properties["parameters"] = dict(sorted(report.parameters.items()))
    review = _review(report)
    if review:  # the results that need legal review, with their open questions
        properties["needsLegalReview"] = review
    if report.strict:
        properties["strict"] = True
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aipolicy",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": True}],
            "results": results,
            "properties": properties,
        }],
    }


def render(report: Report) -> str:
    return json_safe(json.dumps(sarif_dict(report), indent=2, ensure_ascii=False,
                                default=str)) + "\n"
