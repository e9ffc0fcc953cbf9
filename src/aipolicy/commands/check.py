"""``aipolicy check``: evaluate every submission against the pack."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aipolicy.decision import Report

from .layers import DEFAULT_WAIVERS, Layers, open_layers
from .output import finish
from .pool import evaluate_all
from .report import build_report

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack

from .settings import DEFAULT_INTAKE_DIR, Settings, config_files, open_pack, submissions, today


def check(paths: Sequence[str], settings: Settings, *, jobs: int = 1,
          as_json: bool = False, record: str | None = None,
          pack: CompiledPack | None = None) -> Report:
    """Evaluate every submission named by ``paths`` (default: ./intake) against the pack.

    With ``jobs`` > 1 and enough files, the files are shared among worker processes;
    the report is the same as with one job, in the same order. ``as_json``: each decision
    is made into its canonical JSON where it is made (a
    :class:`~aipolicy.serialize.JsonDecision`, whole all the same), which is what the JSON
    report shows (see ``reporters.FROM_JSON``). ``pack``: the settings' pack, when the
    caller has opened it already.
    """
    pack = pack or open_pack(settings)
    params = pack.resolve_params(dict(settings.params))
    as_of = today(settings)
    layers = open_layers(settings, pack)  # their files checked before any submission
    files = submissions(paths, pack.form, settings)
    digests: list[str | None] | None = None
    if record is not None:
        from .recording import refuse_clash

        refuse_clash(record, files, settings, layers, tuple(paths) or (DEFAULT_INTAKE_DIR,))
        digests = []
    done = evaluate_all(files, pack, params, as_of, settings, jobs=jobs, as_json=as_json,
                        layers=layers, digests=digests)
    report = build_report(done, as_of, params, pack, pack.form)
    if layers.steps and all(os.path.isdir(p) for p in paths or (DEFAULT_INTAKE_DIR,)):
        report = _run_findings(report, layers)
    if record is not None and digests is not None:
        from .recording import record_run

        record_run(record, report, digests, layers)
    return report


def _run_findings(report: Report, layers: Layers) -> Report:
    """The report with the findings only a run over whole directories can make: a waiver
    or a sign-off whose use case no submission has (a run over named files, a pre-commit
    hook's, sees only part of the portfolio and says nothing of the rest)."""
    from dataclasses import replace

    from aipolicy.signoffs.apply import SignoffLayer
    from aipolicy.waivers.apply import WaiverLayer

    found = [f for step in layers.steps if isinstance(step, (SignoffLayer, WaiverLayer))
             for f in step.unknown_use_cases(d.use_case_id for d in report.decisions)]
    return replace(report, findings=tuple(found)) if found else report


def command(paths: Sequence[str], settings: Settings, *, fmt: str, output: str | None,
            jobs: int | None, record: str | None = None, strict: bool = False) -> int:
    """The CLI's ``check``: run, report in ``fmt`` to stdout or ``output``, append the
    decision records to ``record``; the exit code. ``strict``: a result that needs legal
    review fails the run too (the report says so; each result's status stays)."""
    from aipolicy.reporters import FROM_JSON

    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    as_json = fmt in FROM_JSON  # each decision made into its JSON where it is made

    def run() -> Report:
        if record is not None and output is not None:
            from .recording import refuse_same

            refuse_same(record, output)
        report = check(paths, settings, jobs=workers, as_json=as_json, record=record)
        if strict:
            from dataclasses import replace

            report = replace(report, strict=True)
        return report

    return finish(run, fmt, output, settings.debug, lambda: configuration_read(settings),
                  trees_read(paths, settings))


def configuration_read(settings: Settings) -> list[str]:
    """The files besides the submissions that a run as ``check`` makes reads (form, pack,
    approvals, waivers): ``--output`` may replace none of them."""
    from aipolicy.waivers.load import waiver_paths

    waivers = layer_trees(settings)[0]
    found = waiver_paths(waivers) if os.path.exists(waivers) else []
    return [*config_files(settings, pack=True), *found]


def layer_trees(settings: Settings) -> tuple[str, str]:
    """Where the waivers and the approvals are read from."""
    return settings.waivers or DEFAULT_WAIVERS, settings.approvals or "approvals"


def trees_read(paths: Sequence[str], settings: Settings) -> tuple[str, ...]:
    """The directories such a run reads from (the submissions', the waivers', the
    approvals'): ``--output`` may not put a report where the next run would read it."""
    return (*(tuple(paths) or (DEFAULT_INTAKE_DIR,)), *layer_trees(settings))
