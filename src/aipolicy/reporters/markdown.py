"""``--format markdown``: a pull-request comment (and the GitHub job summary).

A heading with the overall result and counts, a table of the submissions that did not
pass, one section per such submission (tier, the pack's headline facts, approval path, controls
and findings: blocking first, then advisory, then waived), then the passing submissions
folded in a ``<details>`` block, their table and sections inside it.

Every value from a submission or a pack is inert text: shortened and cleaned
(:mod:`._text`), then every Markdown-significant character escaped (:func:`md`), ``@``
kept from mentioning anyone and URLs from becoming links; a file name is a code span
whose fence is longer than any run of backticks in it (:func:`code`).

The whole text stays within a budget (:data:`COMMENT_BUDGET` UTF-8 bytes by default,
under GitHub's 65,536 characters for a comment; the job summary passes
:data:`~aipolicy.reporters.github.SUMMARY_BUDGET`): non-passing submissions come first,
each section is cut at :data:`SECTION_BUDGET`, and what does not fit is counted in a
last line that points to the full report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from aipolicy.decision import Decision, Finding, Report
from aipolicy.info import Headline

from . import _headline
from ._text import MAX_ID, MAX_PATH, MAX_TEXT, show

STATUS_ICONS = {"pass": "✅", "fail": "❌", "incomplete": "⚠️", "error": "⛔"}

#: The Markdown of a ``--format markdown`` report at most, in UTF-8 bytes (so also in
#: characters): a pull-request comment holds 65,536 characters.
COMMENT_BUDGET = 65_000
#: One submission's section at most, in UTF-8 bytes; findings past it are counted.
SECTION_BUDGET = 16_000
#: Room kept for the closing lines (the ``<details>`` end, the "not shown" line).
_RESERVE = 400
MORE = ("… {n} more {noun} not shown; see the full report "
        "(aipolicy check --format json)")


class Markup(str):
    """Text that is Markdown already: :func:`cell` and :func:`table` leave it as it is."""


#: Backslash-escaped wherever it appears: every ASCII punctuation character that can
#: start or end Markdown syntax (CommonMark lets any ASCII punctuation be escaped), and
#: ``$``, which opens GitHub's math.
_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY = re.compile(r"[&<>]")
#: Where a zero-width space goes: after ``@`` (no mention, no e-mail link), after the
#: ``:`` of ``://`` and inside ``www.`` (no bare link).
_BREAK = re.compile(r"@|:(?=//)|(?i:www)(?=\\\.)")
_ZWSP = "&#8203;"


def md(value: object, limit: int = MAX_TEXT) -> Markup:
    """A value as inert inline Markdown: shortened, cleaned, every syntax character escaped.

    No heading, list, quote, emphasis, link, image, HTML, table cell boundary, mention or
    autolink can come out of it, and it never spans lines.
    """
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], show(value, limit))
    text = _SIGNIFICANT.sub(r"\\\1", text)
    return Markup(_BREAK.sub(lambda m: m.group() + _ZWSP, text))


def md_lines(value: object, limit: int = MAX_TEXT) -> Markup:
    """A multi-line text (lines to paste) as inert Markdown: each line :func:`md`, joined
    with ``<br>`` so that no line of it can start a block of its own."""
    text = value if isinstance(value, str) else str(value)
    return Markup("<br>".join(md(line, limit) for line in text.split("\n")))


def code(value: object, limit: int = MAX_PATH, *, in_table: bool = False) -> Markup:
    """A value as a code span: shortened, cleaned, fenced by more backticks than it holds.

    In a table cell, a value holding ``|`` or ``\\`` is escaped text instead: GFM splits
    cells at ``|`` before it parses code spans, and ``\\|`` would end the cell.
    """
    text = show(value, limit)
    if in_table and ("|" in text or "\\" in text):
        return md(text, limit)  # GFM splits cells at "|" even in code: escaped text holds
    runs = [len(r) for r in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text.startswith(("`", " ")) or text.endswith("`"):
        text = f" {text} "
    return Markup(f"{fence}{text}{fence}")


def waiver_text(waiver: dict[str, Any] | None) -> str:
    """``waived W-7 by Jane Doe until 2027-01-31: reason`` from whatever the waiver holds."""
    waiver = waiver or {}
    text = "waived"
    if waiver.get("id"):
        text += f" {waiver['id']}"
    approver = waiver.get("approver")
    if isinstance(approver, dict):  # a person: {name, email}
        approver = approver.get("name") or approver.get("email")
    if approver:
        text += f" by {approver}"
    if waiver.get("expires"):
        text += f" until {waiver['expires']}"
    if waiver.get("justification"):
        text += f": {waiver['justification']}"
    return text


def text(value: object) -> Markup:
    """Free text for a list item (kept for callers): the same as :func:`md`."""
    return md(value)


def cell(value: object) -> Markup:
    """Text for a table cell: :func:`md` of it, unless it is :class:`Markup` already."""
    return value if isinstance(value, Markup) else md(value)


def table_head(headers: list[str]) -> str:
    return "\n".join(["| " + " | ".join(cell(h) for h in headers) + " |",
                      "|" + " --- |" * len(headers)])


def table_row(row: Sequence[object]) -> str:
    return "| " + " | ".join(cell(c) for c in row) + " |"


def table(headers: list[str], rows: Sequence[Sequence[object]]) -> str:
    return "\n".join([table_head(headers), *(table_row(r) for r in rows)])


def counts(report: Report) -> str:
    s = report.summary()
    n = s["submissions"]
    noun = "submission" if n == 1 else "submissions"
    return (f"{n} {noun}: {s['pass']} pass, {s['fail']} fail, "
            f"{s['incomplete']} incomplete, {s['error']} error")


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
    if f.file is not None:  # a finding in a waiver or approvals file names it
        notes = [f"{f.file}" + ("" if f.line is None else f" line {f.line}")]
    if not f.blocking:
        notes.append("advisory")
    if f.waived:
        notes.append(waiver_text(f.waiver))
    where = f" ({md(', '.join(notes))})" if notes else ""
    item = f"- {icon} **{md(f.rule, MAX_ID)}**{where}: {md(f.message)}"
    if f.remediation:
        item += f" — *what to do*: {md_lines(f.remediation)}"
    if f.basis is not None:  # the rule rests on guidance or a contested reading
        item += f" — *sources*: {md(basis_text(f.basis))}"
    return item


def basis_text(basis: dict[str, Any]) -> str:
    """A finding's citations with what each is and its date (``EU AI Act Art. 6(1)
    (binding, 2024-07-12); ...``), from its JSON ``basis``."""
    shown = []
    for c in basis.get("citations") or ():
        what = c.get("basis")
        dated = f" ({what}, {c.get('date') or 'undated'})" if what else ""
        shown.append(f"{c.get('framework', '')} {c.get('clause', '')}".strip() + dated)
    return "; ".join(shown)


SIGNOFF_ICONS = {"signed": "✅", "pending": "⏳", "refused": "⛔", "stale": "⌛",
                 "rejected": "❌"}


def signoff_item(d: Decision) -> str:
    """``- **Sign-offs:** ✅ owner signed · ⏳ lead pending; next to sign: lead``."""
    shown = []
    for s in d.signoffs:
        text = f"{SIGNOFF_ICONS.get(s.state, '•')} {md(s.role, MAX_ID)} {md(s.state, MAX_ID)}"
        who = " ".join(x for x in (f"by {s.by}" if s.by else "", f"on {s.date}" if s.date
                                   else "") if x)
        if s.conditions:
            who += f"{'; ' if who else ''}with conditions: {s.conditions}"
        if who:
            text += f" ({md(who)})"
        shown.append(text)
    after = (f"; next to sign: {md(d.next_signer, MAX_ID)}" if d.next_signer
             else "; every role has signed")
    return f"- **Sign-offs:** {' · '.join(shown)}{after}"


def review_item(d: Decision) -> str:
    """``- **Legal review:** determined``, or the open questions: title (article): why."""
    review = d.review
    if review is None or not review.questions:
        return "- **Legal review:** determined"
    shown = "; ".join(f"**{md(q.title, MAX_ID)}** ({md(q.article, MAX_ID)}): {md(q.why)}"
                      for q in review.questions)
    return f"- **Legal review:** ⚖️ needs legal review — {shown}"


def _summary_row(d: Decision, columns: Sequence[tuple[str, str]]) -> list[object]:
    """A row of the submissions table; ``columns``: the (title, fact) of each headline
    column, its value as the JSON report has it (``-`` when null, never another fact)."""
    blocking = len(d.blocking_findings)
    found = str(len(d.findings)) + (f" ({blocking} blocking)" if blocking else "")
    return [code(d.file, in_table=True), md(d.use_case_id or "-", MAX_ID),
            f"{STATUS_ICONS.get(d.status, '')} {d.status}".strip(),
            md(d.tier or "-", MAX_ID),
            *(md(_headline.cell(d, fact), MAX_ID) for _, fact in columns), found]


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit(items: list[str], room: int, more: str) -> list[str]:
    """The leading items that fit in ``room`` bytes (one newline each), and, when some do
    not, a last line counting them (``more`` formatted with n)."""
    kept: list[str] = []
    used = 0
    for i, item in enumerate(items):
        cost = _size(item) + 1
        if used + cost > room - _size(more) - 16:
            return [*kept, more.format(n=len(items) - i)]
        kept.append(item)
        used += cost
    return kept


def section(d: Decision, budget: int = SECTION_BUDGET,
            headlines: Sequence[Headline] = ()) -> str:
    name = f"{md(d.use_case_id, MAX_ID)} · " if d.use_case_id else ""
    heading = f"### {STATUS_ICONS.get(d.status, '•')} {name}{code(d.file)}"
    facts = [f"- **Status:** {md(d.status, MAX_ID)}", f"- **Tier:** {md(d.tier or '-', MAX_ID)}"]
    for headline in headlines:
        shown = _headline.parts(d, headline)
        if shown is not None:
            facts.append(f"- **{md(headline.title, MAX_ID)}:** {md('; '.join(shown))}")
    if d.approval_path:
        path = " → ".join(step.title or step.role for step in d.approval_path)
        facts.append(f"- **Approval path:** {md(path)}")
    elif d.blocked:
        facts.append("- **Approval path:** none: the use case is blocked")
    if d.signoffs:
        facts.append(signoff_item(d))
    if d.review is not None:
        facts.append(review_item(d))
    parts = [heading, "\n".join(facts)]
    room = budget - sum(_size(p) + 2 for p in parts)
    if d.controls:
        rows = [table_row([md(c.id, MAX_ID), md(c.title), md(c.status, MAX_ID),
                           md(", ".join(c.required_by)), "✓" if c.satisfied else "✗"])
                for c in d.controls]
        head = table_head(["Control", "Title", "Status", "Required by", "OK"])
        kept = fit(rows, room // 2 - _size(head), "| " + MORE.replace("{noun}", "controls")
                    + " | | | | |")
        block = "\n".join([head, *kept])
        parts.append(block)
        room -= _size(block) + 2
    if d.findings:
        items = [finding_item(f) for f in ordered(d.findings)]
        parts.append("\n".join(fit(items, room, "- " + MORE.replace("{noun}", "findings"))))
    else:
        parts.append("No findings.")
    return "\n\n".join(parts)


def _entries(decisions: list[Decision], room: int, report: Report
             ) -> tuple[list[str], list[str], int]:
    """The table rows and sections of the leading decisions that fit in ``room`` bytes."""
    rows: list[str] = []
    sections: list[str] = []
    used = 0
    columns = _headline.columns(report)
    for d in decisions:
        row = table_row(_summary_row(d, columns))
        body = section(d, headlines=report.headlines)
        cost = _size(row) + 1 + _size(body) + 2
        if used + cost > room:
            break
        rows.append(row)
        sections.append(body)
        used += cost
    return rows, sections, used


def render(report: Report, budget: int = COMMENT_BUDGET) -> str:
    icon = "✅" if report.ok else "❌"
    parts = [f"## {icon} aipolicy — {counts(report)}"]
    about = [f"as of {report.as_of}", f"aipolicy {report.tool_version}"]
    if report.pack is not None:
        about.insert(0, f"Pack {report.pack.get('name', '?')} {report.pack.get('version', '')}"
                     .strip())
    parts.append(md(" · ".join(about)))
    if report.strict:  # check --strict: a result that needs legal review fails the run
        n = len(report.needing_review())
        parts.append(f"**Strict:** {n} result{'s' if n != 1 else ''} need"
                     f"{'s' if n == 1 else ''} legal review" + (", so the run fails." if n
                                                                else "."))
    headers = ["File", "Use case", "Status", "Tier",
               *(title for title, _ in _headline.columns(report)), "Findings"]
    head = table_head(headers)
    room = budget - sum(_size(p) + 2 for p in parts) - _RESERVE
    config = ""
    if report.findings:  # the run's own findings (a waiver of an unknown use case)
        items = [finding_item(f) for f in ordered(report.findings)]
        config = "### Configuration\n\n" + "\n".join(
            fit(items, budget // 8, "- " + MORE.replace("{noun}", "findings")))
        room -= _size(config) + 2
    failing = [d for d in report.decisions if d.status != "pass"]
    passing = [d for d in report.decisions if d.status == "pass"]
    shown = 0
    if failing:
        rows, sections, used = _entries(failing, room - _size(head) - 2, report)
        room -= used + _size(head) + 2
        shown += len(rows)
        parts += ["\n".join([head, *rows]), *sections]
    if passing:
        noun = "submission" if len(passing) == 1 else "submissions"
        opening = f"<details><summary>✅ {len(passing)} passing {noun}</summary>"
        rows, sections, _ = _entries(passing, room - _size(head) - _size(opening) - 20,
                                     report)
        shown += len(rows)
        if rows:
            parts += [opening, "\n".join([head, *rows]), *sections, "</details>"]
    if config:
        parts.append(config)
    if shown < len(report.decisions):
        n = len(report.decisions) - shown
        parts.append(MORE.format(n=n, noun="submission" if n == 1 else "submissions"))
    return "\n\n".join(parts) + "\n"
