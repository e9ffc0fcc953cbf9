"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error`` for an unwaived blocking finding, ``::warning`` for an advisory one,
``::notice`` for a waived one or an advisory one of severity ``info`` (the levels of the
SARIF output: error, warning, note); errors first, then warnings, then notices, each in report
order.  GitHub shows only the first 10 of each kind per step, so every finding is still
printed (the log keeps them) and a first ``::notice::`` line points to the job summary,
whose Markdown :func:`summary` returns.  Both are pure: the CLI prints the annotations and
appends :func:`summary` to the file named by ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

from aipolicy.decision import Decision, Finding, Report

from . import markdown

_ORDER = {"error": 0, "warning": 1, "notice": 2}


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


def repo_path(file: str) -> str:
    """The file as given, with ``/`` separators and no leading ``./``."""
    path = file.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def annotation(d: Decision, f: Finding) -> str:
    props = [f"file={escape_property(repo_path(d.file))}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
    props.append(f"title={escape_property(f.rule)}")
    message = f.message
    if f.remediation:
        message += f" (what to do: {f.remediation})"
    if f.waived:
        message += f" [{markdown.waiver_text(f.waiver)}]"
    return f"::{command(f)} {','.join(props)}::{escape_data(message)}"


def closing_notice(report: Report) -> str:
    findings = [f for d in report.decisions for f in d.findings]
    blocking = sum(1 for f in findings if f.blocking and not f.waived)
    noun = "finding" if len(findings) == 1 else "findings"
    message = (f"{markdown.counts(report)}; {len(findings)} {noun} ({blocking} blocking); "
               "see the job summary for all findings")
    return f"::notice::{escape_data(message)}"


def render(report: Report) -> str:
    pairs = [(d, f) for d in report.decisions for f in d.findings]
    pairs.sort(key=lambda p: _ORDER[command(p[1])])  # stable: report order within a kind
    # the summary notice comes first, so that GitHub's cap of ten notices never hides it
    lines = [closing_notice(report), *(annotation(d, f) for d, f in pairs)]
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """The Markdown for ``$GITHUB_STEP_SUMMARY``: the full list the annotations cut short."""
    return markdown.render(report)
