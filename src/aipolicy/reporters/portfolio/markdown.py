"""``report --format markdown``: the portfolio as GitHub-flavoured Markdown (a pull
request comment, a wiki page). Every value is escaped as the check report's Markdown
escapes it (``reporters.markdown``): submitter text can start no heading, link, image,
mention or table cell. Long lists are cut after ``_sections.MAX_ROWS`` rows, and the
whole page after ``budget`` UTF-8 bytes (``reporters.markdown.COMMENT_BUDGET``, under
GitHub's 65,536 characters for a comment), at a line, with a line saying where the rest
is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aipolicy.reporters._text import MAX_ID
from aipolicy.reporters.markdown import COMMENT_BUDGET, fit, md, table

from . import _sections as s
from .changes import markdown_section


def _cell(value: Any) -> Any:
    return "–" if value is None or value == "" else md(value, MAX_ID)


def _block(title: str, items: Sequence[s.Row], cols: Sequence[s.Column],
           level: str = "##") -> list[str]:
    """A blank line, then the section ("None." when empty)."""
    out = ["", f"{level} {title} ({len(items)})", ""]
    if not items:
        return [*out, "None."]
    shown, more = s.rows(items, cols)
    out.append(table([h.capitalize() for h, _ in cols],
                     [[_cell(v) for v in row] for row in shown]))
    return out + (["", f"… and {more} more (see `--format json` or `csv`)"] if more else [])


#: The last line of a page cut to fit (``n``: the lines left out).
CUT = ("… {n} more lines are cut to fit a comment: see `--format json`, `csv` or `html` "
       "for all of it.")


def render(portfolio: dict[str, Any], budget: int = COMMENT_BUDGET) -> str:
    p = portfolio
    pack = p.get("pack") or {}
    summary = p.get("summary") or {}
    filters = [f"{k.replace('_', ' ')} {', '.join(v)}" for k, v in
               (p.get("filters") or {}).items() if v]
    out = ["# AI use-case portfolio", "",
           md(f"{summary.get('use_cases', 0)} use cases, as of {p.get('as_of')}; pack "
              f"{pack.get('name')} {pack.get('version')}"
              + (f"; only {'; '.join(filters)}" if filters else "")), ""]
    out += ["| Count | Values |", "| --- | --- |"]
    for title, values in s.counts(p):
        out.append(f"| {title.capitalize()} | "
                   + (", ".join(f"{_cell(k)} {n}" for k, n in values.items()) or "None")
                   + " |")
    out += _block("By business unit", [
        {"unit": u, "n": n, "status": st} for u, n, st in s.units(p)],
        (("business unit", lambda r: r["unit"]), ("use cases", lambda r: r["n"]),
         ("status", lambda r: r["status"])))
    for key, title, cols in s.LISTS:
        out += _block(title, p.get(key) or [], cols)
    out += _block("Control completion by tier", s.tier_items(p), s.TIER_COLUMNS)
    out += _block("Controls, least completed first", s.least_done(p),
                         s.CONTROL_COLUMNS)
    out += ["", "## Escalation: what resolving the open items takes"]
    for group, items in (p.get("escalation") or {}).items():
        out += _block(group.capitalize(), items, s.ESCALATION_COLUMNS, "###")
    drift = markdown_section(p.get("changes"))
    if drift:
        out += ["", drift.rstrip("\n")]
    lines = "\n".join(out).split("\n")  # a table is one item of out: cut between its rows
    return "\n".join(fit(lines, budget, CUT)) + "\n"
