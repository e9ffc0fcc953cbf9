"""A submitter cannot lift their own finding: a waiver approved by the submission's owner
or technical owner, or by the waiver's own owner, in any case and with any spaces around
the address, never turns ``fail`` into ``pass``."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aipolicy.decision import Decision
from aipolicy.engine.evaluate import evaluate
from aipolicy.sources.documents import load_document
from aipolicy.waivers.apply import WaiverLayer
from aipolicy.waivers.load import LoadedWaiver, WaiverFile
from aipolicy.waivers.model import Waiver
from helpers.paths import EXAMPLES, starter_pack

AS_OF = dt.date(2026, 11, 22)

_LOCAL = st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12)
_DOMAIN = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)
EMAILS = st.builds(lambda a, b, c: f"{a}@{b}.{c}", _LOCAL, _DOMAIN,
                   st.sampled_from(["com", "org", "example"]))
SPACE = st.text(" \t", max_size=3)


@st.composite
def variant(draw: st.DrawFn, email: str) -> str:
    """The same address as another person might type it: any case, spaces around."""
    flips = draw(st.lists(st.booleans(), min_size=len(email), max_size=len(email)))
    cased = "".join(c.upper() if f else c for c, f in zip(email, flips, strict=True))
    return draw(SPACE) + cased + draw(SPACE)


@functools.lru_cache(maxsize=1)
def _failing() -> tuple[Decision, dict[str, Any]]:
    doc = load_document(str(EXAMPLES / "cv-ranking.yaml"))
    pack = starter_pack()
    decision = evaluate(pack, doc, params=pack.resolve_params({}), as_of=AS_OF)
    assert decision.status == "fail"
    return decision, doc.data


def _waivers(decision: Decision, approver: str, owner: str) -> list[LoadedWaiver]:
    """A waiver of every finding the decision has, each rule its own waiver."""
    out = []
    for i, rule in enumerate(sorted({f.rule for f in decision.findings})):
        waiver = Waiver.model_validate({
            "id": f"W-{i}", "rule": rule, "use_case_id": decision.use_case_id,
            "owner": {"name": "Owner", "email": owner},
            "approver": {"name": "Approver", "email": approver},
            "justification": "Accepted.", "ticket": "T-1",
            "granted": "2026-11-01", "expires": "2026-12-31"})
        out.append(LoadedWaiver(waiver.spec(), "waivers/w.yaml", 1 + 10 * i))
    return out


@given(business=EMAILS, technical=EMAILS, waiver_owner=EMAILS, data=st.data(),
       whose=st.sampled_from(["owner", "technical_owner", "waiver_owner"]))
def test_an_owner_s_own_waiver_never_turns_fail_into_pass(
        business: str, technical: str, waiver_owner: str, whose: str,
        data: st.DataObject) -> None:
    decision, intake = _failing()
    intake = copy.deepcopy(intake)
    intake["owner"]["email"] = data.draw(variant(business))
    intake["technical_owner"]["email"] = data.draw(variant(technical))
    own = {"owner": business, "technical_owner": technical, "waiver_owner": waiver_owner}
    approver = data.draw(variant(own[whose]))
    layer = WaiverLayer.of([WaiverFile("waivers/w.yaml", "sha256:0",
                                       tuple(_waivers(decision, approver, waiver_owner)))],
                           starter_pack())
    done = layer(decision, intake, AS_OF)
    assert done.status == "fail"
    assert not any(f.waived for f in done.findings)
    assert any(f.rule == "AIP012" and f.blocking for f in done.findings)


@given(approver=EMAILS)
def test_an_independent_approver_s_waivers_do_lift_the_findings(approver: str) -> None:
    """The other side: the same waivers approved by someone else pass the submission (so
    the property above is not true merely because nothing is ever waived)."""
    decision, intake = _failing()
    owners = {"jane.doe@example.com", "omar.haddad@example.com", "wes@example.com"}
    if approver in owners:
        return
    layer = WaiverLayer.of([WaiverFile("waivers/w.yaml", "sha256:0",
                                       tuple(_waivers(decision, approver, "wes@example.com")))],
                           starter_pack())
    assert layer(decision, intake, AS_OF).status == "pass"
