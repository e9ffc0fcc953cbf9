"""The facts a pack declares as its headline (:class:`~aipolicy.info.Headline`), as
reporters show them: the reporters name no fact of any pack.

A value is shown as text: ``-`` for none (a scale fact with no value), labels joined by
``, `` (``none`` when there are none).  The caller makes the text safe for its format.
"""

from __future__ import annotations

from typing import Any

from aipolicy.decision import Decision, Report
from aipolicy.info import Headline, fact_value


def text(value: Any) -> str:
    """A fact's value as text."""
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def columns(report: Report) -> list[tuple[str, str]]:
    """(column title, fact) of each headline that has a column."""
    return [(h.column, h.facts[0].fact) for h in report.headlines if h.column]


def cell(d: Decision, fact: str) -> str:
    """The text of a fact's column for one decision (``-`` when the decision has none)."""
    return text(fact_value(d.facts, fact)[1])


def parts(d: Decision, headline: Headline) -> list[str] | None:
    """``label value`` for each fact of ``headline`` the decision shows, or None when the
    decision holds none of them (a file that could not be read)."""
    shown: list[str] = []
    present = False
    for each in headline.facts:
        has, value = fact_value(d.facts, each.fact)
        present = present or has
        if each.omit_empty and not value:
            continue
        shown.append(f"{each.label} {text(value)}")
    return shown if present else None
