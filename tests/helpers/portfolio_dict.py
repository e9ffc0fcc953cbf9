"""A portfolio dict (what ``report --format json`` holds) made up directly, without intake
files: the HTML page's tests and its benchmark render it at any size, with any text in
every place a submitter writes."""

from __future__ import annotations

from typing import Any

TIERS = ["low", "elevated", "high", "prohibited"]
CATEGORIES = ["out_of_scope", "minimal_risk", "limited_risk", "high_risk", "prohibited"]
STATUSES = ["pass", "fail", "incomplete", "error"]
STAGES = ["idea", "pilot", "production", "retired"]
UNITS = ["Finance", "Human Resources", "Marketing", "Operations", "Retail", "Risk"]
SIGNERS = ["ai_governance_lead", "ai_risk_committee", "dpo"]
CONTROLS = ["CTRL-FRIA", "CTRL-HUMAN-OVERSIGHT", "CTRL-LOGGING", "CTRL-MODEL-CARD"]
GROUPS = ["policy", "budget", "vendor", "local", "untagged"]
STATES = ["expired", "rejected", "stale", "expiring", "open"]


def _text(hostile: str | None, plain: str) -> str:
    return plain if hostile is None else f"{hostile}{plain}"


def portfolio(n: int = 12, *, hostile: str | None = None,
              changes: bool = False) -> dict[str, Any]:
    """A portfolio of ``n`` use cases; ``hostile`` is put before every submitter value."""
    def t(plain: str) -> str:
        return _text(hostile, plain)

    use_cases: list[dict[str, Any]] = []
    for i in range(n):
        tier = TIERS[i % 4] if i % 11 else "prohibited"
        use_cases.append({
            "use_case_id": t(f"UC-{i:05d}"), "file": t(f"intake/uc-{i:05d}.yaml"),
            "title": t(f"Use case number {i}"), "business_unit": t(UNITS[i % len(UNITS)]),
            "stage": STAGES[i % 3],
            "owner": None if i % 7 == 3 else t(f"Owner {i} <o{i}@x.example>"),
            "technical_owner": None if i % 5 == 2 else t(f"Tech {i} <t{i}@x.example>"),
            "status": STATUSES[i % 3] if tier != "prohibited" else "fail", "tier": tier,
            "category": CATEGORIES[(i % 4) + 1],
            "review_state": "needs_review" if i % 9 == 4 else "determined",
            "next_review_due": f"2027-{i % 12 + 1:02d}-01" if i % 6 else None,
            "last_reviewed": f"2026-{i % 12 + 1:02d}-01" if i % 6 else None,
            "open_findings": i % 4, "blocking_findings": i % 3, "waived_findings": i % 2,
            "controls_required": 3 + i % 5, "controls_done": i % 4,
            "next_signer": SIGNERS[i % 3] if i % 4 == 1 else None,
            "exceptions_open": int(i % 8 == 0),
        })
    by_bu: dict[str, Any] = {}
    for uc in use_cases:
        entry = by_bu.setdefault(uc["business_unit"], {
            "use_cases": 0, "by_status": dict.fromkeys(STATUSES, 0),
            "by_tier": dict.fromkeys(TIERS, 0)})
        entry["use_cases"] += 1
        entry["by_status"][uc["status"]] += 1
        entry["by_tier"][uc["tier"]] += 1

    def count(key: str, scale: list[str]) -> dict[str, int]:
        return {v: sum(1 for uc in use_cases if uc[key] == v) for v in scale}

    attention = [
        {"use_case_id": uc["use_case_id"], "file": uc["file"], "title": uc["title"],
         "business_unit": uc["business_unit"], "tier": uc["tier"], "category": uc["category"],
         "status": uc["status"],
         "reason": "prohibited" if uc["tier"] == "prohibited" else "needs_review",
         "questions": [] if uc["tier"] == "prohibited" else [t("Is the derogation met?")]}
        for uc in use_cases if uc["tier"] == "prohibited" or uc["review_state"] == "needs_review"]
    queue = [
        {"use_case_id": uc["use_case_id"], "file": uc["file"],
         "business_unit": uc["business_unit"], "stage": uc["stage"],
         "next_signer": uc["next_signer"], "pending": [uc["next_signer"], "dpo"],
         "waiting_since": "2026-10-01" if j % 3 else None, "days_waiting": 63 if j % 3 else None}
        for j, uc in enumerate(u for u in use_cases if u["next_signer"])]
    exceptions = [
        {"id": t(f"W-{j:04d}"), "use_case_id": uc["use_case_id"], "rule": "EU-ART-6",
         "control": CONTROLS[j % 4] if j % 2 else None, "path": None,
         "owner": {"name": t(f"Waiver owner {j}"), "email": f"w{j}@x.example"},
         "approver": {"name": t("Approver"), "email": "a@x.example"}, "ticket": t(f"GRC-{j}"),
         "granted": "2026-06-01", "expires": "2027-01-01",
         "days_to_expiry": (j * 37) % 400 - 120 if j % 13 else None,
         "state": STATES[j % 5], "file": t("waivers/w.yaml"), "line": 3 + j}
        for j, uc in enumerate(u for u in use_cases if u["exceptions_open"])]
    reviews = [
        {"use_case_id": uc["use_case_id"], "file": uc["file"],
         "business_unit": uc["business_unit"],
         "owner": {"name": t("Owner"), "email": "o@x.example"} if j % 2 else None,
         "cadence": "quarterly", "last_reviewed": "2026-08-01", "next_review_due": "2026-11-01",
         "days_until": -32 + j % 50, "state": "overdue" if j % 2 else "due_soon"}
        for j, uc in enumerate(u for u in use_cases if u["next_review_due"] is None)]
    gaps = [
        {"use_case_id": uc["use_case_id"], "file": uc["file"],
         "business_unit": uc["business_unit"],
         "missing": [k for k in ("owner", "technical_owner") if uc[k] is None]}
        for uc in use_cases if uc["owner"] is None or uc["technical_owner"] is None]
    controls_by_tier: dict[str, Any] = {}
    for tier in TIERS:
        required = sum(uc["controls_required"] for uc in use_cases if uc["tier"] == tier)
        done = sum(uc["controls_done"] for uc in use_cases if uc["tier"] == tier)
        controls_by_tier[tier] = {"required": required, "done": done,
                                  "percent": round(100 * done / required, 1) if required else None}
    by_control = [{"id": c, "title": f"The control {c}", "required": 4 + k, "done": k,
                   "missing": 2, "other": 2, "escalation": GROUPS[k % 4] if k % 3 else None}
                  for k, c in enumerate(CONTROLS)]
    escalation: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
    for j, uc in enumerate(use_cases):
        if uc["blocking_findings"]:
            escalation[GROUPS[j % 5]].append(
                {"use_case_id": uc["use_case_id"], "kind": "rule" if j % 2 else "control",
                 "id": "EU-ART-5" if j % 2 else CONTROLS[j % 4],
                 "title": t("What resolving it takes"), "severity": "high"})
    return {
        "tool": {"name": "aipolicy", "version": "0.2.0"},
        "pack": {"name": "aipolicy-starter", "version": "0.1.0", "digest": "sha256:00"},
        "form": {"id": "urn:aipolicy:form:intake:0.1.0", "digest": "sha256:00"},
        "as_of": "2026-12-03", "parameters": {"act_version": "2026_consolidated"},
        "filters": {"business_unit": [], "stage": [], "tier": []},
        "summary": {
            "use_cases": n, "by_tier": count("tier", TIERS),
            "by_category": count("category", CATEGORIES), "by_status": count("status", STATUSES),
            "by_stage": count("stage", STAGES), "by_business_unit": dict(sorted(by_bu.items())),
        },
        "attention": attention, "approval_queue": queue, "exceptions": exceptions,
        "reviews": reviews, "ownership_gaps": gaps,
        "controls": {"by_tier": controls_by_tier, "by_control": by_control},
        "escalation": escalation, "use_cases": use_cases,
        "changes": _changes(use_cases, t) if changes else None,
    }


def _changes(use_cases: list[dict[str, Any]], t: Any) -> dict[str, Any]:
    first = use_cases[0]["use_case_id"] if use_cases else t("UC-X")
    return {
        "since": {"kind": "revision", "ref": t("HEAD~1"), "as_of": "2026-11-01"},
        "tier_mix": {tier: {"then": 1, "now": 2, "delta": 1} for tier in TIERS},
        "use_cases_added": [{"use_case_id": first, "tier": "high"}],
        "use_cases_retired": [],
        "exceptions_new": [{"use_case_id": first, "id": t("W-NEW"), "expires": "2027-01-01"}],
        "exceptions_closed": [],
        "reviews_became_overdue": [{"use_case_id": first, "next_review_due": "2026-11-15"}],
        "controls_completed": [{"use_case_id": first, "control": "CTRL-FRIA"}],
        "status_changed": [{"use_case_id": first, "then": "fail", "now": "pass"}],
    }
