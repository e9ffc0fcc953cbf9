"""``--format junit``: JUnit XML for CI test-report views (GitLab, Jenkins, Azure DevOps).

One ``<testsuite>`` per submission file.  One ``<testcase>`` per (rule, use case) pair
found in the findings, ``classname="<pack>.<rule>"`` and ``name=<use case id>`` (the file
when it has none), so a test's identity never depends on message text or line numbers
and GitLab's deduplication on (classname, name) loses nothing.  Every finding of the pair
(several AIP003 controls, say) is listed in the element text, which is what GitLab shows.

* an unwaived blocking finding        -> ``<failure type="<severity>">``
  (``<error>`` instead when the file could not be read: status ``error``)
* only waived blocking findings       -> ``<skipped message="waived ...">``
* only advisory findings              -> a passing test with the details in ``<system-out>``
* a submission without findings       -> one passing test, ``classname="<pack>.status"``

Every value is cleaned and shortened (:mod:`._text`): no character XML 1.0 cannot hold
(control characters, lone surrogates, U+FFFE/U+FFFF) reaches the document, and no line of
a finding's text starts with anything but aipolicy's own words or a file name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aipolicy.decision import SEVERITIES, Decision, Finding, Report

from ._text import MAX_ID, clean, path, show, show_lines
from .markdown import ordered, waiver_text
from .table import review_parts, signoff_parts


def detail(d: Decision, f: Finding) -> str:
    """``file:line: [severity, blocking] message`` and what to do, for one finding."""
    file = path(f.file or d.file)  # a finding in a waiver or approvals file names it
    where = file if f.line is None else f"{file}:{f.line}"
    flags = [show(f.severity, MAX_ID), "blocking" if f.blocking else "advisory"]
    if f.waived:
        flags.append(show(waiver_text(f.waiver)))
    text = f"{where}: [{', '.join(flags)}] {show(f.message)}"
    if f.remediation:
        text += f"\n  what to do: {show_lines(f.remediation, chr(10) + ' ' * 4)}"
    return text


def _most_severe(findings: list[Finding]) -> str:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return min((f.severity for f in findings), key=lambda s: order.get(s, len(order)))


def _testcase(d: Decision, classname: str, findings: list[Finding]) -> ET.Element:
    name = show(d.use_case_id, MAX_ID) if d.use_case_id else path(d.file)
    case = ET.Element("testcase", {"classname": classname, "name": name,
                                   "file": clean(d.file)})
    if not findings:
        return case
    text = "\n".join(detail(d, f) for f in ordered(findings))
    failing = [f for f in findings if f.blocking and not f.waived]
    waived = [f for f in findings if f.blocking and f.waived]
    if failing:
        message = show(failing[0].message)
        if len(failing) > 1:
            message += f" (and {len(failing) - 1} more)"
        tag = "error" if d.status == "error" else "failure"
        child = ET.SubElement(case, tag, {"message": message,
                                          "type": show(_most_severe(failing), MAX_ID)})
        child.text = text
    elif waived:
        ET.SubElement(case, "skipped", {"message": show(waiver_text(waived[0].waiver))})
        ET.SubElement(case, "system-out").text = text
    else:
        ET.SubElement(case, "system-out").text = text
    return case


def _count(cases: list[ET.Element]) -> dict[str, str]:
    def n(tag: str) -> str:
        return str(sum(1 for c in cases if c.find(tag) is not None))

    return {"tests": str(len(cases)), "failures": n("failure"), "errors": n("error"),
            "skipped": n("skipped")}


def _review_case(d: Decision, pack: str) -> ET.Element:
    """``check --strict``: a result that needs legal review is a failing test of its own."""
    name = show(d.use_case_id, MAX_ID) if d.use_case_id else path(d.file)
    case = ET.Element("testcase", {"classname": f"{pack}.legal-review", "name": name,
                                   "file": clean(d.file)})
    child = ET.SubElement(case, "failure", {"message": "needs legal review (--strict)",
                                            "type": "review"})
    child.text = "\n".join(review_parts(d))
    return case


def _suite(d: Decision, pack: str, strict: bool = False) -> ET.Element:
    pairs: dict[str, list[Finding]] = {}
    for f in d.findings:
        pairs.setdefault(f.rule, []).append(f)
    if pairs:
        cases = [_testcase(d, f"{pack}.{show(rule, MAX_ID)}", pairs[rule])
                 for rule in sorted(pairs)]
    else:
        cases = [_testcase(d, f"{pack}.status", [])]
    if strict and d.needs_review:
        cases.append(_review_case(d, pack))
    suite = ET.Element("testsuite", {"name": clean(d.file), **_count(cases)})
    suite.extend(cases)
    out = []
    if d.signoffs:  # where each role's sign-off stands, beside the cases
        out.append("sign-offs:\n" + "\n".join(f"  {p}" for p in signoff_parts(d)))
    if d.needs_review:  # the open legal questions
        out.append("needs legal review:\n" + "\n".join(f"  {p}" for p in review_parts(d)))
    if out:
        ET.SubElement(suite, "system-out").text = "\n".join(out)
    return suite


def render(report: Report) -> str:
    pack = show((report.pack or {}).get("name") or "aipolicy", MAX_ID)
    suites = [_suite(d, pack, report.strict)
              for d in (*report.decisions, *report.file_decisions())]
    cases = [c for s in suites for c in s.iter("testcase")]
    root = ET.Element("testsuites", {"name": "aipolicy", **_count(cases)})
    root.extend(suites)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
