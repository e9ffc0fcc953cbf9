"""``aipolicy check``: evaluate every submission against the pack."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aipolicy.decision import Report

from .output import finish
from .pool import Part, evaluate_all
from .report import build_report
from .settings import DEFAULT_INTAKE_DIR, Settings, config_files, open_pack, submissions, today


def check(paths: Sequence[str], settings: Settings, *, jobs: int = 1,
          part: Part | None = None) -> Report:
    """Evaluate every submission named by ``paths`` (default: ./intake) against the pack.

    With ``jobs`` > 1 and enough files, the files are shared among worker processes;
    the report is the same as with one job, in the same order. ``part`` (a reporter's
    rendering of one decision, see ``reporters.PARTS``) is run right after each decision,
    in the worker that made it, and the report carries the results in ``parts``; its
    decisions then hold only what the summary reads (file, use case id, status, tier).
    """
    pack = open_pack(settings)
    params = pack.resolve_params(dict(settings.params))
    as_of = today(settings)
    files = submissions(paths, pack.form, settings)
    done = evaluate_all(files, pack, params, as_of, settings, jobs=jobs, part=part)
    report = build_report([decision for decision, _ in done], as_of, params, pack, pack.form)
    if part is None:
        return report
    return replace(report, parts=tuple(text or "" for _, text in done))


def command(paths: Sequence[str], settings: Settings, *, fmt: str, output: str | None,
            jobs: int | None) -> int:
    """The CLI's ``check``: run, report in ``fmt`` to stdout or ``output``; the exit code."""
    import os

    from aipolicy.reporters import get_part

    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    part = get_part(fmt)  # each decision's part of the report, rendered where it is made
    return finish(lambda: check(paths, settings, jobs=workers, part=part), fmt, output,
                  settings.debug, lambda: config_files(settings, pack=True),
                  tuple(paths) or (DEFAULT_INTAKE_DIR,))
