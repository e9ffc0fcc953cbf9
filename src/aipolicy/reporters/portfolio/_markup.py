"""Inert HTML for the portfolio page: every value escaped, shortened and cleaned first.

Every value shown comes through :func:`esc`: :func:`aipolicy.reporters._text.show` makes it
short and free of control characters, then :func:`html.escape` (``quote=True``) makes it
text in any element or quoted attribute. Markup is compact (optional end tags of cells and
rows left out, no per-row style) so that 5,000 use cases stay within a few megabytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from aipolicy.reporters._text import show

#: A title or a name in a table cell or a chart label.
MAX_CELL = 200
#: Rows shown in one table other than the list of all use cases; the rest are counted.
MAX_ROWS = 2000
#: What an absent value shows as.
NONE = "—"
#: The states a cell is coloured for (the style sheet's ``st-`` classes); others are plain.
STYLED = frozenset({"fail", "error", "incomplete", "expired", "rejected", "stale", "expiring",
                    "overdue", "due_soon", "needs_review", "prohibited"})


def esc(value: object, limit: int = MAX_CELL) -> str:
    """``value`` as inert HTML text: shortened to ``limit``, cleaned, escaped."""
    return html.escape(show(value, limit), quote=True)


def text_of(value: Any, limit: int = MAX_CELL) -> str:
    """A JSON value as the words a cell shows (not yet escaped)."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        if set(value) >= {"name", "email"} or set(value) >= {"team", "contact"}:
            name = value.get("name", value.get("team"))
            mail = value.get("email", value.get("contact"))
            return f"{text_of(name)} <{text_of(mail)}>" if mail else text_of(name)
        if "title" in value:  # a legal question: its title, and the article it is about
            article = value.get("article")
            return text_of(value["title"]) + (f" ({text_of(article)})" if article else "")
        return "; ".join(f"{k}: {text_of(v)}" for k, v in value.items())
    if isinstance(value, list):
        sep = "; " if any(isinstance(v, dict) for v in value) else ", "
        return sep.join(text_of(v) for v in value) if value else NONE
    return str(value)


class Col:
    """A table column: the key it shows, its header, and how a cell of it looks."""

    __slots__ = ("header", "key", "limit", "num", "state")

    def __init__(self, key: str, header: str, *, num: bool = False, state: bool = False,
                 limit: int = MAX_CELL) -> None:
        self.key, self.header, self.num, self.state, self.limit = key, header, num, state, limit


def cell(col: Col, value: Any) -> str:
    shown = esc(text_of(value, col.limit), col.limit)
    if col.num:
        return f'<td class="n">{shown}'
    if col.state and isinstance(value, str) and value in STYLED:
        return f'<td class="st-{value}">{shown}'
    return f"<td>{shown}"


def _th(header: str, num: bool) -> str:
    return f'<th scope="col" class="n">{esc(header)}' if num else f'<th scope="col">{esc(header)}'


def table(caption: str, cols: Sequence[Col], rows: Sequence[dict[str, Any]], *,
          limit: int | None = MAX_ROWS, empty: str = "none") -> str:
    """A sortable, filterable data table; ``empty`` when there are no rows."""
    if not rows:
        return f'<p class="none">{esc(caption)}: {esc(empty)}.</p>'
    head = "".join(_th(c.header, c.num) for c in cols)
    shown = rows if limit is None else rows[:limit]
    body = "\n".join("<tr>" + "".join(cell(c, row.get(c.key)) for c in cols) for row in shown)
    more = ""
    if len(shown) < len(rows):
        more = (f'<p class="more">{len(rows) - len(shown)} more rows are left out of this page; '
                "the json and csv formats hold them all.</p>")
    return (f'<table class="data"><caption>{esc(caption)}</caption>\n<thead><tr>{head}'
            f"</thead>\n<tbody>\n{body}\n</tbody></table>{more}")


def plain_table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
                nums: frozenset[int] = frozenset(), cls: str = "alt") -> str:
    """A small table of fixed shape (a chart's text alternative, a count by scale)."""
    head = "".join(_th(h, i in nums) for i, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(
        f'<td class="n">{esc(text_of(v))}' if i in nums else f"<td>{esc(text_of(v))}"
        for i, v in enumerate(row)) for row in rows)
    return (f'<table class="{cls}"><caption>{esc(caption)}</caption>\n<thead><tr>{head}'
            f"</thead>\n<tbody>\n{body}\n</tbody></table>")
