"""The pack format's catalogue of sources (``sources:``) and a rule's ``reading:``, as frozen
pydantic models beside :mod:`aipolicy.pack.model` (which uses them). What the compiler does
with them is :mod:`aipolicy.pack.provenance`."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import spec as s

#: A source's date: a day, or only the month or year where that is all the text gives.
SOURCE_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Frozen):
    """A framework that citations name: what kind of text it is, and its date."""

    basis: s.Basis = Field(description="binding (law, where it applies), guidance (an "
                           "authority's non-binding reading of binding text), standard (a "
                           "voluntary standard or framework), practice (the organisation's "
                           "own)")
    title: str = Field(min_length=1, description="the text's full title or number; a "
                       "finding resting on it names it so")
    date: str | None = Field(default=None, pattern=SOURCE_DATE, description="the date of "
                             "the text cited: YYYY-MM-DD, or YYYY-MM or YYYY when that is "
                             "all it gives; left out: undated")
    url: str | None = None
    note: str | None = Field(default=None, description="e.g. which version of the text "
                             "applies, or what the guidance's authority is")

    @field_validator("date", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        if isinstance(value, str) and _is_date(value):
            return value
        if value is None:
            return None
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, or YYYY-MM or YYYY "
                         "when the text gives no more (in quotes: \"2023\")")

    def spec(self) -> s.SourceSpec:
        return s.SourceSpec(basis=self.basis, title=self.title, date=self.date, url=self.url,
                            note=self.note)


class Reading(_Frozen):
    """How a rule reads its binding text where the text alone does not settle it."""

    basis: s.ReadingBasis = Field(description="contested (counsel may read the text "
                                  "otherwise) or guidance (the rule follows a guidance it "
                                  "cites)")
    note: str = Field(min_length=1, description="what the reading is, in a phrase; the "
                      "finding quotes it")

    def spec(self) -> s.ReadingSpec:
        return s.ReadingSpec(basis=self.basis, note=self.note)


def _is_date(text: str) -> bool:
    if not re.match(SOURCE_DATE, text):
        return False
    try:
        dt.date.fromisoformat(text if len(text) == 10 else "2000-01-01")
    except ValueError:  # no such day, e.g. 2025-02-30
        return False
    return True
