"""The waiver layer: what a waiver waives, and each outcome about the waiver itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from aipolicy.decision import Decision, Finding
from aipolicy.pack.spec import WaiverApproval, WaiverPolicy
from aipolicy.waivers.apply import WaiverLayer
from aipolicy.waivers.load import LoadedWaiver, WaiverFile
from aipolicy.waivers.model import Waiver
from helpers.paths import starter_pack

DAY = dt.date(2026, 11, 22)
OWNER = "owner@example.com"
INTAKE: dict[str, Any] = {"use_case_id": "HR-0042", "owner": {"name": "O", "email": OWNER},
                          "technical_owner": {"name": "T", "email": "tech@example.com"}}
BLOCKING = Finding("V-LOG-RETENTION", "high", True, "Logs are kept too briefly.",
                   path="log_retention_months", line=59)
CONTROL = Finding("AIP003", "high", True, "CTRL-NYC-BIAS-AUDIT is not_started.",
                  path="controls.3", line=92, control="CTRL-NYC-BIAS-AUDIT")
ADVISORY = Finding("V-REVIEW-OVERDUE", "low", False, "Review overdue.", line=7)


def decision(*findings: Finding) -> Decision:
    return Decision(file="intake/hr.yaml", use_case_id="HR-0042",
                    status="fail" if any(f.blocking for f in findings) else "pass",
                    tier="high", findings=findings)


def waiver(**changes: Any) -> LoadedWaiver:
    fields: dict[str, Any] = {
        "id": "WVR-1", "rule": "V-LOG-RETENTION", "use_case_id": "HR-0042",
        "owner": {"name": "Wes Owner", "email": "wes@example.com"},
        "approver": {"name": "Risk Committee", "email": "risk@example.com"},
        "justification": "Log store migration in progress.", "ticket": "RISK-1",
        "granted": "2026-11-01", "expires": "2027-01-31"}
    fields.update(changes)
    return LoadedWaiver(Waiver.model_validate(fields).spec(), "waivers/hr.yaml", 3)


def layer(*waivers: LoadedWaiver, members: dict[str, frozenset[str]] | None = None,
          policy: WaiverPolicy | None = None) -> WaiverLayer:
    made = WaiverLayer.of([WaiverFile("waivers/hr.yaml", "sha256:0", waivers)], starter_pack())
    if members is not None:
        made = replace(made, members=members)
    if policy is not None:
        made = replace(made, policy=policy)
    return made


def run(the_layer: WaiverLayer, start: Decision) -> Decision:
    return the_layer(start, INTAKE, DAY)


def outcomes(d: Decision) -> list[str]:
    return [f.rule for f in d.findings if f.file == "waivers/hr.yaml"]


def test_a_valid_waiver_waives_the_finding_which_stays_in_the_report() -> None:
    done = run(layer(waiver()), decision(BLOCKING, ADVISORY))
    assert done.status == "pass"
    [waived] = [f for f in done.findings if f.rule == "V-LOG-RETENTION"]
    assert waived.waived
    assert waived.message == BLOCKING.message
    assert waived.waiver == {
        "id": "WVR-1", "owner": {"name": "Wes Owner", "email": "wes@example.com"},
        "approver": {"name": "Risk Committee", "email": "risk@example.com"},
        "justification": "Log store migration in progress.", "ticket": "RISK-1",
        "granted": "2026-11-01", "expires": "2027-01-31", "controls": [],
        "file": "waivers/hr.yaml", "line": 3, "rule": "V-LOG-RETENTION",
        "use_case_id": "HR-0042", "control": None, "path": None}
    assert outcomes(done) == []


def test_a_use_case_no_waiver_names_is_left_as_it_is() -> None:
    start = replace(decision(BLOCKING), use_case_id="HR-0043")
    assert run(layer(waiver()), start) is start


def test_an_expired_waiver_waives_nothing() -> None:
    done = run(layer(waiver(granted="2026-06-01", expires="2026-11-21")), decision(BLOCKING))
    assert done.status == "fail"
    assert outcomes(done) == ["AIP010"]
    [expired] = [f for f in done.findings if f.rule == "AIP010"]
    assert not expired.waived
    assert expired.waiver is not None  # the waiver's details, for the portfolio report
    assert (expired.waiver["id"], expired.waiver["expires"]) == ("WVR-1", "2026-11-21")
    assert (expired.file, expired.line, expired.blocking) == ("waivers/hr.yaml", 3, False)
    assert "expired on 2026-11-21" in expired.message


def test_a_waiver_on_its_last_day_still_waives_and_warns() -> None:
    done = run(layer(waiver(expires="2026-11-22")), decision(BLOCKING))
    assert done.status == "pass"
    [soon] = [f for f in done.findings if f.rule == "AIP011"]
    assert "expires today" in soon.message
    assert not soon.blocking


def test_a_waiver_expiring_within_the_notice_period_warns() -> None:
    assert outcomes(run(layer(waiver(expires="2026-12-22")), decision(BLOCKING))) == ["AIP011"]
    assert outcomes(run(layer(waiver(expires="2026-12-23")), decision(BLOCKING))) == []


@pytest.mark.parametrize("approver", [OWNER, " Owner@Example.COM ", "tech@example.com",
                                      "WES@example.com"])
def test_an_owner_cannot_approve_a_waiver(approver: str) -> None:
    done = run(layer(waiver(approver={"name": "Me", "email": approver})), decision(BLOCKING))
    assert done.status == "fail"
    assert outcomes(done) == ["AIP012"]
    assert not any(f.waived for f in done.findings)


def test_where_the_pack_names_role_holders_the_approver_must_hold_an_allowed_role() -> None:
    members = {"ai_risk_committee": frozenset({"risk@example.com"}),
               "ai_governance_lead": frozenset({"lead@example.com"})}
    ok = run(layer(waiver(), members=members), decision(BLOCKING))
    assert ok.status == "pass"  # a high finding: ai_risk_committee may approve
    by_lead = waiver(approver={"name": "Lead", "email": "lead@example.com"})
    done = run(layer(by_lead, members=members), decision(BLOCKING))
    assert outcomes(done) == ["AIP013"]
    assert done.status == "fail"
    [rejected] = [f for f in done.findings if f.rule == "AIP013"]
    assert "holder of ai_risk_committee" in rejected.message
    assert "as holding ai_governance_lead" in rejected.message


def test_without_named_holders_any_independent_approver_will_do() -> None:
    by_lead = waiver(approver={"name": "Lead", "email": "lead@example.com"})
    assert run(layer(by_lead), decision(BLOCKING)).status == "pass"


def test_a_waiver_longer_than_the_policy_allows_is_rejected() -> None:
    # the starter pack: a high finding's waiver runs at most 180 days
    done = run(layer(waiver(granted="2026-11-01", expires="2027-05-01")), decision(BLOCKING))
    assert outcomes(done) == ["AIP014"]
    assert any("runs 181 days" in f.message for f in done.findings)
    assert run(layer(waiver(granted="2026-11-01", expires="2027-04-30")),
               decision(BLOCKING)).status == "pass"


def test_a_policy_default_duration_applies_where_by_severity_says_nothing() -> None:
    policy = WaiverPolicy(not_waivable=(), notice_days=0, max_days=10,
                          by_severity={"critical": WaiverApproval(approvers=(), max_days=5)})
    done = run(layer(waiver(), policy=policy), decision(BLOCKING))
    assert outcomes(done) == ["AIP014"]


def test_a_prohibition_cannot_be_waived() -> None:
    banned = Finding("PROH-5F", "critical", True, "Emotion recognition at work.", line=4)
    done = run(layer(waiver(rule="PROH-5F", expires="2026-12-31")), decision(banned))
    assert "AIP015" in outcomes(done)
    assert done.status == "fail"


def test_a_waiver_that_matches_nothing_is_a_stale_exception() -> None:
    done = run(layer(waiver()), decision(ADVISORY))
    assert outcomes(done) == ["AIP016"]
    assert done.status == "pass"
    assert any("Stale exception" in f.message for f in done.findings)


def test_an_unknown_rule_is_reported() -> None:
    done = run(layer(waiver(rule="NO-SUCH-RULE")), decision(BLOCKING))
    assert outcomes(done) == ["AIP017"]
    assert done.status == "fail"


def test_a_waiver_granted_later_is_not_in_force_yet() -> None:
    done = run(layer(waiver(granted="2026-11-23")), decision(BLOCKING))
    assert outcomes(done) == ["AIP019"]
    assert done.status == "fail"


def test_control_narrows_a_waiver_to_one_control() -> None:
    other = replace(CONTROL, control="CTRL-DPIA", line=95, path="controls.4")
    one = waiver(rule="AIP003", control="CTRL-NYC-BIAS-AUDIT")
    done = run(layer(one), decision(CONTROL, other))
    assert [(f.control, f.waived) for f in done.findings if f.rule == "AIP003"] == [
        ("CTRL-NYC-BIAS-AUDIT", True), ("CTRL-DPIA", False)]
    assert done.status == "fail"
    stale = run(layer(waiver(rule="AIP003", control="CTRL-FRIA")), decision(CONTROL))
    assert outcomes(stale) == ["AIP016"]


def test_path_narrows_a_waiver_to_one_field() -> None:
    assert run(layer(waiver(path="log_retention_months")), decision(BLOCKING)).status == "pass"
    assert outcomes(run(layer(waiver(path="other")), decision(BLOCKING))) == ["AIP016"]


def test_a_decision_in_error_is_never_waived() -> None:
    broken = replace(decision(BLOCKING), status="error")
    assert run(layer(waiver()), broken) is broken


def test_an_unknown_compensating_control_is_reported_and_the_waiver_still_waives() -> None:
    done = run(layer(waiver(controls=["CTRL-LOGGING", "CTRL-NOPE"])), decision(BLOCKING))
    assert done.status == "pass"
    [note] = [f for f in done.findings if f.rule == "AIP017"]
    assert note.message == ("Waiver WVR-1 names the compensating control CTRL-NOPE, which "
                            "the pack's catalogue does not have.")
    assert not note.blocking
