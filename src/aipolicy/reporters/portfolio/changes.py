"""The drift section of the portfolio report (``--compare-to``), as text and as Markdown.

Pure functions of the ``changes`` dict (:func:`aipolicy.portfolio.drift.compare`); the
table and Markdown reporters call them with one line each and show nothing when the
changes are ``None``. Every value is submitter text or may be: shown through
``reporters._text`` (table) and ``reporters.markdown`` (Markdown) only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aipolicy.reporters._text import MAX_ID, MAX_PATH, show
from aipolicy.reporters.markdown import code, md, table
from aipolicy.reporters.table import columns

Row = Mapping[str, Any]


def _what(row: Row) -> Any:
    """What a waiver covers: its control, else its rule."""
    return row.get("control") or row.get("rule")


def _days_overdue(row: Row) -> Any:
    days = row.get("days_until")
    return -days if isinstance(days, int) else None


#: Each list of the changes: its heading, and its columns (heading, value of an item,
#: whether the value is an id or a path, shown in code in Markdown).
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, Callable[[Row], Any], bool], ...]], ...] = (
    ("use_cases_added", "Use cases added", (
        ("use case", lambda r: r.get("use_case_id"), True),
        ("file", lambda r: r.get("file"), True),
        ("tier", lambda r: r.get("tier"), False),
        ("status", lambda r: r.get("status"), False),
        ("stage", lambda r: r.get("stage"), False))),
    ("use_cases_retired", "Use cases retired", (
        ("use case", lambda r: r.get("use_case_id"), True),
        ("file", lambda r: r.get("file"), True),
        ("why", lambda r: r.get("reason"), False),
        ("stage", lambda r: r.get("stage"), False))),
    ("exceptions_new", "New exceptions", (
        ("waiver", lambda r: r.get("id"), True),
        ("use case", lambda r: r.get("use_case_id"), True),
        ("waives", _what, True),
        ("expires", lambda r: r.get("expires"), False),
        ("state", lambda r: r.get("state"), False))),
    ("exceptions_closed", "Exceptions closed", (
        ("waiver", lambda r: r.get("id"), True),
        ("use case", lambda r: r.get("use_case_id"), True),
        ("waives", _what, True),
        ("why", lambda r: r.get("reason"), False),
        ("expires", lambda r: r.get("expires"), False))),
    ("reviews_became_overdue", "Reviews that became overdue", (
        ("use case", lambda r: r.get("use_case_id"), True),
        ("next review due", lambda r: r.get("next_review_due"), False),
        ("days overdue", _days_overdue, False))),
    ("controls_completed", "Controls completed", (
        ("use case", lambda r: r.get("use_case_id"), True),
        ("control", lambda r: r.get("control"), True))),
    ("status_changed", "Status changed", (
        ("use case", lambda r: r.get("use_case_id"), True),
        ("then", lambda r: r.get("then"), False),
        ("now", lambda r: r.get("now"), False))),
)


def _plain(value: Any, is_id: bool) -> str:
    if value is None:
        return "-"
    return show(value, MAX_PATH if is_id else MAX_ID)


def _delta(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def heading(changes: Mapping[str, Any]) -> str:
    """``Changes since HEAD~1 (revision, as of 2026-10-01)``: unescaped, for a caller
    to make safe (the ref is the user's own text)."""
    since = changes.get("since") or {}
    return (f"Changes since {since.get('ref')} ({since.get('kind')}, as of "
            f"{since.get('as_of')})")


def tier_rows(changes: Mapping[str, Any]) -> list[list[Any]]:
    return [[tier, row["then"], row["now"], _delta(row["delta"])]
            for tier, row in (changes.get("tier_mix") or {}).items()]


def table_section(changes: Mapping[str, Any] | None) -> str:
    """The changes as plain text (``""`` without ``--compare-to``)."""
    if changes is None:
        return ""
    out = [show(heading(changes)), ""]
    tiers = tier_rows(changes)
    out.append("Tier mix:" + ("" if tiers else " none"))
    if tiers:
        out += ["  " + line for line in columns(
            ["tier", "then", "now", "change"],
            [[show(c, MAX_ID) for c in row] for row in tiers]).split("\n")]
    for key, title, cols in SECTIONS:
        items: Sequence[Row] = changes.get(key) or ()
        out.append("")
        if not items:
            out.append(f"{title}: none")
            continue
        out.append(f"{title} ({len(items)}):")
        rows = [[_plain(get(item), is_id) for _, get, is_id in cols] for item in items]
        out += ["  " + line for line in columns([h for h, _, _ in cols], rows).split("\n")]
    return "\n".join(out) + "\n"


def _md(value: Any, is_id: bool) -> Any:
    if value is None:
        return "–"
    return code(value, MAX_PATH, in_table=True) if is_id else md(value, MAX_ID)


def markdown_section(changes: Mapping[str, Any] | None, level: int = 2) -> str:
    """The changes as GitHub-flavoured Markdown (``""`` without ``--compare-to``):
    a heading of ``level``, the tier mix and a table per list ("None." when empty)."""
    if changes is None:
        return ""
    mark = "#" * level
    out = [f"{mark} {md(heading(changes))}", "", f"{mark}# Tier mix", ""]
    tiers = tier_rows(changes)
    out.append(table(["Tier", "Then", "Now", "Change"],
                     [[md(c, MAX_ID) for c in row] for row in tiers]) if tiers else "None.")
    for key, title, cols in SECTIONS:
        items: Sequence[Row] = changes.get(key) or ()
        out += ["", f"{mark}# {title} ({len(items)})", ""]
        if not items:
            out.append("None.")
            continue
        out.append(table([h.capitalize() for h, _, _ in cols],
                         [[_md(get(item), is_id) for _, get, is_id in cols]
                          for item in items]))
    return "\n".join(out) + "\n"
