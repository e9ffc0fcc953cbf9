"""``--format table`` (the default): for people at a terminal or in a pre-commit hook.

One row per submission, then every finding as ``file:line: RULE message`` with what to
do on the next line, then a one-line summary.  Every value is shortened and cleaned
(:mod:`._text`): a cell holds at most ``MAX_ID`` characters (a file name ``MAX_PATH``),
a message ``MAX_TEXT``, and no value can start a line or hold a control character.
"""

from __future__ import annotations

from aipolicy.decision import Decision, Finding, Report
from aipolicy.info import fact_value

from . import _headline
from ._text import MAX_ID, path, show, show_lines


def finding_line(d: Decision, f: Finding) -> str:
    file = path(f.file or d.file)  # a finding in a waiver or approvals file names it
    where = file if f.line is None else f"{file}:{f.line}"
    if f.line is not None and f.column is not None:
        where += f":{f.column}"
    flags = []
    if not f.blocking:
        flags.append("advisory")
    if f.waived:
        flags.append("waived")
    suffix = f" [{', '.join(flags)}]" if flags else ""
    lines = [f"{where}: {show(f.rule, MAX_ID)} {show(f.message)}{suffix}"]
    if f.remediation:
        lines.append(f"    what to do: {show_lines(f.remediation, chr(10) + ' ' * 6)}")
    return "\n".join(lines)


def signoff_parts(d: Decision) -> list[str]:
    """Where each role's sign-off stands (``role: state by who on date (where)``), then
    the next role to sign: plain text, every value shown short and inert."""
    parts = []
    for s in d.signoffs:
        text = f"{show(s.role, MAX_ID)}: {show(s.state, MAX_ID)}"
        if s.decision is not None and s.state not in ("signed", "rejected"):
            text += f" ({show(s.decision, MAX_ID)})"
        if s.by is not None:
            text += f" by {show(s.by, MAX_ID)}"
        if s.date is not None:
            text += f" on {show(s.date, MAX_ID)}"
        if s.source == "submission":
            text += " (the submission)"
        elif s.file is not None:
            text += f" ({path(s.file)}{'' if s.line is None else f':{s.line}'})"
        if s.conditions:
            text += f', with conditions "{show(s.conditions)}"'
        parts.append(text)
    parts.append(f"next to sign: {show(d.next_signer, MAX_ID)}" if d.next_signer
                 else "every role has signed")
    return parts


def signoff_block(report: Report) -> str | None:
    """The sign-offs of each submission that needs them, a line each (None when none
    does)."""
    blocks = [f"{path(d.file)}: sign-offs: " + "; ".join(signoff_parts(d))
              for d in report.decisions if d.signoffs]
    return "\n".join(blocks) if blocks else None


def review_parts(d: Decision) -> list[str]:
    """Each open legal question of a result: ``title (article): why``, short and inert."""
    return [f"{show(q.title, MAX_ID)} ({show(q.article, MAX_ID)}): {show(q.why)}"
            for q in (d.review.questions if d.review is not None else ())]


def review_block(report: Report) -> str | None:
    """The results that need legal review, with their open questions (None when none
    does; every other result is determined)."""
    blocks = [f"{path(d.file)}: needs legal review:\n" + "\n".join(
        f"    - {part}" for part in review_parts(d)) for d in report.needing_review()]
    return "\n".join(blocks) if blocks else None


def strict_note(report: Report) -> str:
    """What ``check --strict`` adds to the summary: how many results need legal review."""
    if not report.strict:
        return ""
    n = len(report.needing_review())
    return (f"; strict: {n} need{'s' if n == 1 else ''} legal review" if n
            else "; strict: none needs legal review")


def summary_line(report: Report) -> str:
    s = report.summary()
    n = s["submissions"]
    noun = "submission" if n == 1 else "submissions"
    return (f"{n} {noun}: {s['pass']} pass, {s['fail']} fail, "
            f"{s['incomplete']} incomplete, {s['error']} error") + strict_note(report)


def columns(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table: left-aligned columns, a dashed rule under the headers.

    The layout of tabulate's "simple" format, without its import cost, which every
    pre-commit run would pay.
    """
    widths = [max([len(h) + 2, *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths),
                      *(line(r) for r in rows)])


def render(report: Report) -> str:
    with_tier = report.pack is not None  # `validate` loads no pack: no tier to show
    # the pack's headline columns that some decision has (none when no file could be read)
    shown = [(title, fact) for title, fact in _headline.columns(report)
             if any(fact_value(d.facts, fact)[0] for d in report.decisions)]
    headers = ["file", "use case", "status"]
    if with_tier:
        headers.append("tier")
    headers += [show(title, MAX_ID) for title, _ in shown]
    headers.append("findings")
    rows = []
    for d in report.decisions:
        row = [path(d.file), show(d.use_case_id or "-", MAX_ID), show(d.status, MAX_ID)]
        if with_tier:
            row.append(show(d.tier or "-", MAX_ID))
        row += [show(_headline.cell(d, fact), MAX_ID) for _, fact in shown]
        row.append(str(len(d.findings)))
        rows.append(row)
    parts = [columns(headers, rows)]
    signoffs = signoff_block(report)
    if signoffs is not None:
        parts.append(signoffs)
    review = review_block(report)
    if review is not None:
        parts.append(review)
    details = [finding_line(d, f) for d in (*report.decisions, *report.file_decisions())
               for f in d.findings]
    if details:
        parts.append("\n".join(details))
    parts.append(summary_line(report))
    return "\n\n".join(parts) + "\n"
