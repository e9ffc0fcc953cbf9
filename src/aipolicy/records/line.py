"""The format of a decision record line, its canonical JSON and the chain's digests.

A line is the canonical JSON (sorted keys, no spaces, ASCII only) of one object:

* ``record``: the format's version (1);
* ``recorded_at``: when it was written (UTC, ``YYYY-MM-DDTHH:MM:SSZ``);
* ``as_of``, ``parameters``: the evaluation date and the pack's parameter values;
* ``tool``, ``pack``, ``form``: what decided (the pack's and the form's digests);
* ``intake``: the submission's path as given and the digest of the bytes evaluated;
* ``inputs``: the waiver and approval files that bear on it, each with its digest;
* ``decision``: the canonical decision, as ``check --format json`` shows it;
* ``prev``: the digest of the previous line's bytes (:data:`GENESIS` for the first), so
  that a line edited, removed or moved is seen at the line after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aipolicy.decision import Decision, Report
from aipolicy.serialize import JsonDecision, decision_dict

#: The version of the line format this module writes and reads.
FORMAT = 1

#: ``prev`` of a file's first line.
GENESIS = "sha256:" + "0" * 64

#: The longest line a reader accepts (a decision keeps at most 200 findings, each of
#: bounded text: a real line is a few kilobytes).
MAX_LINE_BYTES = 16 * 1024 * 1024

def canonical(value: Any) -> str:
    """The canonical JSON of ``value``: sorted keys, no spaces, ASCII (so one line)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def line_digest(line: bytes) -> str:
    """The digest a line's successor names as ``prev`` (of its bytes, without newline)."""
    return "sha256:" + hashlib.sha256(line).hexdigest()


def utc_now() -> str:
    """The time now, as ``recorded_at`` holds it."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


#: What a run's inputs give for one use case id: (kind, path, digest) of each file.
InputsFor = Callable[[str | None], Iterable[tuple[str, str, str]]]


def entries(report: Report, digests: Iterable[str | None],
            inputs_for: InputsFor, recorded_at: str | None = None) -> list[dict[str, Any]]:
    """The record lines of a run (without ``prev``, which the writer sets), one for each
    decision of ``report`` in its order; ``digests`` are those of the bytes each was made
    from, ``inputs_for(use_case_id)`` the (kind, path, digest) of each file bearing on it.
    """
    when = recorded_at or utc_now()
    head: dict[str, Any] = {
        "record": FORMAT,
        "recorded_at": when,
        "as_of": report.as_of,
        "tool": {"name": "aipolicy", "version": report.tool_version},
        "pack": report.pack,
        "form": report.form,
        "parameters": dict(report.parameters),
    }
    out = []
    for decision, digest in zip(report.decisions, digests, strict=True):
        out.append({
            **head,
            "intake": {"path": decision.file, "digest": digest},
            "inputs": [{"kind": kind, "path": path, "digest": sha}
                       for kind, path, sha in inputs_for(decision.use_case_id)],
            "decision": decision_data(decision),
        })
    return out


def decision_data(decision: Decision) -> dict[str, Any]:
    """The canonical dict of ``decision``; of a decision that travelled as its JSON, that
    JSON read back (the same data, without rebuilding the decision's objects first)."""
    if isinstance(decision, JsonDecision):
        text = decision.__dict__.get("_json")
        if isinstance(text, str):
            data: dict[str, Any] = json.loads(text)
            return data
    return decision_dict(decision)


def chained(items: Iterable[Mapping[str, Any]], prev: str) -> tuple[bytes, str]:
    """The lines of ``items`` (each given ``prev``, the digest of the line before it),
    newline-terminated, and the digest of the last: the chain's new head."""
    lines = []
    for item in items:
        raw = canonical({**item, "prev": prev}).encode("ascii")
        lines.append(raw)
        prev = line_digest(raw)
    return b"".join(line + b"\n" for line in lines), prev
