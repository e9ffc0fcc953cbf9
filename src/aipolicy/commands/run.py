"""Running a command over files: find the form and pack, evaluate each submission.

This is the library API behind the CLI.  It reads through :mod:`aipolicy.sources` and
returns :class:`~aipolicy.decision.Report` values; it never prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from aipolicy._version import __version__
from aipolicy.cache import cache_add, cache_has
from aipolicy.decision import Decision, Report
from aipolicy.errors import ConfigError, FormError, RunError, SourceError
from aipolicy.form.schema import Form, load_form
from aipolicy.sources.discovery import Found, discover, load_found
from aipolicy.sources.documents import SourceDoc, load_document, load_json_document
from aipolicy.sources.files import DEFAULT_LIMITS, Limits
from aipolicy.starter import package_data

if TYPE_CHECKING:
    from aipolicy.engine.index import IndexMatcher
    from aipolicy.pack.compiled import CompiledPack

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
    #: let an error evaluating one submission propagate (for its traceback) instead of
    #: making that submission's status ``error``
    debug: bool = False


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
    from aipolicy.pack.load import load_pack

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
#: What evaluating a file needs, set for the run (inherited by forked workers): the pack's
#: matcher (one per run, and so one per worker, with what its index remembers),
#: parameters, date, settings, and the reporter's rendering of one decision, if any.
_WORKER: tuple[IndexMatcher, dict[str, Any], dt.date, Settings, Part | None] | None = None


def check(paths: Sequence[str], settings: Settings, *, jobs: int = 1,
          part: Part | None = None) -> Report:
    """``aipolicy check``: evaluate every submission against the pack.

    With ``jobs`` > 1 and enough files, the files are shared among worker processes;
    the report is the same as with one job, in the same order. ``part`` (a reporter's
    rendering of one decision, see ``reporters.PARTS``) is run right after each decision,
    in the worker that made it, and the report carries the results in ``parts``; its
    decisions then hold only what the summary reads (file, use case id, status, tier).
    """
    from aipolicy.engine.index import IndexMatcher

    global _WORKER
    pack = open_pack(settings)
    params = pack.resolve_params(dict(settings.params))
    as_of = today(settings)
    files = submissions(paths, pack.form, settings)
    _WORKER = (IndexMatcher(pack), params, as_of, settings, part)
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
    from aipolicy.decision import error_decision, failed_decision
    from aipolicy.engine.evaluate import evaluate

    assert _WORKER is not None
    matcher, params, as_of, settings, part = _WORKER
    doc: SourceDoc | None = None
    try:
        doc = load_found(found, settings.limits)
        decision = evaluate(matcher.pack, doc, params=params, as_of=as_of, matcher=matcher)
        text = part(decision) if part is not None else None
    except SourceError as exc:
        decision = error_decision(found.path, exc)
        text = part(decision) if part is not None else None
    except Exception as exc:  # a bug on this one submission: it alone is in error
        if settings.debug:
            raise
        decision = failed_decision(found.path, exc, _use_case_id(doc))
        text = part(decision) if part is not None else None
    if part is None:
        return decision, None
    # the part carries the decision; the report keeps what its summary reads, which is
    # also all a worker sends back (a whole decision costs the parent more to unpickle)
    return Decision(decision.file, decision.use_case_id, decision.status,
                    decision.tier), text


def _use_case_id(doc: SourceDoc | None) -> str | None:
    data = doc.data if doc is not None else None
    uid = data.get("use_case_id") if isinstance(data, dict) else None
    return uid if isinstance(uid, str) else None


def _init_worker(settings: Settings, part: Part | None) -> None:
    """In a worker: leave Ctrl-C and SIGTERM to the parent (which stops the workers), and
    if the compiled pack was not inherited (spawn), build it once."""
    import signal

    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal sends it to every worker
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if _WORKER is None:
        from aipolicy.engine.index import IndexMatcher

        pack = open_pack(settings)
        _WORKER = (IndexMatcher(pack), pack.resolve_params(dict(settings.params)),
                   today(settings), settings, part)


#: How long to wait for a stopped worker to end before killing it (seconds).
WORKER_STOP_SECONDS = 5.0
#: Chunks of files given to a worker ahead of the one it is on, so it never waits.
CHUNKS_AHEAD = 2


def _in_pool(files: list[Found], settings: Settings, jobs: int,
             part: Part | None) -> list[tuple[Decision, str | None]]:
    """The decisions on ``files``, in order, made by ``jobs`` worker processes.

    Fails closed: a worker that dies (the out-of-memory killer) stops the run with a
    :class:`RunError`, never a hang or a partial report; an interruption (Ctrl-C,
    SIGTERM) stops the workers before it propagates. The parent has no threads, so a
    signal finds it waiting on its workers' pipes and nowhere worse.
    """
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    fixed = replace(settings, as_of=today(settings))
    size = max(8, min(256, len(files) // (jobs * 8)))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    done: list[list[tuple[Decision, str | None]] | None] = [None] * len(chunks)
    workers: dict[Connection, Any] = {}  # pipe -> process
    finished = False
    try:
        for _ in range(min(jobs, len(chunks))):
            mine, theirs = context.Pipe()
            proc = context.Process(target=_work, args=(theirs, mine, fixed, part),
                                   daemon=True)
            with _signals_held():  # the worker sets its own handlers before taking them
                proc.start()
            theirs.close()
            workers[mine] = proc
        queued = iter(range(len(chunks)))
        for pipe in workers:
            for index in itertools.islice(queued, CHUNKS_AHEAD):
                pipe.send((index, chunks[index]))
        left = len(chunks)
        while left:
            for ready in wait(list(workers) + [p.sentinel for p in workers.values()]):
                source = ready if isinstance(ready, Connection) else None
                if source is None:  # a sentinel: a worker is gone before its work was done
                    raise _worker_died()
                try:
                    index, decisions, error = source.recv()
                except (EOFError, OSError):
                    raise _worker_died() from None
                if error is not None:
                    raise error
                done[index] = decisions
                left -= 1
                for index in itertools.islice(queued, 1):
                    source.send((index, chunks[index]))
        for pipe in workers:
            pipe.send(None)
        finished = True
    finally:
        _stop(workers, at_once=not finished)
    return [decision for chunk in done if chunk is not None for decision in chunk]


def _worker_died() -> RunError:
    return RunError("a worker process ended abruptly (killed, perhaps for lack of memory); "
                    "the run was stopped and nothing was reported: rerun, with fewer --jobs "
                    "or more memory")


def _work(pipe: Any, parents: Any, settings: Settings, part: Part | None) -> None:
    """A worker: evaluate each chunk of files it is sent, until it is sent None (or its
    parent is gone). A bug is sent back, to be raised in the parent as it would be there."""
    parents.close()  # the parent's end: it must close when the parent dies
    failure: Exception | None = None
    try:
        _init_worker(settings, part)
    except Exception as exc:
        failure = exc
    while True:
        try:
            task = pipe.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, paths = task
        reply: tuple[int, Any, Exception | None]
        try:
            if failure is not None:
                raise failure
            reply = (index, [_evaluate_file(path) for path in paths], None)
        except Exception as exc:
            reply = (index, None, exc)
        try:
            pipe.send(reply)
        except Exception as exc:  # an error that cannot be pickled: its words, then
            pipe.send((index, None, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _stop(workers: dict[Any, Any], *, at_once: bool) -> None:
    """Reap the workers: those told to finish, or all of them ``at_once``."""
    if at_once:
        for proc in workers.values():
            if proc.is_alive():
                proc.terminate()
    for pipe, proc in workers.items():
        proc.join(WORKER_STOP_SECONDS)
        if proc.is_alive():  # deaf to SIGTERM: SIGKILL cannot be ignored
            proc.kill()
            proc.join()
        pipe.close()


#: The signals a worker leaves to its parent.
_PARENT_SIGNALS = ("SIGINT", "SIGTERM")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while a worker starts: a new worker takes them only
    once it has set its own handlers (see :func:`_init_worker`)."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {getattr(signal, name) for name in _PARENT_SIGNALS}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def validate(paths: Sequence[str], settings: Settings) -> Report:
    """``aipolicy validate``: form completeness only; no pack is loaded."""
    from aipolicy.decision import error_decision, failed_decision, kept, status_for

    form = open_form(settings)
    decisions = []
    for found in submissions(paths, form, settings):
        path = found.path
        doc: SourceDoc | None = None
        try:
            doc = load_found(found, settings.limits)
            findings = tuple(form.check(doc))
        except SourceError as exc:
            decisions.append(error_decision(path, exc))
            continue
        except Exception as exc:  # a bug on this one submission: it alone is in error
            if settings.debug:
                raise
            decisions.append(failed_decision(path, exc, _use_case_id(doc)))
            continue
        decisions.append(Decision(
            file=path, use_case_id=_use_case_id(doc),
            status=status_for(findings), tier=None, findings=kept(list(findings)),
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
    from aipolicy.decision import ENGINE_RULES

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
