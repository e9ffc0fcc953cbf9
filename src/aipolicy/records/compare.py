"""Whether a record still reproduces: the inputs that changed and the decision's fields
that differ, between what was recorded and what the current files give (pure values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aipolicy.serialize import IDENTITY_KEYS

from .line import canonical
from .reader import Chain, Entry

#: The most differences one record reports (then a count of the rest).
MAX_DIFFERENCES = 40

#: The kinds of input a record names, in the order they are reported.
INPUT_KINDS = ("intake", "pack", "form", "waiver", "approval")

#: The decision's fields in the order their differences are reported: the outcome first.
FIELD_ORDER = ("status", "tier", "use_case_id", "file", "blocked", "facts", "approval_path",
               "controls", "findings", "rules_fired")

#: The lists of a decision whose items have an identity, and the key that holds it.
_KEYED = {"controls": "id", "approval_path": "role", "rules_fired": "rule"}


@dataclass(frozen=True)
class Change:
    """An input whose digest is not the one recorded: changed, added, removed, or
    unreadable now (``now`` None)."""

    kind: str  # one of INPUT_KINDS
    name: str  # the file (the pack's name for a pack)
    recorded: str | None
    now: str | None

    @property
    def what(self) -> str:
        if self.recorded is None:
            return "added"
        if self.now is None:
            return "cannot be read" if self.kind == "intake" else "removed"
        return "changed"


@dataclass(frozen=True)
class Difference:
    """A field of the decision (dotted: ``facts.eu_ai_act.category``) that differs;
    None stands for absent."""

    field: str
    recorded: Any
    now: Any


@dataclass(frozen=True)
class Replay:
    """What the current files give for one record."""

    pack: Mapping[str, str]
    form: Mapping[str, str]
    intake: str | None  # the digest of the intake's bytes now (None: cannot be read)
    inputs: tuple[tuple[str, str, str], ...]  # (kind, path, digest) bearing on it now
    decision: Mapping[str, Any] | None  # None: it could not be re-evaluated (``problem``)
    problem: str | None = None
    notes: tuple[str, ...] = ()
    tool_version: str = ""


@dataclass(frozen=True)
class Outcome:
    """One record, verified."""

    line: int
    file: str
    use_case_id: str | None
    recorded_at: str
    as_of: str
    changes: tuple[Change, ...] = ()
    differences: tuple[Difference, ...] = ()
    more: int = 0  # differences beyond those kept
    problem: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def reproduced(self) -> bool:
        return not self.changes and not self.differences and self.problem is None


@dataclass(frozen=True)
class Verification:
    """A record file verified: its chain (what was read of it: its lines, head and
    problems; the entries themselves are not kept) and each record's outcome."""

    chain: Chain
    outcomes: tuple[Outcome, ...]
    tool_version: str

    @property
    def ok(self) -> bool:
        return self.chain.intact and all(o.reproduced for o in self.outcomes)

    def summary(self) -> dict[str, Any]:
        reproduced = sum(1 for o in self.outcomes if o.reproduced)
        return {"lines": self.chain.lines, "records": len(self.outcomes),
                "reproduced": reproduced, "not_reproduced": len(self.outcomes) - reproduced,
                "chain_intact": self.chain.intact, "chain_problems": len(self.chain.problems)}


