"""``report --format table`` (the default): the portfolio as plain text for a terminal.

Every value is made inert and short first (``reporters._text.show``): submitter text can
neither start a line, forge a row, nor reach the terminal as an escape sequence. Long
lists are cut after ``_sections.MAX_ROWS`` rows, with a line saying how many more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aipolicy.reporters._text import MAX_ID, show
from aipolicy.reporters.table import columns

from . import _sections as s
from .changes import table_section


def _cell(value: Any) -> str:
    return "-" if value is None or value == "" else show(value, MAX_ID)


def _block(title: str, items: Sequence[s.Row], cols: Sequence[s.Column]) -> list[str]:
    """A blank line, then the section (its "none" when empty)."""
    if not items:
        return ["", f"{title}: none"]
    shown, more = s.rows(items, cols)
    body = columns([h for h, _ in cols], [[_cell(v) for v in row] for row in shown])
    out = ["", f"{title} ({len(items)}):", *("  " + line for line in body.split("\n"))]
    return out + ([f"  … and {more} more"] if more else [])


def render(portfolio: dict[str, Any]) -> str:
    p = portfolio
    pack = p.get("pack") or {}
    filters = [f"{k.replace('_', ' ')} {', '.join(v)}" for k, v in
               (p.get("filters") or {}).items() if v]
    summary = p.get("summary") or {}
    out = [show(f"Portfolio of {summary.get('use_cases', 0)} use cases, as of "
                f"{p.get('as_of')}; pack {pack.get('name')} {pack.get('version')}"
                + (f"; only {'; '.join(filters)}" if filters else "")), ""]
    for title, values in s.counts(p):
        out.append(f"{title}: " + (", ".join(f"{_cell(k)} {n}" for k, n in values.items())
                                   or "none"))
    unit_rows = s.units(p)
    out += [""] + (["By business unit:", *("  " + line for line in columns(
        ["business unit", "use cases", "status"],
        [[_cell(v) for v in row] for row in unit_rows]).split("\n"))]
        if unit_rows else ["By business unit: none"])
    for key, title, cols in s.LISTS:
        out += _block(title, p.get(key) or [], cols)
    out += _block("Control completion by tier", s.tier_items(p), s.TIER_COLUMNS)
    out += _block("Controls, least completed first", s.least_done(p),
                         s.CONTROL_COLUMNS)
    groups = p.get("escalation") or {}
    out += ["", "Escalation: what resolving the open items takes"]
    for group, items in groups.items():
        out += _block(f"{group}", items, s.ESCALATION_COLUMNS)
    drift = table_section(p.get("changes"))
    if drift:
        out += ["", drift.rstrip("\n")]
    return "\n".join(out) + "\n"
