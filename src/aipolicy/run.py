"""Running a command over files: find the form and pack, evaluate each submission.

This is the library API behind the CLI.  It reads through :mod:`aipolicy.sources` and
returns :class:`~aipolicy.decision.Report` values; it never prints.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .decision import Decision, Report
from .errors import ConfigError, FormError, SourceError
from .form import Form, load_form
from .sources import (
    DEFAULT_LIMITS,
    Found,
    Limits,
    cache_add,
    cache_has,
    discover,
    load_document,
    load_found,
    load_json_document,
    package_data,
)

if TYPE_CHECKING:
    from .packs import CompiledPack

DEFAULT_INTAKE_DIR = "intake"
DEFAULT_FORM = os.path.join("intake", "schema.json")
DEFAULT_PACK = "policies"
FORM_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """What the user chose; ``None`` means "the default"."""

    pack: str | None = None
    schema: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    as_of: dt.date | None = None
    limits: Limits = DEFAULT_LIMITS


def form_path(settings: Settings) -> str:
    if settings.schema:
        return settings.schema
    if os.path.isfile(DEFAULT_FORM):
        return DEFAULT_FORM
    return str(package_data("intake", "schema.json"))


def pack_path(settings: Settings) -> str:
    if settings.pack:
        return settings.pack
    if os.path.exists(DEFAULT_PACK):
        return DEFAULT_PACK
    return str(package_data("policies"))


def open_form(settings: Settings) -> Form:
    path = form_path(settings)
    # the form is configuration, not a submission: it is not held to --max-file-size
    limits = Limits(max_bytes=max(settings.limits.max_bytes, FORM_MAX_BYTES))
    try:
        if path.endswith(".json"):
            doc = load_json_document(path, limits)
        else:
            doc = load_document(path, limits)
    except SourceError as exc:
        raise FormError(f"cannot read the intake form: {exc.message}", exc.location) from None
    checked = cache_has("checked-forms", doc.digest)
    form = load_form(doc, checked=checked)
    if not checked:
        cache_add("checked-forms", doc.digest)
    return form


def open_pack(settings: Settings, form: Form | None = None) -> CompiledPack:
    from .packs import load_pack

    form = form or open_form(settings)
    path = pack_path(settings)
    if not os.path.exists(path):
        raise ConfigError(f"{path}: no such rule pack")
    return load_pack(path, form, settings.limits)


#: Directories of a governance repository that hold configuration, not submissions
#: (``aipolicy init`` writes them): never walked into, though files in them named
#: explicitly are read.
CONFIG_DIRS = (DEFAULT_PACK, "waivers", "approvals")


def submissions(paths: Sequence[str], form: Form,
                settings: Settings | None = None) -> list[Found]:
    """The submission files named by ``paths`` (default: ``./intake``), never empty.

    Walking a directory leaves out hidden entries, the form, the pack in use and the
    configuration directories of a governance repository (:data:`CONFIG_DIRS`), so that
    ``aipolicy check .`` at its root reads only submissions.
    """
    given = list(paths)
    if not given:
        if not os.path.isdir(DEFAULT_INTAKE_DIR):
            raise ConfigError("no input: name intake files or directories, or run where "
                              f"./{DEFAULT_INTAKE_DIR} exists")
        given = [DEFAULT_INTAKE_DIR]
    skip = [form.doc.path, *CONFIG_DIRS]
    if settings is not None and settings.pack:
        skip.append(settings.pack)
    found = discover(given, skip=skip)
    if not found:
        raise ConfigError(f"no intake files (.yaml, .yml, .json) found in {', '.join(given)}")
    return found


def today(settings: Settings) -> dt.date:
    return settings.as_of or dt.date.today()


#: Below this many files a process pool costs more than it saves.
MIN_FILES_PER_POOL = 64

Part = Callable[[Decision], str]
#: What evaluating a file needs, set for the run (inherited by forked workers): the pack,
#: parameters, date, limits, and the reporter's rendering of one decision, if any.
_WORKER: tuple[CompiledPack, dict[str, Any], dt.date, Limits, Part | None] | None = None


def check(paths: Sequence[str], settings: Settings, *, jobs: int = 1,
          part: Part | None = None) -> Report:
    """``aipolicy check``: evaluate every submission against the pack.

    With ``jobs`` > 1 and enough files, the files are shared among worker processes;
    the report is the same as with one job, in the same order. ``part`` (a reporter's
    rendering of one decision, see ``reporters.PARTS``) is run right after each decision,
    in the worker that made it, and the report carries the results in ``parts``; its
    decisions then hold only what the summary reads (file, use case id, status, tier).
    """
    global _WORKER
    pack = open_pack(settings)
    params = pack.resolve_params(dict(settings.params))
    as_of = today(settings)
    files = submissions(paths, pack.form, settings)
    _WORKER = (pack, params, as_of, settings.limits, part)
    try:
        if jobs > 1 and len(files) >= MIN_FILES_PER_POOL:
            done = _in_pool(files, settings, jobs, part)
        else:
            done = [_evaluate_file(path) for path in files]
    finally:
        _WORKER = None
    report = _report([decision for decision, _ in done], as_of, params, pack, pack.form)
    if part is None:
        return report
    return replace(report, parts=tuple(text or "" for _, text in done))


def _evaluate_file(found: Found) -> tuple[Decision, str | None]:
    """The decision on one file, and its rendered part when the run asked for one."""
    from .decision import error_decision
    from .engine import evaluate

    assert _WORKER is not None
    pack, params, as_of, limits, part = _WORKER
    try:
        doc = load_found(found, limits)
    except SourceError as exc:
        decision = error_decision(found.path, exc)
    else:
        decision = evaluate(pack, doc, params=params, as_of=as_of)
    if part is None:
        return decision, None
    # the part carries the decision; the report keeps what its summary reads, which is
    # also all a worker sends back (a whole decision costs the parent more to unpickle)
    return Decision(decision.file, decision.use_case_id, decision.status,
                    decision.tier), part(decision)


def _init_worker(settings: Settings, part: Part | None) -> None:
    """In a worker that did not inherit the compiled pack (spawn), build it once."""
    global _WORKER
    if _WORKER is None:
        pack = open_pack(settings)
        _WORKER = (pack, pack.resolve_params(dict(settings.params)), today(settings),
                   settings.limits, part)


def _in_pool(files: list[Found], settings: Settings, jobs: int,
             part: Part | None) -> list[tuple[Decision, str | None]]:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    fixed = Settings(settings.pack, settings.schema, settings.params, today(settings),
                     settings.limits)
    chunk = max(8, min(256, len(files) // (jobs * 8)))
    with context.Pool(jobs, initializer=_init_worker, initargs=(fixed, part)) as pool:
        return list(pool.imap(_evaluate_file, files, chunksize=chunk))


def validate(paths: Sequence[str], settings: Settings) -> Report:
    """``aipolicy validate``: form completeness only; no pack is loaded."""
    from .decision import error_decision, status_for

    form = open_form(settings)
    decisions = []
    for found in submissions(paths, form, settings):
        path = found.path
        try:
            doc = load_found(found, settings.limits)
        except SourceError as exc:
            decisions.append(error_decision(path, exc))
            continue
        findings = tuple(form.check(doc))
        uid = doc.data.get("use_case_id") if isinstance(doc.data, dict) else None
        decisions.append(Decision(
            file=path, use_case_id=uid if isinstance(uid, str) else None,
            status=status_for(findings), tier=None, findings=findings,
        ))
    return _report(decisions, today(settings), {}, None, form)


def _report(decisions: Iterable[Decision], as_of: dt.date, params: dict[str, Any],
            pack: CompiledPack | None, form: Form) -> Report:
    return Report(
        decisions=tuple(decisions),
        tool_version=__version__,
        as_of=as_of.isoformat(),
        parameters=params,
        pack=({"name": pack.name, "version": pack.version, "digest": pack.digest}
              if pack is not None else None),
        form={"id": form.id, "digest": form.digest},
        tiers=pack.scales["tier"] if pack is not None else (),
        rules=_rule_info(pack),
        controls=_control_info(pack),
    )


def _citations(items: Any) -> list[dict[str, Any]]:
    return [{"framework": c.framework, "clause": c.clause, "url": c.url} for c in items]


def _rule_info(pack: CompiledPack | None) -> dict[str, dict[str, Any]]:
    """What reporters need to describe each rule (SARIF rules, JUnit, docs)."""
    from .decision import ENGINE_RULES

    info: dict[str, dict[str, Any]] = {
        rid: {"title": title, "description": title, "severity": "high",
              "enforcement": "blocking", "citations": [], "remediation": ""}
        for rid, title in ENGINE_RULES.items()
    }
    if pack is None:
        return info
    for rule in pack.model.rules:
        info[rule.id] = {
            "title": rule.title, "description": " ".join(rule.description.split()),
            "severity": rule.severity, "enforcement": rule.enforcement,
            "citations": _citations(rule.citations),
            "remediation": rule.violation.remediation if rule.violation else "",
        }
    return info


def _control_info(pack: CompiledPack | None) -> dict[str, dict[str, Any]]:
    if pack is None:
        return {}
    return {cid: {"title": c.title, "description": c.description,
                  "citations": _citations(c.citations)}
            for cid, c in pack.model.controls.items()}
