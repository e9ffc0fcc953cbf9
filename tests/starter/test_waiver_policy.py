"""The starter pack's waiver policy: no Art. 5 prohibition can be waived, and the
approvers and durations grow with the severity of the finding."""

from __future__ import annotations

from helpers.paths import starter_pack


def test_every_article_5_prohibition_is_not_waivable() -> None:
    pack = starter_pack()
    prohibitions = {r.id for r in pack.model.rules if r.enforcement == "blocking"
                    and any(c.clause.startswith("Art. 5(1)") for c in r.citations)}
    assert len(prohibitions) == 10  # (a)-(h) and the 2026 (ba), (bb)
    assert prohibitions <= set(pack.model.waivers.not_waivable)


def test_the_starter_pack_names_nobody_and_shortens_waivers_of_graver_findings() -> None:
    pack = starter_pack()
    assert pack.role_members == {}
    policy = pack.model.waivers
    assert policy.notice_days == 30
    days = [policy.by_severity[s].max_days or 0 for s in ("critical", "high", "medium")]
    assert days == [90, 180, 365]
    assert policy.by_severity["critical"].approvers == ("ai_risk_committee",)
