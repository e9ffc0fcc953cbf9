"""A required control marked not_applicable: it satisfies its gate only with a reason and
where the pack allows it (the gate accepts not_applicable, or the control says
allow_not_applicable); otherwise one AIP003 saying which of the two is missing."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

import helpers.minipack as minipack
from aipolicy.decision import Decision
from aipolicy.engine.evaluate import evaluate
from helpers.minipack import intake, mini_pack

AS_OF = dt.date(2026, 11, 22)
#: A high-risk use case at production that needs CTRL-A (and nothing else blocking).
TEXT = """\
use_case_id: HR-0042
owner: {name: Jane Doe, email: jane@example.com}
deployment_stage: production
purposes: [recruitment_screening]
log_retention_months: 12
controls:
  - {id: CTRL-A, status: not_applicable, waiver_reason: REASON}
"""


def _pack(*, gate_accepts: bool = False, allow: bool = False) -> Any:
    header = copy.deepcopy(minipack.HEADER)
    if gate_accepts:
        header["control_gates"]["production"]["accept"] = ["done", "not_applicable"]
    if allow:
        header["controls"]["CTRL-A"]["allow_not_applicable"] = True
    return mini_pack(header=header)


def _run(pack: Any, reason: str | None) -> Decision:
    text = TEXT.replace("REASON", reason) if reason is not None else \
        TEXT.replace(", waiver_reason: REASON", "")
    return evaluate(pack, intake(text), params=pack.resolve_params({}), as_of=AS_OF)


def _control_findings(d: Decision) -> list[str]:
    return [f.message for f in d.findings if f.rule == "AIP003"]


@pytest.mark.parametrize("how", [{"gate_accepts": True}, {"allow": True}])
def test_allowed_with_a_reason_satisfies_the_gate(how: dict[str, bool]) -> None:
    d = _run(_pack(**how), "No personal data is processed at all.")
    assert _control_findings(d) == []
    assert [(c.id, c.status, c.satisfied) for c in d.controls] == [
        ("CTRL-A", "not_applicable", True)]


@pytest.mark.parametrize("reason", [None, "   "])
def test_allowed_without_a_reason_is_a_finding_asking_for_it(reason: str | None) -> None:
    [message] = _control_findings(_run(_pack(allow=True), reason))
    assert message == ("Control CTRL-A (Control A) is required by HIGH and is marked "
                       "not_applicable, but it gives no reason (waiver_reason).")


def test_not_allowed_is_a_finding_naming_the_waiver_that_would_cover_it() -> None:
    d = _run(_pack(), "No personal data is processed at all.")
    [finding] = [f for f in d.findings if f.rule == "AIP003"]
    assert finding.message == ("Control CTRL-A (Control A) is required by HIGH and is "
                               "marked not_applicable, but the pack does not accept "
                               "not_applicable for it at stage production.")
    assert "a waiver of AIP003 with control: CTRL-A" in finding.remediation
    assert (finding.control, finding.blocking, finding.line) == ("CTRL-A", True, 7)


def test_neither_allowed_nor_reasoned_names_both() -> None:
    [message] = _control_findings(_run(_pack(), None))
    assert message.endswith("but the pack does not accept not_applicable for it at stage "
                            "production and it gives no reason (waiver_reason).")


def test_not_applicable_evidence_is_never_stale() -> None:
    header = copy.deepcopy(minipack.HEADER)
    header["controls"]["CTRL-A"].update(allow_not_applicable=True, valid_for_days=30)
    d = _run(mini_pack(header=header), "No personal data is processed at all.")
    assert [f.rule for f in d.findings if f.rule in ("AIP003", "AIP004", "AIP007")] == []
