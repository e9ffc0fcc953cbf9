"""``aipolicy verify-record``: replay each decision record from the current files.

The chain is checked first (:mod:`aipolicy.records.reader`); then every record is
re-evaluated at its recorded date and parameters with the current form, pack, waivers and
approvals, and compared with what it recorded (:mod:`aipolicy.records.compare`).
Records of one run share a date and parameters: each such group is evaluated in one
pass (``--jobs`` workers, as ``check``), each file once however often it was recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from aipolicy._version import __version__
from aipolicy.decision import Decision
from aipolicy.records.compare import Outcome, Replay, Verification, compare
from aipolicy.records.line import canonical, decision_data
from aipolicy.records.reader import Entry, open_records
from aipolicy.sources.discovery import Found

from .layers import Layers, open_layers
from .output import EXIT_FINDINGS, EXIT_OK, guard
from .pool import evaluate_all
from .settings import Settings, open_pack

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack


#: Records replayed at a time: a file of any length is verified in bounded memory.
BATCH = 1000


def verify(path: str, settings: Settings, *, jobs: int = 1) -> Verification:
    """The record file ``path``, its chain checked and each record replayed (its chain's
    entries are not kept: only each record's outcome)."""
    with open_records(path) as records:
        pack = open_pack(settings)
        layers = open_layers(settings, pack)
        outcomes: list[Outcome] = []
        for batch in _batches(records, BATCH):
            outcomes += _verify_batch(batch, pack, layers, settings, jobs)
    return Verification(records.chain(), tuple(outcomes), __version__)


def _batches(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    batch: list[Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _verify_batch(batch: Sequence[Entry], pack: CompiledPack, layers: Layers,
                  settings: Settings, jobs: int) -> list[Outcome]:
    """The outcome of each record of ``batch``, in order: the records of one date and set
    of parameters replayed together, each file once however often it was recorded."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in batch:
        key = (entry.record.as_of, canonical(entry.record.parameters))
        groups.setdefault(key, []).append(entry)
    outcomes: dict[int, Outcome] = {}
    for members in groups.values():
        for entry, replay in _replay(members, pack, layers, settings, jobs):
            outcomes[entry.line] = compare(entry, replay)
    return [outcomes[e.line] for e in batch]


def _replay(members: Sequence[Entry], pack: CompiledPack, layers: Layers,
            settings: Settings, jobs: int) -> list[tuple[Entry, Replay]]:
    """Each record of one date and set of parameters, with what the current files give."""
    first = members[0].record
    pack_ref = {"name": pack.name, "version": pack.version, "digest": pack.digest}
    form_ref = {"id": pack.form.id, "digest": pack.form.digest}
    try:
        as_of = dt.date.fromisoformat(first.as_of)
    except ValueError:
        return [(e, Replay(pack_ref, form_ref, None, (), None, problem=(
            f"its as_of, {first.as_of!r}, is no date: it cannot be replayed"),
            tool_version=__version__)) for e in members]
    params, notes = _parameters(pack, first.parameters)
    paths = list(dict.fromkeys(e.record.intake.path for e in members))
    digests: list[str | None] = []
    fixed = replace(settings, as_of=as_of, params=tuple(
        (name, _as_text(value)) for name, value in params.items() if value is not None))
    # from workers, a decision travels best as its JSON (cheap to unpickle), and is
    # compared as that JSON read back; made here, as its dict
    decisions = evaluate_all([_found(p) for p in paths], pack, params, as_of, fixed,
                             jobs=jobs, as_json=jobs > 1, layers=layers, digests=digests)
    made = {p: (d, digest) for p, d, digest in zip(paths, decisions, digests, strict=True)}
    out = []
    for entry in members:
        decision, digest = made[entry.record.intake.path]
        inputs = tuple((f.kind, f.path, f.digest) for f in layers.inputs_for(decision.use_case_id))
        out.append((entry, Replay(pack_ref, form_ref, digest, inputs, _canonical(decision),
                                  notes=notes, tool_version=__version__)))
    return out


def _canonical(decision: Decision) -> Mapping[str, Any]:
    """The decision's canonical dict (compared with the record's as it is: equal in the
    common case, and through their canonical JSON otherwise, where a tuple is a list)."""
    return decision_data(decision)


def _parameters(pack: CompiledPack, recorded: Mapping[str, Any]
                ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The recorded parameter values the current pack declares, its defaults for the
    rest; a note for each parameter that one side has and the other has not."""
    declared = pack.model.parameters
    values: dict[str, Any] = {name: p.default for name, p in declared.items()}
    notes = []
    for name, value in recorded.items():
        if name in declared:
            values[name] = value
        else:
            notes.append(f"parameter {name} is no longer declared by the pack: not used")
    for name in declared:
        if name not in recorded:
            notes.append(f"parameter {name} is new in the pack: its default is used")
    return values, tuple(notes)


def _as_text(value: object) -> str:
    """A parameter value as ``--param`` gives it (for a worker that starts afresh)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _found(path: str) -> Found:
    """A recorded intake path, read as ``check`` reads a file named on its command line."""
    if os.path.islink(path):
        here = os.path.realpath(os.curdir)
        within = (here, os.path.realpath(os.path.dirname(path) or os.curdir))
        return Found(path, within, "the current directory and the link's own directory")
    return Found(path)


def command(path: str, settings: Settings, *, fmt: str, output: str | None,
            jobs: int | None) -> int:
    """The CLI's ``verify-record``: verify, report in ``fmt``; exit 0 when every record
    reproduces and the chain is intact, else 1 (2 for a usage or configuration error)."""
    import sys

    from aipolicy.reporters.verification import render
    from aipolicy.sources.writing import STDOUT, write_output

    from .check import configuration_read, layer_trees
    from .output import echo

    workers = jobs if jobs is not None else (os.cpu_count() or 1)

    def run() -> Verification:
        done = verify(path, settings, jobs=workers)
        text = render(done, fmt)
        if output and output != STDOUT:
            # what the replay read: the records, the configuration and each intake a record
            # names; --output replaces none of them
            read = [path, *configuration_read(settings),
                    *sorted({o.file for o in done.outcomes})]
            write_output(output, text, inputs=read, trees=layer_trees(settings))
        else:
            echo(text)
        return done

    done: Verification = guard(run, settings.debug)
    sys.exit(EXIT_OK if done.ok else EXIT_FINDINGS)
