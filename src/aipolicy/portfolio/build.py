"""The portfolio ``aipolicy report`` shows: a pure function of the JSON report ``check
--format json`` makes (the same dict a decision record holds, and the one a run over an
old revision gives), the pack's and form's :class:`~.facts.Scope` and the filters.

The keys and orders are documented in docs/report.md and fixed; every value that comes
from a submission is the submitter's text, for the reporters to make inert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from . import sections
from .facts import Filters, Scope, category

STATUSES = ("pass", "fail", "incomplete", "error")
NO_UNIT = "(none given)"  # the business unit of a use case whose submission names none

Result = Mapping[str, Any]
EVERY = Filters()  # no filter: every use case


def build(report: Mapping[str, Any], scope: Scope, filters: Filters = EVERY
          ) -> dict[str, Any]:
    """The portfolio of ``report``'s results that ``filters`` keeps."""
    as_of = dt.date.fromisoformat(str(report["as_of"]))
    results = sorted((r for r in report["results"] if filters.keeps(r)),
                     key=lambda r: str(r["file"]))
    exceptions = sections.exceptions(results, report.get("findings") or (), as_of)
    return {
        "tool": report.get("tool"), "pack": report.get("pack"), "form": report.get("form"),
        "as_of": report["as_of"], "parameters": report.get("parameters"),
        "filters": filters.as_dict(),
        "summary": summary(results, scope),
        "attention": sections.attention(results, scope),
        "approval_queue": sections.approval_queue(results, as_of),
        "exceptions": exceptions,
        "reviews": sections.reviews(results, as_of, scope.notice_days),
        "ownership_gaps": sections.ownership_gaps(results),
        "controls": sections.controls(results, scope),
        "escalation": sections.escalation(results, scope),
        "use_cases": [use_case(r, scope, exceptions) for r in results],
        "changes": None,
    }


def _counts(values: Sequence[Any], scale: Sequence[str]) -> dict[str, int]:
    """Counts in ``scale``'s order, zeros kept, then any other value (sorted) after it."""
    out = dict.fromkeys(scale, 0)
    for value in values:
        if value is not None:
            out[str(value)] = out.get(str(value), 0) + 1
    extra = sorted(k for k in out if k not in scale)
    return {**{k: out[k] for k in scale}, **{k: out[k] for k in extra}}


def summary(results: Sequence[Result], scope: Scope) -> dict[str, Any]:
    units: dict[str, list[Result]] = {}
    for r in results:
        unit = r.get("business_unit")
        units.setdefault(unit if isinstance(unit, str) else NO_UNIT, []).append(r)
    return {
        "use_cases": len(results),
        "by_tier": _counts([r.get("tier") for r in results], scope.tiers),
        "by_category": _counts([category(r, scope) for r in results], scope.categories),
        "by_status": _counts([r.get("status") for r in results], STATUSES),
        "by_stage": _counts([r.get("stage") for r in results], scope.stages),
        "by_business_unit": {
            unit: {"use_cases": len(rs),
                   "by_status": _counts([r.get("status") for r in rs], STATUSES),
                   "by_tier": _counts([r.get("tier") for r in rs], scope.tiers)}
            for unit, rs in sorted(units.items())},
    }


def person(value: Any) -> str | None:
    """``Name <email>`` of a ``{name, email}`` (None when none is named)."""
    if not isinstance(value, dict):
        return None
    return f"{value.get('name')} <{value.get('email')}>"


def use_case(r: Result, scope: Scope, exceptions: Sequence[Mapping[str, Any]]
             ) -> dict[str, Any]:
    findings = r.get("findings") or []
    controls = r.get("controls") or []
    schedule = r.get("review_schedule") or {}
    review = r.get("review") or {}
    return {
        "use_case_id": r.get("use_case_id"), "file": r["file"], "title": r.get("title"),
        "business_unit": r.get("business_unit"), "stage": r.get("stage"),
        "owner": person(r.get("owner")), "technical_owner": person(r.get("technical_owner")),
        "status": r["status"], "tier": r.get("tier"), "category": category(r, scope),
        "review_state": review.get("state", "determined"),
        "next_review_due": schedule.get("next_review_due"),
        "last_reviewed": schedule.get("last_reviewed"),
        "open_findings": sum(1 for f in findings if not f.get("waived")),
        "blocking_findings": sum(1 for f in findings
                                 if f.get("blocking") and not f.get("waived")),
        "waived_findings": sum(1 for f in findings if f.get("waived")),
        "controls_required": len(controls),
        "controls_done": sum(1 for c in controls if c.get("satisfied")),
        "next_signer": r.get("next_signer"),
        "exceptions_open": sum(1 for e in exceptions
                               if e["use_case_id"] == r.get("use_case_id")
                               and e["state"] in sections.OPEN_STATES),
    }
