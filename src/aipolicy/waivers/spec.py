"""A waiver as plain frozen values: what the layer reads, whether the file was validated
now (:meth:`aipolicy.waivers.model.Waiver.spec`) or rebuilt from the cache (:func:`thaw`)
without importing pydantic, which would cost a run with waivers a tenth of its time."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from aipolicy.pack.spec import optional_text, text

#: The cache entry's format: a change makes every older entry a miss.
FORMAT = 1


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class WaiverSpec:
    id: str
    rule: str
    use_case_id: str
    owner: Person
    approver: Person
    justification: str
    ticket: str
    granted: dt.date
    expires: dt.date
    controls: tuple[str, ...] = ()
    control: str | None = None
    path: str | None = None


def freeze(waivers: list[tuple[WaiverSpec, int]]) -> str:
    """The cache entry of a waiver file's waivers and their lines."""
    return json.dumps({"format": FORMAT, "waivers": [
        {"id": w.id, "rule": w.rule, "use_case_id": w.use_case_id,
         "owner": [w.owner.name, w.owner.email], "approver": [w.approver.name, w.approver.email],
         "justification": w.justification, "ticket": w.ticket,
         "granted": w.granted.isoformat(), "expires": w.expires.isoformat(),
         "controls": list(w.controls), "control": w.control, "path": w.path, "line": line}
        for w, line in waivers]})


def _person(v: Any) -> Person:
    name, email = v
    return Person(text(name), text(email))


def thaw(raw: str) -> list[tuple[WaiverSpec, int]]:
    """The waivers of :func:`freeze`; ValueError (or KeyError, TypeError) when damaged."""
    entry = json.loads(raw)
    if entry.get("format") != FORMAT:
        raise ValueError("cache format")
    out = []
    for w in entry["waivers"]:
        line = w["line"]
        if not isinstance(line, int) or isinstance(line, bool):
            raise ValueError("cache entry: not a line")
        out.append((WaiverSpec(
            id=text(w["id"]), rule=text(w["rule"]), use_case_id=text(w["use_case_id"]),
            owner=_person(w["owner"]), approver=_person(w["approver"]),
            justification=text(w["justification"]), ticket=text(w["ticket"]),
            granted=dt.date.fromisoformat(text(w["granted"])),
            expires=dt.date.fromisoformat(text(w["expires"])),
            controls=tuple(text(c) for c in w["controls"]), control=optional_text(w["control"]),
            path=optional_text(w["path"])), line))
    return out
