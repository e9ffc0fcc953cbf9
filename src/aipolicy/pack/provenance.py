"""What each rule's citations rest on, from the pack's catalogue of sources (``sources:``).

A rule *rests on guidance* when none of its citations is binding and one is guidance, or
when its ``reading:`` says it follows a guidance it cites; it *rests on a contested
reading* when its ``reading:`` says so. Either way its finding says so in one sentence and
carries the basis as data (:func:`rule_basis`). A rule citing only standards or the
organisation's practice makes no claim about the law and says nothing. The words come
from the sources' titles and the rules' notes: nothing here knows any pack's names.
:func:`source_problems` are the checks the compiler runs on the catalogue, and the rest is
the catalogue's JSON for the cache (:mod:`aipolicy.pack.cache`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aipolicy.form.schema import did_you_mean

from .spec import (
    Basis,
    Citation,
    Json,
    PackSpec,
    ReadingBasis,
    ReadingSpec,
    RuleSpec,
    SourceSpec,
    obj,
    optional_text,
    text,
)

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleBasis:
    """A rule that does not rest on binding text as it stands, and what it rests on."""

    reading: ReadingBasis
    note: str | None
    citations: tuple[tuple[Citation, SourceSpec | None], ...]
    sentence: str  # what its finding's message says of it

    def as_dict(self) -> dict[str, Any]:
        """The finding's ``basis`` in JSON: the reading, its note, each citation's basis."""
        return {
            "reading": self.reading,
            "note": self.note,
            "citations": [
                {"framework": c.framework, "clause": c.clause,
                 "basis": None if src is None else src.basis,
                 "date": None if src is None else src.date}
                for c, src in self.citations],
        }


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")


def shown_date(date: str | None) -> str:
    """A source's date as a sentence gives it: ``4 Feb 2025``, ``Jan 2023``, ``2023``,
    or ``undated``."""
    if date is None:
        return "undated"
    if len(date) == 4:
        return date
    day = dt.date.fromisoformat(date if len(date) == 10 else f"{date}-01")
    month = _MONTHS[day.month - 1]  # not strftime("%b"), which follows the locale
    return f"{month} {day.year}" if len(date) == 7 else f"{day.day} {month} {day.year}"


def _named(found: list[SourceSpec]) -> str:
    unique = list(dict.fromkeys(found))
    return " and ".join(f"{src.title} ({src.basis}, {shown_date(src.date)})" for src in unique)


def rule_basis(rule: RuleSpec, sources: Mapping[str, SourceSpec]) -> RuleBasis | None:
    """What the rule rests on when that is guidance or a contested reading; else None."""
    cited = tuple((c, sources.get(c.framework)) for c in rule.citations)
    binding = [src for _c, src in cited if src is not None and src.basis == "binding"]
    guidance = [src for _c, src in cited if src is not None and src.basis == "guidance"]
    reading = rule.reading
    if reading is None and (binding or not guidance):
        return None
    kind: ReadingBasis = "guidance" if reading is None else reading.basis
    note = None if reading is None else reading.note.strip().rstrip(".")
    texts = " and ".join(dict.fromkeys(src.title for src in binding))
    if kind == "guidance":
        against = f"the text of {texts}" if texts else "binding text"
        sentence = f"This rests on {_named(guidance) or 'guidance'}, not on {against}"
    else:
        sentence = "This rests on a contested reading" + (f" of {texts}" if texts else "")
    sentence += f": {note}." if note else "."
    return RuleBasis(reading=kind, note=note, citations=cited, sentence=sentence)


def source_problems(model: PackSpec) -> list[tuple[PathKey, str]]:
    """Once a pack declares ``sources:``, every citation's framework (of its rules, its
    controls and its sign-off policy) must be one of them; a rule's ``reading: {basis:
    guidance}`` must cite a guidance, and a contested reading binding text."""
    sources = model.sources
    problems: list[tuple[PathKey, str]] = []
    cited: list[tuple[PathKey, tuple[Citation, ...]]] = [
        (("rules", i), r.citations) for i, r in enumerate(model.rules)]
    cited += [(("controls", cid), c.citations) for cid, c in model.controls.items()]
    cited.append((("signoffs",), model.signoffs.citations))
    for at, citations in cited if sources else ():
        for j, c in enumerate(citations):
            if c.framework not in sources:
                problems.append(((*at, "citations", j, "framework"), f"the framework "
                                 f"'{c.framework}' is not among the pack's sources "
                                 "(sources:)" + did_you_mean(c.framework, sources)))
    for i, rule in enumerate(model.rules):
        reading = rule.reading
        if reading is None:
            continue
        bases = {sources[c.framework].basis for c in rule.citations if c.framework in sources}
        where: PathKey = ("rules", i, "reading", "basis")
        if reading.basis == "guidance" and "guidance" not in bases:
            problems.append((where, "a reading that follows guidance cites it: give the "
                             "guidance as a citation whose framework's basis is guidance "
                             "in sources:"))
        if reading.basis == "contested" and sources and "binding" not in bases:
            problems.append((where, "a contested reading is a reading of binding text: cite "
                             "it (a framework whose basis is binding in sources:)"))
    return problems


# ----------------------------------------------------------------------------- cache JSON
# Every reader checks the type it returns: a damaged entry raises (and is a miss).


def reading_json(reading: ReadingSpec | None) -> Json:
    return None if reading is None else {"basis": reading.basis, "note": reading.note}


def sources_json(sources: Mapping[str, SourceSpec]) -> Json:
    return {k: {"basis": x.basis, "title": x.title, "date": x.date, "url": x.url,
                "note": x.note} for k, x in sources.items()}


_READING: dict[Json, ReadingBasis] = {"contested": "contested", "guidance": "guidance"}
_BASIS: dict[Json, Basis] = {"binding": "binding", "guidance": "guidance",
                             "standard": "standard", "practice": "practice"}




def reading_of(v: Json) -> ReadingSpec | None:
    if v is None:
        return None
    x = obj(v)
    return ReadingSpec(basis=_READING[x["basis"]], note=text(x["note"]))


def sources_of(v: Json) -> dict[str, SourceSpec]:
    out = {}
    for name, raw in obj(v).items():
        x = obj(raw)
        out[name] = SourceSpec(basis=_BASIS[x["basis"]], title=text(x["title"]),
                               date=optional_text(x["date"]), url=optional_text(x["url"]),
                               note=optional_text(x["note"]))
    return out
