"""A submitter's own approval never turns a submission that does not pass into one that
does: generated owners and approvers (in every case and with stray whitespace), generated
sign-offs already recorded, the owner's approval in the submission or in an approvals file.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aipolicy.engine.evaluate import evaluate
from aipolicy.signoffs.apply import SignoffLayer, open_signoffs
from aipolicy.signoffs.load import Approvals, Entry
from aipolicy.sources.documents import load_document, parse_document
from helpers.paths import AS_OF, EXAMPLES, ROOT, starter_pack

DAY = dt.date.fromisoformat(AS_OF)
BASES = [ROOT / "tests" / "cases" / "production-ready-low" / "intake.yaml",
         EXAMPLES / "consumer-credit-scoring.yaml", EXAMPLES / "customer-chatbot.yaml"]
ROLES = ["ai_governance_lead", "privacy_officer", "security_lead", "ai_risk_committee",
         "executive_sponsor", "legal", "owner"]
DECISIONS = ["approved", "approved_with_conditions", "rejected", "deferred"]

_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
emails = st.builds(lambda a, b, c: f"{a}.{b}@{c}.example", _word, _word, _word)
dates = st.dates(dt.date(2025, 6, 1), dt.date(2026, 12, 31))


@st.composite
def variant(draw: Any, email: str) -> str:
    """``email`` as someone might write it: any letter in either case, stray spaces."""
    cased = "".join(c.upper() if draw(st.booleans()) else c for c in email)
    before: str = draw(st.sampled_from(["", " ", "  "]))
    after: str = draw(st.sampled_from(["", " "]))
    return before + cased + after


@st.composite
def entries(draw: Any) -> list[dict[str, Any]]:
    """Sign-offs already recorded, by people who are not the owners."""
    return [{"role": draw(st.sampled_from(ROLES)), "decision": draw(st.sampled_from(DECISIONS)),
             "date": draw(dates).isoformat(), "approver": f"reviewer{i}@risk.example"}
            for i in range(draw(st.integers(0, 6)))]


def _layer(files: tuple[Entry, ...], use_case: str | None) -> SignoffLayer:
    opened = open_signoffs(starter_pack(), None)
    assert opened is not None
    found = {use_case: files} if files and use_case else {}
    return SignoffLayer(opened.policy, opened.titles, opened.form, opened.stage_field,
                        Approvals(found, ()))


def _status(data: dict[str, Any], files: tuple[Entry, ...]) -> str:
    pack = starter_pack()
    doc = parse_document(json.dumps(data), "generated.yaml")
    decision = evaluate(pack, doc, params=pack.resolve_params({}), as_of=DAY)
    layer = _layer(files, decision.use_case_id)
    return layer.located(decision, doc.data, DAY, doc.line_of).status


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(base=st.sampled_from(BASES), owner=emails, technical=emails, recorded=entries(),
       in_file=st.booleans(), whose=st.sampled_from(["owner", "technical_owner"]),
       role=st.sampled_from(ROLES), decision=st.sampled_from(DECISIONS[:2]), on=dates,
       data=st.data())
def test_an_approval_by_the_owner_never_makes_a_submission_pass(
        base: Any, owner: str, technical: str, recorded: list[dict[str, Any]], in_file: bool,
        whose: str, role: str, decision: str, on: dt.date, data: st.DataObject) -> None:
    intake: dict[str, Any] = load_document(str(base)).data
    intake["owner"] = {"name": "Owner", "email": owner}
    intake["technical_owner"] = {"name": "Technical owner", "email": technical}
    intake["approvals"] = recorded
    before = _status(intake, ())
    approver = data.draw(variant(owner if whose == "owner" else technical))
    if in_file:
        own = Entry(role=role, decision=decision, date=on, approver=approver.strip(),
                    conditions=None, file="approvals/own.yaml", line=1, index=0)
        after = _status(intake, (own,))
    else:
        intake["approvals"] = [*recorded, {"role": role, "decision": decision,
                                           "date": on.isoformat(), "approver": approver}]
        after = _status(intake, ())
    if before != "pass":
        assert after != "pass", (before, after)
