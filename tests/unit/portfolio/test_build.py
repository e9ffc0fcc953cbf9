"""The portfolio builder, section by section, over small hand-made JSON reports."""

from __future__ import annotations

from typing import Any

from aipolicy.portfolio.build import build
from aipolicy.portfolio.facts import Filters, Scope

SCOPE = Scope(tiers=("low", "high", "prohibited"), category_fact="eu.category",
              categories=("minimal", "high_risk", "prohibited"),
              stages=("pilot", "production"), rule_escalation={"R-BUDGET": "budget"},
              control_escalation={"C-VENDOR": "vendor"}, notice_days=30)


def result(file: str, **given: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": file, "use_case_id": file.upper(), "status": "pass", "tier": "low",
        "title": f"Title of {file}", "business_unit": "Unit", "stage": "pilot",
        "owner": {"name": "O", "email": "o@x.example"}, "technical_owner": None,
        "on_call": {"team": "T", "contact": "t@x.example"},
        "review_schedule": {"cadence": None, "last_reviewed": None, "next_review_due": None},
        "facts": {"eu": {"category": "minimal"}}, "controls": [], "findings": [],
        "blocked": False, "review": {"state": "determined", "questions": []}}
    out.update(given)
    return out


def report(*results: dict[str, Any], findings: list[Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"tool": {}, "pack": {}, "form": {}, "as_of": "2026-12-01",
                           "parameters": {}, "results": list(results)}
    if findings:
        out["findings"] = findings
    return out


def test_counts_keep_the_scales_order_and_zeros() -> None:
    p = build(report(result("b", tier="high", status="fail", business_unit="Zed"),
                     result("a", business_unit=None)), SCOPE)
    assert p["summary"]["by_tier"] == {"low": 1, "high": 1, "prohibited": 0}
    assert p["summary"]["by_category"] == {"minimal": 2, "high_risk": 0, "prohibited": 0}
    assert p["summary"]["by_status"] == {"pass": 1, "fail": 1, "incomplete": 0, "error": 0}
    assert list(p["summary"]["by_business_unit"]) == ["(none given)", "Zed"]
    assert [u["file"] for u in p["use_cases"]] == ["a", "b"]


def test_attention_puts_prohibited_before_needs_review() -> None:
    question = {"id": "q", "field": "f", "title": "Is it?", "why": "w", "article": "Art. 5"}
    p = build(report(result("a", review={"state": "needs_review", "questions": [question]}),
                     result("z", tier="prohibited", blocked=True, status="fail")), SCOPE)
    assert [(a["file"], a["reason"], a["questions"]) for a in p["attention"]] == [
        ("z", "prohibited", []), ("a", "needs_review", ["Is it?"])]


def test_the_approval_queue_waits_since_the_last_sign_off() -> None:
    signoffs = [{"role": "owner", "state": "signed", "date": None},
                {"role": "lead", "state": "signed", "date": "2026-11-01"},
                {"role": "board", "state": "pending", "date": None}]
    p = build(report(result("a", signoffs=signoffs, next_signer="board"),
                     result("b", signoffs=signoffs[2:], next_signer="board")), SCOPE)
    assert [(q["file"], q["pending"], q["waiting_since"], q["days_waiting"])
            for q in p["approval_queue"]] == [("a", ["board"], "2026-11-01", 30),
                                               ("b", ["board"], None, None)]


def test_exceptions_are_listed_once_in_their_gravest_state() -> None:
    waiver = {"id": "W1", "use_case_id": "A", "rule": "R", "control": None, "path": None,
              "owner": None, "approver": None, "ticket": "T", "granted": "2026-01-01",
              "expires": "2026-11-30", "file": "w.yaml", "line": 3}
    waived = {"rule": "R", "waived": True, "waiver": waiver, "blocking": True}
    expired = {"rule": "AIP010", "waived": False, "waiver": dict(waiver, id="W2", line=9)}
    stale = {"rule": "AIP016", "waived": False, "waiver": dict(waiver, id="W3", line=20,
                                                               expires="2027-01-01")}
    p = build(report(result("a", findings=[waived, expired]), findings=[stale]), SCOPE)
    assert [(e["id"], e["state"], e["days_to_expiry"]) for e in p["exceptions"]] == [
        ("W2", "expired", -1), ("W3", "stale", 31), ("W1", "open", -1)]
    assert p["use_cases"][0]["exceptions_open"] == 1


def test_reviews_overdue_then_due_soon_within_the_notice_period() -> None:
    def due(day: str) -> dict[str, Any]:
        return {"cadence": "q", "last_reviewed": None, "next_review_due": day}

    p = build(report(result("a", review_schedule=due("2026-12-20")),
                     result("b", review_schedule=due("2026-11-01")),
                     result("c", review_schedule=due("2027-03-01"))), SCOPE)
    assert [(r["file"], r["days_until"], r["state"]) for r in p["reviews"]] == [
        ("b", -30, "overdue"), ("a", 19, "due_soon")]


def test_ownership_gaps_skip_unreadable_files() -> None:
    p = build(report(result("a"), result("b", on_call=None, owner=None),
                     result("c", status="error", owner=None)), SCOPE)
    assert [(g["file"], g["missing"]) for g in p["ownership_gaps"]] == [
        ("a", ["technical_owner"]), ("b", ["owner", "technical_owner", "on_call"])]


def test_controls_and_escalation() -> None:
    controls = [{"id": "C-VENDOR", "title": "V", "status": "missing", "satisfied": False},
                {"id": "C-X", "title": "X", "status": "done", "satisfied": True}]
    findings = [{"rule": "R-BUDGET", "blocking": True, "waived": False, "title": "B",
                 "severity": "high"},
                {"rule": "R-OTHER", "blocking": True, "waived": True, "title": "O"},
                {"rule": "AIP002", "blocking": True, "waived": False, "title": "Form",
                 "severity": "high"}]
    p = build(report(result("a", tier="high", controls=controls, findings=findings)), SCOPE)
    assert p["controls"]["by_tier"]["high"] == {"required": 2, "done": 1, "percent": 50.0}
    assert p["controls"]["by_tier"]["low"] == {"required": 0, "done": 0, "percent": None}
    assert [(c["id"], c["done"], c["missing"], c["escalation"])
            for c in p["controls"]["by_control"]] == [("C-VENDOR", 0, 1, "vendor"),
                                                      ("C-X", 1, 0, None)]
    groups = {g: [i["id"] for i in items] for g, items in p["escalation"].items()}
    assert groups == {"policy": [], "budget": ["R-BUDGET"], "vendor": ["C-VENDOR"],
                      "local": ["AIP002"], "untagged": []}


def test_filters_apply_before_anything_is_counted() -> None:
    p = build(report(result("a", business_unit="HR"), result("b", business_unit="Ops"),
                     result("c", business_unit="hr", stage="production")), SCOPE,
              Filters(business_unit=("Hr",), stage=("pilot",)))
    assert [u["file"] for u in p["use_cases"]] == ["a"]
    assert p["summary"]["use_cases"] == 1
    assert p["filters"] == {"business_unit": ["Hr"], "stage": ["pilot"], "tier": []}
