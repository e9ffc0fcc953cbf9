"""A decision's sign-offs survive its canonical dict and JSON (what records store)."""

from __future__ import annotations

import json

from aipolicy.decision import Decision, SignoffState
from aipolicy.serialize import as_json, decision_dict, decision_from_dict, decision_json

SIGNED = Decision(
    file="a.yaml", use_case_id="A-001", status="fail", tier="low",
    signoffs=(SignoffState("owner", "Owner", "signed", by="o@example.com",
                           source="submission"),
              SignoffState("lead", "Lead", "rejected", decision="rejected",
                           by="l@example.com", date="2026-10-01", source="approvals",
                           file="approvals/a.yaml", line=3)),
    next_signer="lead")


def test_sign_offs_go_to_json_and_back() -> None:
    raw = decision_dict(SIGNED)
    assert raw["next_signer"] == "lead"
    assert raw["signoffs"][1]["file"] == "approvals/a.yaml"
    assert decision_from_dict(json.loads(json.dumps(raw))) == SIGNED
    made = as_json(SIGNED)
    assert made == SIGNED
    assert made.signoffs == SIGNED.signoffs
    assert json.loads(decision_json(made)) == raw


def test_a_decision_without_sign_offs_has_no_such_keys() -> None:
    plain = Decision(file="a.yaml", use_case_id="A-001", status="pass", tier="low")
    raw = decision_dict(plain)
    assert "signoffs" not in raw
    assert "next_signer" not in raw
    assert decision_from_dict(raw) == plain
