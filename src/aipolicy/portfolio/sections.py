"""The portfolio's lists, each from the results of a JSON report: what needs attention,
the approval queue, open exceptions, reviews, ownership gaps, control completion and the
escalation groups. Every "days" figure counts from the report's ``as_of``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .facts import GROUPS, Scope, category

Result = Mapping[str, Any]

#: The state of a waiver each waiver finding reports (the others leave it "open").
WAIVER_STATES = {"AIP010": "expired", "AIP011": "expiring", "AIP012": "rejected",
                 "AIP013": "rejected", "AIP014": "rejected", "AIP015": "rejected",
                 "AIP016": "stale", "AIP017": "rejected", "AIP018": "stale",
                 "AIP019": "not_in_force"}
#: Exception states, the ones the forum must act on first.
STATE_ORDER = ("expired", "rejected", "stale", "expiring", "not_in_force", "open")
OPEN_STATES = frozenset({"open", "expiring"})
#: The states listed before all others, whatever their expiry.
FIRST_STATES = frozenset({"expired", "rejected", "stale"})
#: Engine findings about controls: the report lists the controls themselves instead.
CONTROL_FINDINGS = frozenset({"AIP003", "AIP004", "AIP007"})
OWNERSHIP = ("owner", "technical_owner", "on_call")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def _days(since: dt.date | None, until: dt.date | None) -> int | None:
    return None if since is None or until is None else (until - since).days


def attention(results: Sequence[Result], scope: Scope) -> list[dict[str, Any]]:
    """Prohibited (blocked, or the pack's top tier) first, then those that need legal
    review with their open questions; by use case id within each."""
    top = scope.tiers[-1] if scope.tiers else None
    out = []
    for r in results:
        review = r.get("review") or {}
        prohibited = bool(r.get("blocked")) or (top is not None and r.get("tier") == top)
        if not prohibited and review.get("state") != "needs_review":
            continue
        out.append({
            "use_case_id": r.get("use_case_id"), "file": r["file"], "title": r.get("title"),
            "business_unit": r.get("business_unit"), "tier": r.get("tier"),
            "category": category(r, scope), "status": r["status"],
            "reason": "prohibited" if prohibited else "needs_review",
            "questions": [q.get("title") or q.get("id") for q in review.get("questions", ())
                          if review.get("state") == "needs_review"]})
    out.sort(key=lambda a: (a["reason"] != "prohibited", str(a["use_case_id"]), a["file"]))
    return out


def approval_queue(results: Sequence[Result], as_of: dt.date) -> list[dict[str, Any]]:
    """Use cases with a next role to sign: who, who else is pending, and since when (the
    latest sign-off on its path; none yet: unknown). Longest waiting first."""
    out = []
    for r in results:
        if not r.get("next_signer"):
            continue
        signoffs = r.get("signoffs") or []
        dates = [d for d in (_date(s.get("date")) for s in signoffs
                             if s.get("state") == "signed") if d is not None]
        since = max(dates) if dates else None
        out.append({
            "use_case_id": r.get("use_case_id"), "file": r["file"],
            "business_unit": r.get("business_unit"), "stage": r.get("stage"),
            "next_signer": r["next_signer"],
            "pending": [s["role"] for s in signoffs if s.get("state") != "signed"],
            "waiting_since": since.isoformat() if since else None,
            "days_waiting": _days(since, as_of)})
    out.sort(key=lambda q: (q["days_waiting"] is None, -(q["days_waiting"] or 0),
                            str(q["use_case_id"]), q["file"]))
    return out


def exceptions(results: Sequence[Result], run_findings: Iterable[Mapping[str, Any]],
               as_of: dt.date) -> list[dict[str, Any]]:
    """Every waiver the run saw, once (by its file and line), in its gravest state."""
    seen: dict[tuple[Any, Any], dict[str, Any]] = {}
    findings = [f for r in results for f in (r.get("findings") or [])]
    for f in [*findings, *run_findings]:
        w = f.get("waiver")
        if not isinstance(w, dict):
            continue
        state = WAIVER_STATES.get(f["rule"], "open")
        key = (w.get("file"), w.get("line"))
        old = seen.get(key)
        if old is not None and STATE_ORDER.index(old["state"]) <= STATE_ORDER.index(state):
            continue
        expires = _date(w.get("expires"))
        seen[key] = {
            "id": w.get("id"), "use_case_id": w.get("use_case_id"), "rule": w.get("rule"),
            "control": w.get("control"), "path": w.get("path"), "owner": w.get("owner"),
            "approver": w.get("approver"), "ticket": w.get("ticket"),
            "granted": w.get("granted"), "expires": w.get("expires"),
            "days_to_expiry": _days(as_of, expires), "state": state,
            "file": w.get("file"), "line": w.get("line")}
    return sorted(seen.values(), key=lambda e: (
        e["state"] not in FIRST_STATES, e["days_to_expiry"] is None,
        e["days_to_expiry"] or 0, str(e["id"]), str(e["file"]), e["line"] or 0))


def reviews(results: Sequence[Result], as_of: dt.date, notice_days: int
            ) -> list[dict[str, Any]]:
    """Reviews overdue (most overdue first), then those due within the notice period."""
    out = []
    for r in results:
        schedule = r.get("review_schedule") or {}
        due = _date(schedule.get("next_review_due"))
        days = _days(as_of, due)
        if days is None or days > notice_days:
            continue
        out.append({
            "use_case_id": r.get("use_case_id"), "file": r["file"],
            "business_unit": r.get("business_unit"), "owner": r.get("owner"),
            "cadence": schedule.get("cadence"),
            "last_reviewed": schedule.get("last_reviewed"),
            "next_review_due": schedule.get("next_review_due"), "days_until": days,
            "state": "overdue" if days < 0 else "due_soon"})
    out.sort(key=lambda v: (v["days_until"], str(v["use_case_id"]), v["file"]))
    return out


def ownership_gaps(results: Sequence[Result]) -> list[dict[str, Any]]:
    """Use cases (readable ones) that name no owner, technical owner or on-call."""
    out = []
    for r in results:
        missing = [k for k in OWNERSHIP if not r.get(k)]
        if missing and r["status"] != "error":
            out.append({"use_case_id": r.get("use_case_id"), "file": r["file"],
                        "business_unit": r.get("business_unit"), "missing": missing})
    return out


def _percent(done: int, required: int) -> float | None:
    return round(100 * done / required, 1) if required else None


def controls(results: Sequence[Result], scope: Scope) -> dict[str, Any]:
    """Required controls done, per tier (the pack's order) and per control (by id)."""
    tiers: dict[str, list[int]] = {t: [0, 0] for t in scope.tiers}
    per: dict[str, dict[str, Any]] = {}
    for r in results:
        for c in r.get("controls") or []:
            done = bool(c.get("satisfied"))
            if r.get("tier") is not None:
                row = tiers.setdefault(str(r["tier"]), [0, 0])
                row[0] += 1
                row[1] += done
            entry = per.setdefault(c["id"], {
                "id": c["id"], "title": c.get("title"), "required": 0, "done": 0,
                "missing": 0, "other": 0,
                "escalation": scope.control_escalation.get(c["id"])})
            entry["required"] += 1
            if done:
                entry["done"] += 1
            elif c.get("status") == "missing":
                entry["missing"] += 1
            else:
                entry["other"] += 1
    return {"by_tier": {t: {"required": n, "done": d, "percent": _percent(d, n)}
                        for t, (n, d) in tiers.items()},
            "by_control": [per[k] for k in sorted(per)]}


def escalation(results: Sequence[Result], scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Open blocking findings and controls not in place, grouped by what resolving them
    takes (the pack's ``escalation`` tags; engine findings about the file are local)."""
    groups: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {g: {} for g in GROUPS}

    def add(group: str | None, r: Result, kind: str, ident: str, title: Any,
            severity: Any) -> None:
        item = {"use_case_id": r.get("use_case_id"), "kind": kind, "id": ident,
                "title": title, "severity": severity}
        groups[group or "untagged"].setdefault((str(r.get("use_case_id")), r["file"],
                                                kind, ident), item)

    for r in results:
        for f in r.get("findings") or []:
            rule = f["rule"]
            if not f.get("blocking") or f.get("waived") or rule in CONTROL_FINDINGS:
                continue
            tag = "local" if rule.startswith("AIP") else scope.rule_escalation.get(rule)
            add(tag, r, "rule", rule, f.get("title"), f.get("severity"))
        for c in r.get("controls") or []:
            if not c.get("satisfied"):
                add(scope.control_escalation.get(c["id"]), r, "control", c["id"],
                    c.get("title"), None)
    return {g: [items[k] for k in sorted(items)] for g, items in groups.items()}
