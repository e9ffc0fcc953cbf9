"""decision.revise: what a layer applied after evaluation uses to change the findings."""

from __future__ import annotations

from aipolicy.decision import MAX_FINDINGS, Decision, Finding, revise


def _finding(rule: str, *, blocking: bool, waived: bool = False, line: int = 1) -> Finding:
    return Finding(rule=rule, severity="high", blocking=blocking, message=f"{rule} broke",
                   line=line, waived=waived)


def _decision(*findings: Finding, status: str = "fail") -> Decision:
    return Decision(file="intake/a.yaml", use_case_id="A-1", status=status, tier="high",
                    findings=findings)


def test_a_waived_blocking_finding_no_longer_fails_the_submission() -> None:
    before = _decision(_finding("R1", blocking=True))
    after = revise(before, [_finding("R1", blocking=True, waived=True)])
    assert after.status == "pass"
    assert after.findings == (_finding("R1", blocking=True, waived=True),)


def test_a_new_blocking_finding_fails_a_passing_submission() -> None:
    before = _decision(status="pass")
    after = revise(before, [_finding("AIP020", blocking=True)])
    assert after.status == "fail"


def test_findings_are_sorted_by_place() -> None:
    after = revise(_decision(), [_finding("B", blocking=False, line=9),
                                 _finding("A", blocking=False, line=2)])
    assert [f.line for f in after.findings] == [2, 9]


def test_a_decision_in_error_stays_in_error() -> None:
    before = _decision(_finding("AIP005", blocking=True), status="error")
    assert revise(before, [_finding("AIP005", blocking=True, waived=True)]).status == "error"


def test_revised_findings_are_capped_as_the_engine_caps_them() -> None:
    many = [_finding("R", blocking=False, line=i) for i in range(MAX_FINDINGS + 5)]
    after = revise(_decision(status="pass"), many)
    assert len(after.findings) == MAX_FINDINGS + 1
    assert after.findings[-1].rule == "AIP006"
