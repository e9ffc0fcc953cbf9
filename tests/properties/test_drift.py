"""Properties of compare(): a portfolio compared with itself changes nothing; what one
direction adds the other removes; every list is sorted; tier deltas add up."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aipolicy.portfolio.drift import KEYS, compare, is_empty

SINCE = {"kind": "records", "ref": "r.jsonl", "as_of": "2026-11-01"}
TIERS = ("low", "high", "prohibited")

_ids = st.sampled_from(["A", "B", "C", "D", "E"])
_case = st.fixed_dictionaries({
    "use_case_id": _ids, "file": st.sampled_from(["a.yaml", "b.yaml"]),
    "status": st.sampled_from(["pass", "fail"]), "tier": st.sampled_from(TIERS),
    "stage": st.sampled_from(["pilot", "production", "retired"])})
_exception = st.fixed_dictionaries({
    "id": st.sampled_from(["W1", "W2", "W3"]), "use_case_id": _ids,
    "state": st.sampled_from(["open", "expired", "expiring"])})
_review = st.fixed_dictionaries({
    "use_case_id": _ids, "state": st.sampled_from(["overdue", "due_soon"]),
    "days_until": st.integers(-50, 50)})


@st.composite
def portfolios(draw: st.DrawFn) -> dict[str, Any]:
    cases = {c["use_case_id"]: c for c in draw(st.lists(_case, max_size=5))}
    exceptions = {(e["id"], e["use_case_id"]): e for e in draw(st.lists(_exception,
                                                                         max_size=4))}
    reviews = {r["use_case_id"]: r for r in draw(st.lists(_review, max_size=4))}
    by_tier = {t: sum(1 for c in cases.values() if c["tier"] == t) for t in TIERS}
    return {"summary": {"by_tier": by_tier}, "use_cases": list(cases.values()),
            "exceptions": list(exceptions.values()), "reviews": list(reviews.values())}


@given(portfolios())
def test_a_portfolio_compared_with_itself_changes_nothing(side: dict[str, Any]) -> None:
    assert is_empty(compare(side, side, since=SINCE))


@given(portfolios(), portfolios())
def test_what_one_way_adds_the_other_way_removes(a: dict[str, Any],
                                                  b: dict[str, Any]) -> None:
    forth = compare(a, b, since=SINCE)
    back = compare(b, a, since=SINCE)
    assert tuple(forth) == KEYS
    added = [c["use_case_id"] for c in forth["use_cases_added"]]
    removed = [c["use_case_id"] for c in back["use_cases_retired"] if c["reason"] == "removed"]
    assert added == removed
    new = [(e["id"], e["use_case_id"]) for e in forth["exceptions_new"]]
    gone = [(e["id"], e["use_case_id"]) for e in back["exceptions_closed"]
            if e["reason"] == "removed"]
    assert new == gone
    assert [(s["use_case_id"], s["then"], s["now"]) for s in forth["status_changed"]] == [
        (s["use_case_id"], s["now"], s["then"]) for s in back["status_changed"]]
    for key in KEYS[2:]:
        ids = [str(item.get("use_case_id")) for item in forth[key]]
        assert ids == sorted(ids)
    for tier, row in forth["tier_mix"].items():
        assert row["delta"] == -back["tier_mix"][tier]["delta"]
