"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error`` for an unwaived blocking finding, ``::warning`` for an advisory one,
``::notice`` for a waived one or an advisory one of severity ``info`` (the levels of the
SARIF output: error, warning, note); errors first, then warnings, then notices, each in report
order.  GitHub shows only the first 10 of each kind per step, so every finding is still
printed (the log keeps them) and a first ``::notice::`` line points to the job summary,
whose Markdown :func:`summary` returns.  Both are pure: the CLI prints the annotations and
appends :func:`summary` to the file named by ``$GITHUB_STEP_SUMMARY``.

Every value is cleaned (:mod:`._text`: no control character, so nothing can end the
command early or print a line of its own) and shortened, then escaped as the workflow
command syntax asks: ``%``, CR and LF in the message, also ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from aipolicy.decision import Decision, Finding, Report

from . import markdown
from ._text import MAX_ID, MAX_TEXT, clean, show, show_lines
from ._text import repo_path as repo_path

_ORDER = {"error": 0, "warning": 1, "notice": 2}

#: The job summary at most, in UTF-8 bytes: GitHub refuses a step summary over 1 MiB
#: (1,048,576 bytes); what does not fit is counted in a last line (see ``markdown``).
SUMMARY_BUDGET = 1_000_000


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding) -> str:
    if f.waived:
        return "notice"
    if f.blocking:
        return "error"
    return "notice" if f.severity == "info" else "warning"


def annotation(d: Decision, f: Finding) -> str:
    props = [f"file={escape_property(clean(repo_path(f.file or d.file)))}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
    props.append(f"title={escape_property(show(f.rule, MAX_ID))}")
    message = show(f.message)
    if f.remediation:
        message += f" (what to do: {show_lines(f.remediation, chr(10))})"
    if f.waived:
        message += f" [{show(markdown.waiver_text(f.waiver), MAX_TEXT)}]"
    return f"::{command(f)} {','.join(props)}::{escape_data(message)}"


def closing_notice(report: Report) -> str:
    findings = [f for d in report.decisions for f in d.findings] + list(report.findings)
    blocking = sum(1 for f in findings if f.blocking and not f.waived)
    noun = "finding" if len(findings) == 1 else "findings"
    message = (f"{markdown.counts(report)}; {len(findings)} {noun} ({blocking} blocking); "
               "see the job summary for all findings")
    return f"::notice::{escape_data(message)}"


def render(report: Report) -> str:
    pairs = [(d, f) for d in (*report.decisions, *report.file_decisions())
             for f in d.findings]
    pairs.sort(key=lambda p: _ORDER[command(p[1])])  # stable: report order within a kind
    # the summary notice comes first, so that GitHub's cap of ten notices never hides it
    lines = [closing_notice(report), *(annotation(d, f) for d, f in pairs)]
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """The Markdown for ``$GITHUB_STEP_SUMMARY``: the list the annotations cut short, within
    :data:`SUMMARY_BUDGET`."""
    return markdown.render(report, budget=SUMMARY_BUDGET)
