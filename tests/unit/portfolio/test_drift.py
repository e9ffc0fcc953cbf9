"""compare(): each key of the changes between two portfolio dicts, on hand-made portfolios."""

from __future__ import annotations

from typing import Any

from aipolicy.portfolio.drift import KEYS, compare, controls_done, is_empty, tier_mix

SINCE = {"kind": "revision", "ref": "HEAD~1", "as_of": "2026-11-01"}


def case(uid: str, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"use_case_id": uid, "file": f"intake/{uid}.yaml", "title": uid,
                           "business_unit": "HR", "stage": "production", "tier": "high",
                           "status": "fail"}
    return {**row, **over}


def exception(wid: str, uid: str, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": wid, "use_case_id": uid, "rule": "R1", "control": None,
                           "path": None, "expires": "2027-01-01", "state": "open",
                           "owner": {"name": "A", "email": "a@x"}}
    return {**row, **over}


def review(uid: str, state: str, due: str = "2026-11-15", days: int = -5) -> dict[str, Any]:
    return {"use_case_id": uid, "file": f"intake/{uid}.yaml", "next_review_due": due,
            "days_until": days, "state": state}


def portfolio(cases: list[dict[str, Any]], *, exceptions: list[dict[str, Any]] | None = None,
              reviews: list[dict[str, Any]] | None = None,
              tiers: dict[str, int] | None = None) -> dict[str, Any]:
    return {"summary": {"by_tier": tiers or {"low": 0, "high": len(cases)}},
            "use_cases": cases, "exceptions": exceptions or [], "reviews": reviews or []}


def changes(then: dict[str, Any], now: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return compare(then, now, since=SINCE, **kw)


def test_the_same_portfolio_has_no_changes_and_every_key_in_order() -> None:
    side = portfolio([case("A"), case("B")], exceptions=[exception("W1", "A")],
                     reviews=[review("A", "overdue")])
    got = changes(side, side, done=({"id:A": ["C1"]}, {"id:A": ["C1"]}))
    assert tuple(got) == KEYS
    assert got["since"] == SINCE
    assert is_empty(got)
    assert got["tier_mix"] == {"low": {"then": 0, "now": 0, "delta": 0},
                               "high": {"then": 2, "now": 2, "delta": 0}}


def test_tier_mix_keeps_now_order_then_tiers_only_then_had() -> None:
    then = portfolio([], tiers={"gone": 2, "high": 1})
    now = portfolio([], tiers={"low": 1, "high": 3})
    assert tier_mix(then, now) == {"low": {"then": 0, "now": 1, "delta": 1},
                                   "high": {"then": 1, "now": 3, "delta": 2},
                                   "gone": {"then": 2, "now": 0, "delta": -2}}
    assert not is_empty(changes(then, now))


def test_use_cases_added_are_those_only_now_has_sorted() -> None:
    got = changes(portfolio([case("B")]), portfolio([case("C"), case("B"), case("A")]))
    assert [c["use_case_id"] for c in got["use_cases_added"]] == ["A", "C"]
    assert got["use_cases_added"][0] == {
        "use_case_id": "A", "file": "intake/A.yaml", "title": "A", "business_unit": "HR",
        "stage": "production", "tier": "high", "status": "fail"}


def test_use_cases_retired_are_gone_or_now_at_the_retired_stage() -> None:
    then = portfolio([case("A"), case("B"), case("C", stage="retired")])
    now = portfolio([case("B", stage="retired"), case("C", stage="retired")])
    got = changes(then, now)["use_cases_retired"]
    assert [(c["use_case_id"], c["reason"], c["stage"]) for c in got] == [
        ("A", "removed", "production"), ("B", "retired", "retired")]


def test_a_file_without_use_case_id_is_matched_by_its_file() -> None:
    broken = {"use_case_id": None, "file": "intake/bad.yaml", "status": "error"}
    got = changes(portfolio([broken]), portfolio([broken]))
    assert is_empty(got)
    got = changes(portfolio([]), portfolio([broken]))
    assert got["use_cases_added"][0]["file"] == "intake/bad.yaml"


def test_exceptions_new_are_waivers_only_now_has() -> None:
    then = portfolio([case("A")], exceptions=[exception("W1", "A")])
    now = portfolio([case("A")], exceptions=[exception("W2", "A"), exception("W1", "A")])
    assert changes(then, now)["exceptions_new"] == [
        {"id": "W2", "use_case_id": "A", "rule": "R1", "control": None,
         "expires": "2027-01-01", "state": "open"}]


def test_exceptions_closed_are_gone_or_expired_since() -> None:
    then = portfolio([case("A")], exceptions=[
        exception("W1", "A"), exception("W2", "A"), exception("W3", "A", state="expired")])
    now = portfolio([case("A")], exceptions=[
        exception("W2", "A", state="expired"), exception("W3", "A", state="expired")])
    got = changes(then, now)["exceptions_closed"]
    assert [(e["id"], e["reason"], e["state"]) for e in got] == [
        ("W1", "removed", "open"), ("W2", "expired", "expired")]


def test_reviews_became_overdue_only_those_not_overdue_then() -> None:
    cases = [case("A"), case("B"), case("C")]
    then = portfolio(cases, reviews=[review("A", "due_soon"), review("B", "overdue")])
    now = portfolio([*cases, case("D")], reviews=[
        review("A", "overdue", days=-3), review("B", "overdue"), review("C", "overdue"),
        review("D", "overdue"), review("E", "due_soon")])
    got = changes(then, now)["reviews_became_overdue"]
    assert got == [
        {"use_case_id": "A", "file": "intake/A.yaml", "next_review_due": "2026-11-15",
         "days_until": -3},
        {"use_case_id": "C", "file": "intake/C.yaml", "next_review_due": "2026-11-15",
         "days_until": -5}]  # D is new: it is among use_cases_added


def test_controls_completed_are_done_now_not_then_of_use_cases_in_both() -> None:
    then = portfolio([case("A"), case("B")])
    now = portfolio([case("A"), case("B"), case("N")])
    done = ({"id:A": ["C1"], "id:B": []}, {"id:A": ["C3", "C1", "C2"], "id:N": ["C1"]})
    assert changes(then, now, done=done)["controls_completed"] == [
        {"use_case_id": "A", "control": "C2"}, {"use_case_id": "A", "control": "C3"}]
    assert changes(then, now)["controls_completed"] == []


def test_status_changed_names_then_and_now() -> None:
    then = portfolio([case("A"), case("B", status="pass")])
    now = portfolio([case("A"), case("B", status="incomplete")])
    assert changes(then, now)["status_changed"] == [
        {"use_case_id": "B", "file": "intake/B.yaml", "then": "pass", "now": "incomplete"}]


def test_controls_done_reads_satisfied_controls_of_a_json_report() -> None:
    report = {"results": [
        {"use_case_id": "A", "file": "a.yaml", "controls": [
            {"id": "C2", "satisfied": True}, {"id": "C1", "satisfied": True},
            {"id": "C3", "satisfied": False}]},
        {"use_case_id": None, "file": "bad.yaml", "controls": []}]}
    assert controls_done(report) == {"id:A": ["C1", "C2"], "file:bad.yaml": []}
