"""Who and what a use case is, as its submission says: the values a portfolio groups and
lists by (business unit, stage, title, owners, on-call, review dates).

Read from the submission's data by the fields the form names (its ``x-aipolicy``
annotation, defaults in :data:`aipolicy.form.schema.DEFAULT_NAMES`); a name may be a
dotted path (``operations.on_call``). Only text is taken: a value of another type (the
form flags it) is None here. The values are submitter text: a reporter makes them inert
before it shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Person:
    """A person the submission names (``{name, email}``), each part as given or None."""

    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class OnCall:
    """Who is paged (``{team, contact}``), each part as given or None."""

    team: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class ReviewSchedule:
    """The periodic review the submission plans, each part as given or None."""

    cadence: str | None = None
    last_reviewed: str | None = None
    next_review_due: str | None = None


@dataclass(frozen=True)
class Identity:
    """Who and what a use case is (all None: the file could not be read)."""

    title: str | None = None
    business_unit: str | None = None
    stage: str | None = None
    owner: Person | None = None
    technical_owner: Person | None = None
    on_call: OnCall | None = None
    review: ReviewSchedule = ReviewSchedule()


NO_IDENTITY = Identity()

#: The kinds of identity field a form names (with the stage, which it names already).
IDENTITY_NAMES = ("title", "business_unit", "owner", "technical_owner", "on_call", "review")


def _at(data: Any, dotted: str) -> Any:
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _pair(value: Any, first: str, second: str) -> tuple[str | None, str | None] | None:
    """The two text parts of a mapping, or None when it has neither as text."""
    if not isinstance(value, dict):
        return None
    a, b = _text(value.get(first)), _text(value.get(second))
    return None if a is None and b is None else (a, b)


def identity_of(data: Any, names: Mapping[str, str]) -> Identity:
    """The identity of a submission's ``data``; ``names``: the form's field names, by kind
    (``stage``, ``title``, ``business_unit``, ``owner``, ``technical_owner``, ``on_call``,
    ``review``)."""
    if not isinstance(data, dict):
        return NO_IDENTITY
    people: dict[str, Person | None] = {}
    for kind in ("owner", "technical_owner"):
        pair = _pair(_at(data, names[kind]), "name", "email")
        people[kind] = Person(*pair) if pair is not None else None
    paged = _pair(_at(data, names["on_call"]), "team", "contact")
    review = _at(data, names["review"])
    schedule = (ReviewSchedule(_text(review.get("cadence")), _text(review.get("last_reviewed")),
                               _text(review.get("next_review_due")))
                if isinstance(review, dict) else ReviewSchedule())
    return Identity(
        title=_text(_at(data, names["title"])),
        business_unit=_text(_at(data, names["business_unit"])),
        stage=_text(_at(data, names["stage"])),
        owner=people["owner"],
        technical_owner=people["technical_owner"],
        on_call=OnCall(*paged) if paged is not None else None,
        review=schedule,
    )
