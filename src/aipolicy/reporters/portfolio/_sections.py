"""The sections the text formats of the portfolio show, each as headers and rows of raw
values (the table and Markdown reporters make every value safe their own way)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aipolicy.portfolio.build import person

#: A section's list is cut after this many rows, with a line saying how many more.
MAX_ROWS = 50

Row = Mapping[str, Any]
Column = tuple[str, Callable[[Row], Any]]


def _waives(row: Row) -> Any:
    return " ".join(str(v) for v in (row.get("rule"), row.get("control") or row.get("path"))
                    if v)


def _done(row: Row) -> Any:
    return f"{row.get('done')}/{row.get('required')}"


def _percent(row: Row) -> Any:
    value = row.get("percent")
    return "-" if value is None else f"{value}%"


def _get(key: str) -> Callable[[Row], Any]:
    return lambda row: row.get(key)


def _list(key: str) -> Callable[[Row], Any]:
    return lambda row: ", ".join(str(v) for v in row.get(key) or ()) or None


#: (key of the portfolio, title, columns): the list sections, in the order shown
LISTS: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    ("attention", "Needs attention (prohibited, then needs legal review)", (
        ("use case", _get("use_case_id")), ("title", _get("title")),
        ("business unit", _get("business_unit")), ("tier", _get("tier")),
        ("status", _get("status")), ("why", _get("reason")),
        ("open questions", _list("questions")))),
    ("approval_queue", "Approval queue (longest waiting first)", (
        ("use case", _get("use_case_id")), ("business unit", _get("business_unit")),
        ("stage", _get("stage")), ("signs next", _get("next_signer")),
        ("pending", _list("pending")), ("waiting since", _get("waiting_since")),
        ("days", _get("days_waiting")))),
    ("exceptions", "Exceptions (expired, rejected and stale first)", (
        ("waiver", _get("id")), ("use case", _get("use_case_id")), ("waives", _waives),
        ("owner", lambda r: person(r.get("owner"))),
        ("approver", lambda r: person(r.get("approver"))), ("expires", _get("expires")),
        ("days left", _get("days_to_expiry")), ("state", _get("state")))),
    ("reviews", "Reviews overdue and due soon", (
        ("use case", _get("use_case_id")), ("business unit", _get("business_unit")),
        ("owner", lambda r: person(r.get("owner"))), ("due", _get("next_review_due")),
        ("days", _get("days_until")), ("state", _get("state")))),
    ("ownership_gaps", "Ownership gaps (no named person)", (
        ("use case", _get("use_case_id")), ("business unit", _get("business_unit")),
        ("missing", _list("missing")))),
)

CONTROL_COLUMNS: tuple[Column, ...] = (
    ("control", _get("id")), ("title", _get("title")), ("done", _done),
    ("missing", _get("missing")), ("other", _get("other")),
    ("escalation", _get("escalation")))
TIER_COLUMNS: tuple[Column, ...] = (("tier", _get("tier")), ("done", _done),
                                    ("percent", _percent))
ESCALATION_COLUMNS: tuple[Column, ...] = (
    ("use case", _get("use_case_id")), ("kind", _get("kind")), ("id", _get("id")),
    ("title", _get("title")), ("severity", _get("severity")))


def rows(items: Sequence[Row], columns: Sequence[Column]) -> tuple[list[list[Any]], int]:
    """The first :data:`MAX_ROWS` items as rows of raw values, and how many were left."""
    shown = [[get(item) for _, get in columns] for item in items[:MAX_ROWS]]
    return shown, max(0, len(items) - MAX_ROWS)


def tier_items(portfolio: Mapping[str, Any]) -> list[dict[str, Any]]:
    by_tier = (portfolio.get("controls") or {}).get("by_tier") or {}
    return [{"tier": t, **v} for t, v in by_tier.items()]


def least_done(portfolio: Mapping[str, Any]) -> list[Row]:
    """The controls, least completed first (by share done, then id)."""
    items = (portfolio.get("controls") or {}).get("by_control") or []
    return sorted(items, key=lambda c: (c["done"] / c["required"] if c["required"] else 1,
                                        str(c["id"])))


def counts(portfolio: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    summary = portfolio.get("summary") or {}
    return [(title, summary.get(key) or {}) for key, title in (
        ("by_tier", "by tier"), ("by_category", "by category"), ("by_status", "by status"),
        ("by_stage", "by stage"))]


def units(portfolio: Mapping[str, Any]) -> list[list[Any]]:
    by_unit = (portfolio.get("summary") or {}).get("by_business_unit") or {}
    return [[name, v.get("use_cases"),
             ", ".join(f"{k} {n}" for k, n in (v.get("by_status") or {}).items() if n)]
            for name, v in by_unit.items()]