def compare(entry: Entry, replay: Replay) -> Outcome:
    """``entry``'s record against what the current files give for it."""
    record = entry.record
    recorded = record.decision
    notes = replay.notes
    if replay.tool_version and record.tool.version != replay.tool_version:
        notes = (f"recorded by aipolicy {record.tool.version}, verified with "
                 f"{replay.tool_version}", *notes)
    found = differences(recorded, replay.decision) if replay.decision is not None else []
    return Outcome(line=entry.line, file=record.intake.path,
                   use_case_id=_text_or_none(recorded.get("use_case_id")),
                   recorded_at=record.recorded_at, as_of=record.as_of,
                   changes=tuple(_changes(entry, replay)),
                   differences=tuple(found[:MAX_DIFFERENCES]),
                   more=max(0, len(found) - MAX_DIFFERENCES), problem=replay.problem,
                   notes=notes)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _changes(entry: Entry, replay: Replay) -> Iterable[Change]:
    record = entry.record
    if record.intake.digest != replay.intake:
        yield Change("intake", record.intake.path, record.intake.digest, replay.intake)
    if record.pack.digest != replay.pack.get("digest"):
        yield Change("pack", replay.pack.get("name", record.pack.name), record.pack.digest,
                     replay.pack.get("digest"))
    if record.form.digest != replay.form.get("digest"):
        yield Change("form", replay.form.get("id", record.form.id), record.form.digest,
                     replay.form.get("digest"))
    then: dict[tuple[str, str], str] = {(i.kind, i.path): i.digest for i in record.inputs}
    now: dict[tuple[str, str], str] = {(kind, path): digest
                                       for kind, path, digest in replay.inputs}
    for kind in ("waiver", "approval"):
        names = [k for k in then if k[0] == kind] + [k for k in now
                                                      if k[0] == kind and k not in then]
        for key in names:
            if then.get(key) != now.get(key):
                yield Change(kind, key[1], then.get(key), now.get(key))


def differences(recorded: Mapping[str, Any], now: Mapping[str, Any]) -> list[Difference]:
    """The fields of two canonical decisions that differ (in :data:`FIELD_ORDER`, then
    any others, but not the use case's identity: who owns it is not what was decided,
    and a record from before the identity keys still reproduces); lists of controls,
    approval steps, fired rules and findings by their identity, so that one more or one
    less is named, not every item after it."""
    if recorded == now or canonical(recorded) == canonical(now):
        return []
    import json

    a, b = json.loads(canonical(recorded)), json.loads(canonical(now))  # lists, not tuples
    out: list[Difference] = []
    for key in [*FIELD_ORDER, *(k for k in _keys(a, b) if k not in FIELD_ORDER)]:
        if (key not in a and key not in b) or key in IDENTITY_KEYS:
            continue
        if key in _KEYED:
            _diff(key, _by(a.get(key), _KEYED[key]), _by(b.get(key), _KEYED[key]), out)
        elif key == "findings":
            _diff(key, _findings(a.get(key)), _findings(b.get(key)), out)
        elif key == "facts":
            _diff(key, a.get(key), b.get(key), out)
        elif canonical(a.get(key)) != canonical(b.get(key)):
            out.append(Difference(key, a.get(key), b.get(key)))
    return out


def _keys(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    return list(a) + [k for k in b if k not in a]


def _diff(where: str, a: Any, b: Any, out: list[Difference]) -> None:
    """The leaves of ``a`` and ``b`` that differ, dotted below ``where``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in _keys(a, b):
            _diff(f"{where}.{key}", a.get(key), b.get(key), out)
    elif canonical(a) != canonical(b):
        out.append(Difference(where, a, b))


def _by(items: Any, key: str) -> Any:
    """A list of objects as a mapping from each one's ``key`` (as it is, if it is none)."""
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return items
    out: dict[str, Any] = {}
    for item in items:
        name = str(item.get(key))
        out[_unique(name, out)] = item
    return out


def _findings(items: Any) -> Any:
    """Findings by rule (and the field, control or file they concern), so that one more
    or one less is named, not every finding after it."""
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return items
    out: dict[str, Any] = {}
    for item in items:
        name = str(item.get("rule"))
        for part in ("path", "control", "file"):
            if item.get(part) is not None:
                name += f"[{item[part]}]"
        out[_unique(name, out)] = item
    return out


def _unique(name: str, taken: Mapping[str, Any]) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name}#{n}" in taken:
        n += 1
    return f"{name}#{n}"
