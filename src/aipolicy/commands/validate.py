"""``aipolicy validate``: form completeness only; no pack is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aipolicy.decision import Decision, Report
from aipolicy.errors import SourceError
from aipolicy.sources.discovery import load_found
from aipolicy.sources.documents import SourceDoc

if TYPE_CHECKING:
    pass
from .output import finish
from .report import build_report
from .settings import (
    DEFAULT_INTAKE_DIR,
    Settings,
    config_files,
    open_form,
    submissions,
    today,
    use_case_id,
)


def validate(paths: Sequence[str], settings: Settings) -> Report:
    """``aipolicy validate``: form completeness only; no pack is loaded."""
    from aipolicy.decision import error_decision, failed_decision, kept, status_for
    from aipolicy.form.validate import check_submission
    from aipolicy.identity import identity_of

    form = open_form(settings)
    decisions = []
    for found in submissions(paths, form, settings):
        path = found.path
        doc: SourceDoc | None = None
        try:
            doc = load_found(found, settings.limits)
            findings = tuple(check_submission(form, doc))
        except SourceError as exc:
            decisions.append(error_decision(path, exc))
            continue
        except Exception as exc:  # a bug on this one submission: it alone is in error
            if settings.debug:
                raise
            decisions.append(failed_decision(path, exc, use_case_id(doc, form)))
            continue
        decisions.append(Decision(
            file=path, use_case_id=use_case_id(doc, form),
            status=status_for(findings), tier=None, findings=kept(list(findings)),
            identity=identity_of(doc.data, form.names),
        ))
    return build_report(decisions, today(settings), {}, None, form)


def command(paths: Sequence[str], settings: Settings, *, fmt: str, output: str | None) -> int:
    """The CLI's ``validate``: run, report in ``fmt`` to stdout or ``output``; the exit code."""
    return finish(lambda: validate(paths, settings), fmt, output, settings.debug,
                  lambda: config_files(settings, pack=False),
                  tuple(paths) or (DEFAULT_INTAKE_DIR,))
