"""The sign-off layer: every outcome of a role's sign-off, on the starter pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from aipolicy.decision import Decision
from aipolicy.engine.evaluate import evaluate
from aipolicy.pack.compiled import CompiledPack
from aipolicy.signoffs.apply import SignoffLayer, open_signoffs
from aipolicy.signoffs.load import Approvals, Entry
from aipolicy.sources.documents import load_document, parse_document
from helpers.paths import AS_OF, EXAMPLES, ROOT, starter_pack

DAY = dt.date.fromisoformat(AS_OF)
PARAMS = starter_pack().resolve_params({})
READY = ROOT / "tests" / "cases" / "production-ready-low" / "intake.yaml"
LEAD = {"role": "ai_governance_lead", "decision": "approved", "date": "2026-10-01",
        "approver": "lead@example.com"}


def _layer(pack: CompiledPack, files: tuple[Entry, ...] = (), use_case: str = "OPS-0405",
           **policy: Any) -> SignoffLayer:
    layer = open_signoffs(pack, None)
    assert layer is not None
    return SignoffLayer(layer.policy._replace(**policy), layer.titles, layer.form,
                        layer.stage_field, Approvals({use_case: files} if files else {}, ()))


def _decide(data: dict[str, Any], layer: SignoffLayer | None = None,
            as_of: dt.date = DAY) -> Decision:
    pack = starter_pack()
    doc = parse_document(yaml.safe_dump(data, sort_keys=False), "uc.yaml")
    decision = evaluate(pack, doc, params=PARAMS, as_of=as_of)
    return (layer or _layer(pack)).located(decision, doc.data, as_of, doc.line_of)


def _ready(*approvals: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = load_document(str(READY)).data
    data.update(changes)
    if approvals:
        data["approvals"] = [dict(a) for a in approvals]
    return data


def _rules(d: Decision) -> list[str]:
    return [f.rule for f in d.findings if f.rule.startswith("AIP02")]


def _states(d: Decision) -> list[tuple[str, str]]:
    return [(s.role, s.state) for s in d.signoffs]


def test_without_sign_off_the_role_is_pending_and_the_submission_fails() -> None:
    d = _decide(_ready())
    assert d.status == "fail"
    assert _states(d) == [("owner", "signed"), ("ai_governance_lead", "pending")]
    assert d.next_signer == "ai_governance_lead"
    assert _rules(d) == ["AIP020"]
    assert d.signoffs[0].by == "alex.morgan@example.com"
    assert d.signoffs[0].source == "submission"


def test_a_signed_path_passes_and_names_who_signed_and_when() -> None:
    d = _decide(_ready(LEAD))
    assert d.status == "pass"
    assert d.next_signer is None
    lead = d.signoffs[1]
    assert (lead.state, lead.by, lead.date, lead.source, lead.decision) == (
        "signed", "lead@example.com", "2026-10-01", "intake", "approved")
    assert lead.line is not None


@pytest.mark.parametrize("approver", ["alex.morgan@example.com", " Alex.Morgan@Example.COM ",
                                      "sam.lee@example.com"])
def test_the_owners_own_approval_is_refused(approver: str) -> None:
    d = _decide(_ready({**LEAD, "approver": approver}))
    assert d.status != "pass"
    assert _states(d)[1] == ("ai_governance_lead", "refused")
    assert _rules(d) == ["AIP021"]


def test_an_approval_naming_no_approver_is_refused() -> None:
    entry = {k: v for k, v in LEAD.items() if k != "approver"}
    d = _decide(_ready(entry))
    assert _states(d)[1] == ("ai_governance_lead", "refused")
    assert "names no approver" in d.findings[0].message


@pytest.mark.parametrize(("decision", "state", "rule"), [
    ("rejected", "rejected", "AIP022"), ("deferred", "pending", "AIP020"),
    ("approved_with_conditions", "signed", None)])
def test_each_decision(decision: str, state: str, rule: str | None) -> None:
    d = _decide(_ready({**LEAD, "decision": decision, "conditions": "Report monthly."}))
    assert _states(d)[1] == ("ai_governance_lead", state)
    assert _rules(d) == ([rule] if rule else [])
    assert d.status == ("pass" if rule is None else "fail")


def test_the_latest_entry_for_a_role_counts() -> None:
    rejected = {**LEAD, "decision": "rejected", "date": "2026-09-01"}
    assert _decide(_ready(rejected, LEAD)).status == "pass"
    assert _decide(_ready(LEAD, {**rejected, "date": "2026-10-02"})).status == "fail"


def test_an_approval_older_than_the_validity_is_stale() -> None:
    d = _decide(_ready({**LEAD, "date": "2025-11-21"}))
    assert _states(d)[1] == ("ai_governance_lead", "stale")
    assert _rules(d) == ["AIP023"]
    assert _decide(_ready({**LEAD, "date": "2025-11-22"})).status == "pass"  # 365 days


def test_an_approval_before_a_substantial_change_is_stale() -> None:
    changed = _ready(LEAD, change_type="substantial_modification")
    changed["review"]["last_reviewed"] = "2026-10-05"
    d = _decide(changed)
    assert _rules(d) == ["AIP024"]
    assert _states(d)[1] == ("ai_governance_lead", "stale")
    changed["approvals"][0]["date"] = "2026-10-05"
    assert _decide(changed).status == "pass"
    minor = _ready(LEAD, change_type="minor_change")
    minor["review"]["last_reviewed"] = "2026-10-05"
    assert _decide(minor).status == "pass"


def test_an_approval_dated_after_the_evaluation_date_does_not_count() -> None:
    d = _decide(_ready({**LEAD, "date": "2026-11-23"}))
    assert _rules(d) == ["AIP028"]
    assert _states(d)[1] == ("ai_governance_lead", "stale")


def test_a_sign_off_for_a_role_off_the_path_is_advisory() -> None:
    d = _decide(_ready(LEAD, {**LEAD, "role": "legal"}, {**LEAD, "role": "model_risk"}))
    assert d.status == "pass"
    off = [f for f in d.findings if f.rule == "AIP026"]
    assert [f.blocking for f in off] == [False, False]
    assert "not on this use case's approval path" in off[0].message
    assert "not a role of the rule pack" in off[1].message


def _entry(**fields: Any) -> Entry:
    values: dict[str, Any] = {"role": "ai_governance_lead", "decision": "approved",
                              "date": dt.date(2026, 10, 1), "approver": "lead@example.com",
                              "conditions": None, "file": "approvals/ops.yaml", "line": 3,
                              "index": 0, **fields}
    return Entry(**values)


def test_a_strict_pack_counts_only_approvals_files() -> None:
    pack = starter_pack()
    strict = _layer(pack, source="approvals")
    d = _decide(_ready(LEAD), strict)
    assert _rules(d) == ["AIP020", "AIP027"]
    assert d.status == "fail"
    d = _decide(_ready(LEAD), _layer(pack, (_entry(),), source="approvals"))
    assert d.status == "pass"
    lead = d.signoffs[1]
    assert (lead.source, lead.file, lead.line) == ("approvals", "approvals/ops.yaml", 3)


def test_a_finding_on_an_approvals_file_entry_names_that_file() -> None:
    layer = _layer(starter_pack(), (_entry(decision="rejected"),))
    d = _decide(_ready(), layer)
    rejected = next(f for f in d.findings if f.rule == "AIP022")
    assert (rejected.file, rejected.line) == ("approvals/ops.yaml", 3)


def test_on_one_date_the_approvals_file_outweighs_the_submission() -> None:
    layer = _layer(starter_pack(), (_entry(decision="rejected"),))
    assert _decide(_ready(LEAD), layer).status == "fail"


def test_a_pack_counting_the_intake_only_ignores_approvals_files() -> None:
    layer = _layer(starter_pack(), (_entry(),), source="intake")
    assert _decide(_ready(), layer).status == "fail"


def _credit() -> dict[str, Any]:
    data: dict[str, Any] = load_document(str(EXAMPLES / "consumer-credit-scoring.yaml")).data
    return data


def test_signing_before_an_earlier_role_is_advisory() -> None:
    data = _credit()
    for item in data["approvals"]:
        if item["role"] == "executive_sponsor":
            item["date"] = "2026-09-20"  # before the AI risk committee's 2026-09-24
    d = _decide(data)
    assert d.status == "pass"
    order = [f for f in d.findings if f.rule == "AIP025"]
    assert len(order) == 1
    assert not order[0].blocking
    assert "Executive sponsor (executive_sponsor) signed off on 2026-09-20" in order[0].message


def test_the_next_signer_is_the_first_role_not_signed() -> None:
    data = _credit()
    data["approvals"] = [a for a in data["approvals"] if a["role"] != "privacy_officer"]
    d = _decide(data)
    assert d.next_signer == "privacy_officer"
    assert [s.state for s in d.signoffs] == ["signed", "signed", "pending", "signed", "signed"]


def test_at_a_stage_without_sign_off_the_decision_is_untouched() -> None:
    pack = starter_pack()
    doc = parse_document(yaml.safe_dump(_ready(deployment_stage="pilot")), "uc.yaml")
    decision = evaluate(pack, doc, params=PARAMS, as_of=DAY)
    assert _layer(pack).located(decision, doc.data, DAY, doc.line_of) is decision
    assert _layer(pack)(decision, None, DAY) is decision


def test_the_layer_without_lines_gives_the_same_states() -> None:
    pack = starter_pack()
    doc = parse_document(yaml.safe_dump(_ready(LEAD)), "uc.yaml")
    decision = evaluate(pack, doc, params=PARAMS, as_of=DAY)
    unlocated = _layer(pack)(decision, doc.data, DAY).signoffs
    assert unlocated == tuple(replace(s, line=None) for s in _decide(_ready(LEAD)).signoffs)


def test_a_pack_requiring_no_sign_off_opens_no_layer(tmp_path: Path) -> None:
    from helpers.minipack import mini_pack

    assert open_signoffs(mini_pack(), None) is None
    from aipolicy.errors import ConfigError

    with pytest.raises(ConfigError, match="requires no sign-off"):
        open_signoffs(mini_pack(), str(tmp_path))


def test_sign_offs_apply_first_among_the_layers() -> None:
    from aipolicy.commands.layers import OPENERS

    assert next(iter(OPENERS)) == "signoffs"  # before waivers: a waiver can cover its findings


def test_layers_hand_the_lines_to_a_located_step() -> None:
    from aipolicy.commands.layers import Layers

    pack = starter_pack()
    doc = parse_document(yaml.safe_dump(_ready(LEAD)), "uc.yaml")
    decision = evaluate(pack, doc, params=PARAMS, as_of=DAY)
    layers = Layers((_layer(pack),))
    located = layers.apply(decision, doc.data, DAY, doc.line_of)
    plain = layers.apply(decision, doc.data, DAY)
    assert located.signoffs[1].line is not None
    assert plain.signoffs[1].line is None


def _held_by(*emails: str) -> SignoffLayer:
    layer = _layer(starter_pack())
    return replace(layer, holders={"ai_governance_lead": frozenset(emails)})


def test_where_the_pack_names_a_role_s_holders_only_they_sign_for_it() -> None:
    d = _decide(_ready(LEAD), _held_by("someone.else@example.com"))
    assert d.status == "fail"
    assert _states(d) == [("owner", "signed"), ("ai_governance_lead", "refused")]
    assert _rules(d) == ["AIP021"]
    assert "does not hold the role ai_governance_lead" in d.findings[0].message


@pytest.mark.parametrize("holder", ["lead@example.com", "Lead@Example.com"])
def test_a_holder_of_the_role_signs_for_it(holder: str) -> None:
    d = _decide(_ready(LEAD), _held_by(holder.lower(), "other@example.com"))
    assert d.status == "pass"
    assert _states(d) == [("owner", "signed"), ("ai_governance_lead", "signed")]


def test_the_pack_s_members_reach_the_layer() -> None:
    pack = starter_pack()
    roles = tuple(r._replace(members=("Lead@Example.com",)) if r.id == "ai_governance_lead"
                  else r for r in pack.model.roles)
    named = replace(pack, model=pack.model._replace(roles=roles))
    layer = open_signoffs(named, None)
    assert layer is not None
    assert layer.holders == {"ai_governance_lead": frozenset({"lead@example.com"})}
