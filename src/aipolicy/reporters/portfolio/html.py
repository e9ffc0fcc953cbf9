"""The portfolio as one self-contained HTML page (``report --format html``).

A pure function of the portfolio dict (``report --format json``): the same dict gives the
same bytes. The page loads nothing (its content policy is ``default-src 'none'`` and
admits only its own style sheet and script, by digest), needs no script to be read (the
script adds sorting and filtering to tables that are complete without it), draws its four
charts as inline SVG with a text alternative each (:mod:`.svg`), and prints on A4.
Everything from a submission or a pack is escaped (:mod:`._markup`); nothing of theirs is
put into the style sheet or the script.
"""

from __future__ import annotations

from typing import Any

from . import svg
from ._assets import CSP, CSS, JS
from ._markup import MAX_CELL, Col, esc, plain_table, table, text_of

TITLE = "AI use-case portfolio"


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{esc(title)}</h2>\n' \
           f"{body}\n</section>\n"


def _counts(caption: str, counts: dict[str, Any]) -> str:
    total = sum(v for v in counts.values() if isinstance(v, int))
    rows = [(k, v, f"{100 * v / total:.0f}%" if total and isinstance(v, int) else None)
            for k, v in counts.items()]
    return plain_table(caption, [caption.split(" by ", 1)[-1], "use cases", "share"], rows,
                       frozenset({1, 2}), cls="counts")


def _header(p: dict[str, Any]) -> str:
    tool, pack, form = p.get("tool") or {}, p.get("pack") or {}, p.get("form") or {}
    filters = p.get("filters") or {}
    applied = "; ".join(f"{k}: {text_of(v)}" for k, v in filters.items() if v) or "none"
    return (f"<header><h1>{esc(TITLE)}</h1>\n<p class=\"meta\">As of {esc(p.get('as_of'))}"
            f" · pack {esc(pack.get('name'))} {esc(pack.get('version'))}"
            f" · form {esc(form.get('id'))} · {esc(tool.get('name'))} "
            f"{esc(tool.get('version'))} · filters: {esc(applied)}</p></header>\n")


def _headline(p: dict[str, Any]) -> str:
    summary = p.get("summary") or {}
    status = summary.get("by_status") or {}
    attention = p.get("attention") or []
    cards = [
        ("use cases", summary.get("use_cases", 0)),
        ("fail", status.get("fail", 0)), ("incomplete", status.get("incomplete", 0)),
        ("error", status.get("error", 0)),
        ("prohibited", sum(1 for a in attention if a.get("reason") == "prohibited")),
        ("need legal review", sum(1 for a in attention if a.get("reason") == "needs_review")),
        ("awaiting sign-off", len(p.get("approval_queue") or [])),
        ("exceptions", len(p.get("exceptions") or [])),
        ("reviews overdue", sum(1 for r in p.get("reviews") or [] if r.get("state") == "overdue")),
        ("ownership gaps", len(p.get("ownership_gaps") or [])),
    ]
    items = "".join(f"<li><b>{esc(n)}</b>{esc(label)}" for label, n in cards)
    charts = (svg.tiers(summary.get("by_tier") or {})
              + svg.units(summary.get("by_business_unit") or {}))
    counts = "".join(_counts(caption, summary.get(key) or {}) for caption, key in (
        ("Use cases by category", "by_category"),
        ("Use cases by status", "by_status"), ("Use cases by stage", "by_stage")))
    return _section("headline", "Headline counts",
                    f'<ul class="cards">{items}</ul>\n<div class="grid">{charts}</div>\n'
                    f'<div class="grid counts-row">{counts}</div>')


ATTENTION = [Col("reason", "reason", state=True), Col("use_case_id", "use case"),
             Col("title", "title"), Col("business_unit", "business unit"),
             Col("tier", "tier", state=True), Col("category", "category"),
             Col("status", "status", state=True), Col("questions", "open questions"),
             Col("file", "file")]
QUEUE = [Col("use_case_id", "use case"), Col("business_unit", "business unit"),
         Col("stage", "stage"), Col("next_signer", "signs next"), Col("pending", "pending"),
         Col("waiting_since", "waiting since"), Col("days_waiting", "days waiting", num=True),
         Col("file", "file")]
EXCEPTIONS = [Col("state", "state", state=True), Col("id", "waiver"),
              Col("use_case_id", "use case"), Col("rule", "rule"), Col("control", "control"),
              Col("owner", "owner"), Col("approver", "approver"), Col("ticket", "ticket"),
              Col("granted", "granted"), Col("expires", "expires"),
              Col("days_to_expiry", "days to expiry", num=True), Col("where", "file:line")]
REVIEWS = [Col("state", "state", state=True), Col("use_case_id", "use case"),
           Col("business_unit", "business unit"), Col("owner", "owner"),
           Col("cadence", "cadence"), Col("last_reviewed", "last reviewed"),
           Col("next_review_due", "due"), Col("days_until", "days until due", num=True)]
GAPS = [Col("use_case_id", "use case"), Col("business_unit", "business unit"),
        Col("missing", "no named person as"), Col("file", "file")]
BY_CONTROL = [Col("id", "control"), Col("title", "title"), Col("required", "required", num=True),
              Col("done", "done", num=True), Col("missing", "missing", num=True),
              Col("other", "other", num=True), Col("escalation", "escalation")]
