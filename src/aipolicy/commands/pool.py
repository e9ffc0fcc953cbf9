"""Evaluating files, in this process or shared among worker processes (``--jobs``).

Fails closed: a worker that dies stops the run; Ctrl-C and SIGTERM stop the workers."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aipolicy.decision import Decision
from aipolicy.errors import RunError, SourceError
from aipolicy.serialize import as_json as json_decision
from aipolicy.sources.discovery import Found, load_found
from aipolicy.sources.documents import SourceDoc

if TYPE_CHECKING:
    from aipolicy.engine.index import IndexMatcher
    from aipolicy.pack.compiled import CompiledPack
from .layers import Layers, open_layers
from .settings import Settings, open_pack, today, use_case_id

#: Below this many files a process pool costs more than it saves.
MIN_FILES_PER_POOL = 64


#: What evaluating a file needs, set for the run (inherited by forked workers): the pack's
#: matcher (one per run, and so one per worker, with what its index remembers),
#: parameters, date, settings, whether a decision travels as its canonical JSON, and the
#: layers applied after evaluation.
_WORKER: tuple[IndexMatcher, dict[str, Any], dt.date, Settings, bool, Layers] | None = None


def evaluate_all(files: list[Found], pack: CompiledPack, params: dict[str, Any],
                 as_of: dt.date, settings: Settings, *, jobs: int = 1,
                 as_json: bool = False, layers: Layers | None = None,
                 digests: list[str | None] | None = None) -> list[Decision]:
    """The decision on each file, in order.

    With ``jobs`` > 1 and enough files, the files are shared among worker processes;
    the result is the same as with one job, in the same order. ``as_json``: each decision
    is a :class:`~aipolicy.serialize.JsonDecision`, its canonical JSON made where it is
    decided (cheap to send from a worker, and all the JSON report needs). ``layers`` are
    applied to each decision where it is made (none by default). ``digests``, when given,
    is filled with the digest of the bytes each decision was made from (None for a file
    that could not be read), in the same order: what a decision record names, carried out
    of the worker with its decision rather than read again.
    """
    from aipolicy.engine.index import IndexMatcher

    global _WORKER
    _WORKER = (IndexMatcher(pack), params, as_of, settings, as_json, layers or Layers())
    paired = digests is not None
    try:
        if jobs > 1 and len(files) >= MIN_FILES_PER_POOL:
            done = in_pool(files, settings, jobs, as_json, paired=paired)
        elif paired:
            done = [evaluate_found(path) for path in files]
        else:
            return [evaluate_file(path) for path in files]
    finally:
        _WORKER = None
    if digests is None:
        return done
    digests.extend(digest for _decision, digest in done)
    return [decision for decision, _digest in done]


def evaluate_found(found: Found) -> tuple[Decision, str | None]:
    """The decision on one file, and the digest of the bytes it was made from (None when
    the file could not be read)."""
    assert _WORKER is not None
    doc, decision = _evaluate(found)
    return decision, (doc.digest if doc is not None else None)


def evaluate_file(found: Found) -> Decision:
    """The decision on one file (as its JSON when the run asked for that)."""
    return _evaluate(found)[1]


def _evaluate(found: Found) -> tuple[SourceDoc | None, Decision]:
    """The document read (None when it could not be) and the decision on it."""
    from aipolicy.decision import error_decision, failed_decision
    from aipolicy.engine.evaluate import evaluate

    assert _WORKER is not None
    matcher, params, as_of, settings, as_json, layers = _WORKER
    pack = matcher.pack
    doc: SourceDoc | None = None
    try:
        doc = load_found(found, settings.limits)
        decision = evaluate(pack, doc, params=params, as_of=as_of, matcher=matcher)
        intake = doc.data if isinstance(doc.data, dict) else None
        decision = layers.apply(decision, intake, as_of, doc.line_of)
        return doc, (json_decision(decision) if as_json else decision)
    except SourceError as exc:
        decision = layers.apply(error_decision(found.path, exc), None, as_of)
    except Exception as exc:  # a bug on this one submission: it alone is in error
        if settings.debug:
            raise
        decision = failed_decision(found.path, exc, use_case_id(doc, pack.form))
    return doc, (json_decision(decision) if as_json else decision)


def _init_worker(settings: Settings, as_json: bool) -> None:
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
                   today(settings), settings, as_json, open_layers(settings, pack))


#: How long to wait for a stopped worker to end before killing it (seconds).
WORKER_STOP_SECONDS = 5.0


#: Chunks of files given to a worker ahead of the one it is on, so it never waits.
CHUNKS_AHEAD = 2


def in_pool(files: list[Found], settings: Settings, jobs: int,
            as_json: bool, *, paired: bool = False) -> list[Any]:
    """The decisions on ``files``, in order, made by ``jobs`` worker processes (each with
    the digest of its file, as :func:`evaluate_found` gives them, when ``paired``).

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
    done: list[list[Any] | None] = [None] * len(chunks)
    workers: dict[Connection, Any] = {}  # pipe -> process
    finished = False
    try:
        for _ in range(min(jobs, len(chunks))):
            mine, theirs = context.Pipe()
            proc = context.Process(target=_work, args=(theirs, mine, fixed, as_json, paired),
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


def _work(pipe: Any, parents: Any, settings: Settings, as_json: bool,
          paired: bool = False) -> None:
    """A worker: evaluate each chunk of files it is sent, until it is sent None (or its
    parent is gone). A bug is sent back, to be raised in the parent as it would be there."""
    parents.close()  # the parent's end: it must close when the parent dies
    failure: Exception | None = None
    try:
        _init_worker(settings, as_json)
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
            each = evaluate_found if paired else evaluate_file
            reply = (index, [each(path) for path in paths], None)
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
