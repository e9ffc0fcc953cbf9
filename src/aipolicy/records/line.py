"""The format of a decision record line, its canonical JSON and the chain's digests.

A line is one object, ASCII only: its own keys sorted and compact, and in ``decision`` the
text of the submission's result in ``check --format json`` (non-ASCII as ``\\u`` escapes),
so that recording does not encode each decision a second time:

* ``record``: the format's version (1);
* ``recorded_at``: when it was written (UTC, ``YYYY-MM-DDTHH:MM:SSZ``);
* ``as_of``, ``parameters``: the evaluation date and the pack's parameter values;
* ``tool``, ``pack``, ``form``: what decided (the pack's and the form's digests);
* ``intake``: the submission's path as given and the digest of the bytes evaluated;
* ``inputs``: the waiver and approval files that bear on it, each with its digest;
* ``decision``: the decision, as ``check --format json`` shows it (the same text);
* ``prev``: the digest of the previous line's bytes (:data:`GENESIS` for the first), so
  that a line edited, removed or moved is seen at the line after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from aipolicy.decision import Decision, Report
from aipolicy.serialize import JsonDecision, decision_dict, decision_json

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


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a pair of surrogates, as JSON writes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def ascii_json(text: str) -> str:
    """JSON ``text`` with every non-ASCII character as its ``\\u`` escape: the same value.
    (Outside strings JSON is ASCII, so only characters in strings are changed.)"""
    return _NON_ASCII.sub(_escape, text) if not text.isascii() else text


def decision_text(decision: Decision) -> str:
    """The text of ``decision``'s result in ``check --format json``, escaped to ASCII: the
    text itself when it travelled as its JSON, else made straight in ASCII (the same
    bytes; a lone surrogate, which the report shows as text, the report's way)."""
    if not isinstance(decision, JsonDecision) or "_json" not in decision.__dict__:
        raw = json.dumps(decision_dict(decision))  # ensure_ascii: every escape the same
        if "\\ud" not in raw:  # no surrogate (nor a character beyond the BMP)
            return raw.replace("\x7f", "\\u007f")  # DEL, which JSON leaves, made inert
    return ascii_json(decision_json(decision))


def line_digest(line: bytes) -> str:
    """The digest a line's successor names as ``prev`` (of its bytes, without newline)."""
    return "sha256:" + hashlib.sha256(line).hexdigest()


def utc_now() -> str:
    """The time now, as ``recorded_at`` holds it."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


#: What a run's inputs give for one use case id: (kind, path, digest) of each file.
InputsFor = Callable[[str | None], Iterable[tuple[str, str, str]]]


class Unchained(NamedTuple):
    """A record line but for its ``prev``: the canonical JSON before the value of ``prev``
    and after it (the writer puts the digest of the line before in between)."""

    before: str
    after: str


def entries(report: Report, digests: Iterable[str | None],
            inputs_for: InputsFor, recorded_at: str | None = None) -> list[Unchained]:
    """The record lines of a run (without ``prev``, which the writer sets), one for each
    decision of ``report`` in its order; ``digests`` are those of the bytes each was made
    from, ``inputs_for(use_case_id)`` the (kind, path, digest) of each file bearing on it.

    What the lines of a run share is made into canonical JSON once: each line is then the
    canonical JSON of its decision, intake and inputs, put into that frame in the places
    the sorted keys give them; the decision is the text of its JSON result, as made where
    it was evaluated (:func:`aipolicy.serialize.decision_json`), ASCII-escaped.
    """
    head: dict[str, Any] = {
        "record": FORMAT,
        "recorded_at": recorded_at or utc_now(),
        "as_of": report.as_of,
        "tool": {"name": "aipolicy", "version": report.tool_version},
        "pack": report.pack,
        "form": report.form,
        "parameters": dict(report.parameters),
    }
    start, holes = _frame(head, ("decision", "inputs", "intake", "prev"))
    out = []
    for decision, digest in zip(report.decisions, digests, strict=True):
        values = {
            "decision": decision_text(decision),
            "inputs": canonical([{"kind": kind, "path": path, "digest": sha}
                                 for kind, path, sha in inputs_for(decision.use_case_id)]),
            "intake": canonical({"path": decision.file, "digest": digest}),
        }
        before, after = [start], ""
        for name, text in holes:
            if name == "prev":  # a string: the writer puts the digest between its quotes
                before.append('"')
                after = '"' + text
                break
            before += (values[name], text)
        out.append(Unchained("".join(before), after))
    return out


def _frame(head: Mapping[str, Any], slots: tuple[str, ...]
           ) -> tuple[str, list[tuple[str, str]]]:
    """The canonical JSON of ``head`` with a hole for each key of ``slots``: the text
    before the first hole, and (key, the text from its hole to the next) for each, in the
    order of the text (that of the sorted keys: ``prev`` is the last of the four)."""
    import secrets

    marks = {name: canonical(f"\x00{secrets.token_hex(8)}:{name}") for name in slots}
    text = canonical({**head, **{name: json.loads(mark) for name, mark in marks.items()}})
    places = sorted((text.index(mark), name) for name, mark in marks.items())
    holes = []
    for i, (at, name) in enumerate(places):
        end = places[i + 1][0] if i + 1 < len(places) else len(text)
        holes.append((name, text[at + len(marks[name]):end]))
    return text[:places[0][0]], holes


def decision_data(decision: Decision) -> dict[str, Any]:
    """The canonical dict of ``decision``; of a decision that travelled as its JSON, that
    JSON read back (the same data, without rebuilding the decision's objects first)."""
    if isinstance(decision, JsonDecision):
        text = decision.__dict__.get("_json")
        if isinstance(text, str):
            data: dict[str, Any] = json.loads(text)
            return data
    return decision_dict(decision)


def chained(items: Iterable[Unchained | Mapping[str, Any]], prev: str
            ) -> tuple[bytes, str]:
    """The lines of ``items`` (each given ``prev``, the digest of the line before it),
    newline-terminated, and the digest of the last: the chain's new head. An item is an
    :class:`Unchained` line, or the record as a mapping."""
    lines = []
    for item in items:
        if isinstance(item, Unchained):
            raw = (item.before + prev + item.after).encode("ascii")
        else:
            raw = canonical({**item, "prev": prev}).encode("ascii")
        lines.append(raw)
        prev = line_digest(raw)
    return b"".join(line + b"\n" for line in lines), prev
