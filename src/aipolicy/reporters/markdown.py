"""``--format markdown``: a pull-request comment (and the GitHub job summary).

A heading with the overall result and counts, a table of submissions, then one section
per submission: tier, EU AI Act facts, approval path, controls and findings (blocking
first, then advisory, then waived).  Text from submissions and packs is escaped so that it
cannot break a table (``|``, newlines) or open an HTML tag (``<``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aipolicy.decision import Decision, Finding, Report

STATUS_ICONS = {"pass": "✅", "fail": "❌", "incomplete": "⚠️", "error": "⛔"}


def waiver_text(waiver: dict[str, Any] | None) -> str:
    """``waived W-7 by Jane Doe until 2027-01-31: reason`` from whatever the waiver holds."""
    waiver = waiver or {}
    text = "waived"
    if waiver.get("id"):
        text += f" {waiver['id']}"
    if waiver.get("approver"):
        text += f" by {waiver['approver']}"
    if waiver.get("expires"):
        text += f" until {waiver['expires']}"
    if waiver.get("justification"):
        text += f": {waiver['justification']}"
    return text


def text(value: object) -> str:
    """Free text for a list item: no HTML, continuation lines indented into the item."""
    out = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("<", "&lt;")
    return out.replace("\n", "\n  ")


def cell(value: object) -> str:
    """Text for a table cell: one line, ``|`` escaped."""
    return " ".join(str(value).replace("<", "&lt;").split()).replace("|", "\\|")


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def counts(report: Report) -> str:
    s = report.summary()
    n = s["submissions"]
    noun = "submission" if n == 1 else "submissions"
    return (f"{n} {noun}: {s['pass']} pass, {s['fail']} fail, "
            f"{s['incomplete']} incomplete, {s['error']} error")


def _eu(d: Decision) -> dict[str, Any]:
    eu = d.facts.get("eu_ai_act")
    return eu if isinstance(eu, dict) else {}


def _labels(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return "none" if value in (None, "") else str(value)


def _category(d: Decision) -> str:
    eu = _eu(d)
    return str(eu.get("category") or eu.get("scope") or "-")


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Unwaived blocking findings first, then advisory ones, then waived ones."""
    def rank(f: Finding) -> int:
        return 2 if f.waived else (0 if f.blocking else 1)

    return sorted(findings, key=rank)


def finding_item(f: Finding) -> str:
    if f.waived:
        icon = "➖"
    elif f.blocking:
        icon = "❌"
    else:
        icon = "ℹ️" if f.severity == "info" else "⚠️"
    notes = [] if f.line is None else [f"line {f.line}"]
    if not f.blocking:
        notes.append("advisory")
    if f.waived:
        notes.append(waiver_text(f.waiver))
    where = f" ({text(', '.join(notes))})" if notes else ""
    item = f"- {icon} **{text(f.rule)}**{where}: {text(f.message)}"
    if f.remediation:
        item += f" — *what to do*: {text(f.remediation)}"
    return item


def _summary_row(d: Decision) -> list[str]:
    blocking = len(d.blocking_findings)
    found = str(len(d.findings)) + (f" ({blocking} blocking)" if blocking else "")
    return [f"`{d.file}`", d.use_case_id or "-",
            f"{STATUS_ICONS.get(d.status, '')} {d.status}".strip(), d.tier or "-",
            _category(d), found]


def section(d: Decision) -> str:
    name = f"{text(d.use_case_id)} · " if d.use_case_id else ""
    parts = [f"### {STATUS_ICONS.get(d.status, '•')} {name}`{d.file}`"]
    facts = [f"- **Status:** {d.status}", f"- **Tier:** {d.tier or '-'}"]
    eu = _eu(d)
    if eu:
        eu_parts = [f"category {_category(d)}", f"Annex III: {_labels(eu.get('annex_iii'))}"]
        if eu.get("annex_i"):
            eu_parts.append(f"Annex I: {_labels(eu.get('annex_i'))}")
        eu_parts += [f"transparency duties: {_labels(eu.get('transparency'))}",
                     f"GPAI: {_labels(eu.get('gpai'))}"]
        facts.append(f"- **EU AI Act:** {text('; '.join(eu_parts))}")
    if d.approval_path:
        path = " → ".join(step.title or step.role for step in d.approval_path)
        facts.append(f"- **Approval path:** {text(path)}")
    elif d.blocked:
        facts.append("- **Approval path:** none: the use case is blocked")
    parts.append("\n".join(facts))
    if d.controls:
        rows = [[c.id, c.title, c.status, ", ".join(c.required_by), "✓" if c.satisfied else "✗"]
                for c in d.controls]
        parts.append(table(["Control", "Title", "Status", "Required by", "OK"], rows))
    if d.findings:
        parts.append("\n".join(finding_item(f) for f in ordered(d.findings)))
    else:
        parts.append("No findings.")
    return "\n\n".join(parts)


def render(report: Report) -> str:
    icon = "✅" if report.ok else "❌"
    parts = [f"## {icon} aipolicy — {counts(report)}"]
    about = [f"as of {report.as_of}", f"aipolicy {report.tool_version}"]
    if report.pack is not None:
        about.insert(0, f"Pack {report.pack.get('name', '?')} {report.pack.get('version', '')}"
                     .strip())
    parts.append(text(" · ".join(about)))
    headers = ["File", "Use case", "Status", "Tier", "EU category", "Findings"]
    parts.append(table(headers, [_summary_row(d) for d in report.decisions]))
    parts += [section(d) for d in report.decisions]
    return "\n\n".join(parts) + "\n"