ESCALATION = [Col("kind", "kind"), Col("id", "rule or control"), Col("title", "title"),
              Col("severity", "severity", state=True), Col("count", "use cases", num=True),
              Col("use_cases", "which")]
#: Use case ids listed for one escalation item; the rest are counted.
MAX_LISTED = 12
USE_CASES = [Col("use_case_id", "use case"), Col("title", "title"),
             Col("business_unit", "business unit"), Col("stage", "stage"),
             Col("owner", "owner"), Col("status", "status", state=True), Col("tier", "tier"),
             Col("category", "category"), Col("review_state", "review", state=True),
             Col("next_review_due", "review due"), Col("open_findings", "open", num=True),
             Col("blocking_findings", "blocking", num=True),
             Col("waived_findings", "waived", num=True), Col("controls", "controls done"),
             Col("next_signer", "signs next"), Col("exceptions_open", "exceptions", num=True),
             Col("file", "file")]
#: What each escalation group asks of the meeting.
GROUPS = {"policy": "a policy decision", "budget": "a budget decision",
          "vendor": "a vendor's action", "local": "the team itself",
          "untagged": "not tagged by the pack"}


def _exception_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "where": f"{text_of(r.get('file'))}:{text_of(r.get('line'))}"} for r in rows]


def _use_case_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "controls": f"{text_of(r.get('controls_done'))}/"
                              f"{text_of(r.get('controls_required'))}"} for r in rows]


def _items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An escalation group's open items, one row per rule or control with its use cases."""
    items: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (text_of(row.get("kind")), text_of(row.get("id")))
        item = items.setdefault(key, {"kind": row.get("kind"), "id": row.get("id"),
                                      "title": row.get("title"),
                                      "severity": row.get("severity"), "ids": []})
        item["ids"].append(row.get("use_case_id"))
    out = []
    for key in sorted(items):
        item = items[key]
        ids = item.pop("ids")
        listed = ", ".join(text_of(i, MAX_CELL) for i in ids[:MAX_LISTED])
        more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
        out.append({**item, "count": len(ids), "use_cases": listed + more})
    return out


def _escalation(groups: dict[str, Any]) -> str:
    parts = []
    for name, rows in groups.items():
        what = GROUPS.get(name, name)
        parts.append(f"<h3>{esc(name)}: {esc(what)} ({len(rows or [])} open)</h3>\n"
                     + table(f"Open items needing {what}", ESCALATION, _items(rows or [])))
    return "\n".join(parts) or '<p class="none">none.</p>'


def _changes(changes: dict[str, Any]) -> str:
    since = changes.get("since") or {}
    parts = [f"<p>Since {esc(since.get('kind'))} {esc(since.get('ref'))} "
             f"(as of {esc(since.get('as_of'))}).</p>"]
    mix = changes.get("tier_mix") or {}
    if mix:
        parts.append(plain_table("Tier mix", ["tier", "then", "now", "change"],
                                 [(t, v.get("then"), v.get("now"), v.get("delta"))
                                  for t, v in mix.items()], frozenset({1, 2, 3}), cls="counts"))
    for key, value in changes.items():
        if key in ("since", "tier_mix") or not isinstance(value, list):
            continue
        rows = [v for v in value if isinstance(v, dict)]
        keys = list(dict.fromkeys(k for row in rows for k in row))
        caption = key.replace("_", " ").capitalize()
        parts.append(table(caption, [Col(k, k.replace("_", " "), num=k.startswith("days"))
                                     for k in keys], rows))
    return "\n".join(parts)


def render(portfolio: dict[str, Any]) -> str:
    """The whole page, as text (UTF-8 when written)."""
    p = portfolio
    controls = p.get("controls") or {}
    exceptions = p.get("exceptions") or []
    sections = [
        _headline(p),
        _section("attention", "Needs attention: prohibited and needing legal review",
                 table("Prohibited first, then needing legal review", ATTENTION,
                       p.get("attention") or [])),
        _section("approvals", "Approval queue",
                 table("Who signs next, longest waiting first", QUEUE,
                       p.get("approval_queue") or [])),
        _section("exceptions", "Exceptions",
                 svg.expiry(exceptions) + table(
                     "Every waiver: expired, rejected and stale first, then by days to expiry",
                     EXCEPTIONS, _exception_rows(exceptions))),
        _section("reviews", "Reviews overdue and due soon",
                 table("Overdue first, then due within the notice period", REVIEWS,
                       p.get("reviews") or [])),
        _section("ownership", "Ownership gaps",
                 table("Use cases without a named person", GAPS, p.get("ownership_gaps") or [])),
        _section("controls", "Control completion",
                 svg.controls(controls.get("by_tier") or {}) + table(
                     "Per control", BY_CONTROL, controls.get("by_control") or [])),
        _section("escalation", "Escalation: what resolving open items takes",
                 _escalation(p.get("escalation") or {})),
        _section("use-cases", "All use cases",
                 table("One row per use case, by file", USE_CASES,
                       _use_case_rows(p.get("use_cases") or []), limit=None)),
    ]
    if p.get("changes"):
        sections.append(_section("changes", "Changes", _changes(p["changes"])))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP, 1000)}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(TITLE)} · {esc(p.get('as_of'), MAX_CELL)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n{_header(p)}<main>\n"
            + "".join(sections)
            + f"</main>\n<script>{JS}</script>\n</body>\n</html>\n")
