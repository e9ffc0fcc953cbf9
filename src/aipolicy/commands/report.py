"""The report of a run: the decisions and what produced them (pack, form, rules, controls)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aipolicy._version import __version__
from aipolicy.decision import Decision, Report
from aipolicy.form.schema import Form

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack


def build_report(decisions: Iterable[Decision], as_of: dt.date, params: dict[str, Any],
            pack: CompiledPack | None, form: Form) -> Report:
    return Report(
        decisions=tuple(decisions),
        tool_version=__version__,
        as_of=as_of.isoformat(),
        parameters=params,
        pack=({"name": pack.name, "version": pack.version, "digest": pack.digest}
              if pack is not None else None),
        form={"id": form.id, "digest": form.digest},
        tiers=pack.scales["tier"] if pack is not None else (),
        rules=_rule_info(pack),
        controls=_control_info(pack),
    )


def _citations(items: Any) -> list[dict[str, Any]]:
    return [{"framework": c.framework, "clause": c.clause, "url": c.url} for c in items]


def _rule_info(pack: CompiledPack | None) -> dict[str, dict[str, Any]]:
    """What reporters need to describe each rule (SARIF rules, JUnit, docs)."""
    from aipolicy.decision import ENGINE_RULES

    info: dict[str, dict[str, Any]] = {
        rid: {"title": title, "description": title, "severity": "high",
              "enforcement": "blocking", "citations": [], "remediation": ""}
        for rid, title in ENGINE_RULES.items()
    }
    if pack is None:
        return info
    for rule in pack.model.rules:
        info[rule.id] = {
            "title": rule.title, "description": " ".join(rule.description.split()),
            "severity": rule.severity, "enforcement": rule.enforcement,
            "citations": _citations(rule.citations),
            "remediation": rule.violation.remediation if rule.violation else "",
        }
    return info


def _control_info(pack: CompiledPack | None) -> dict[str, dict[str, Any]]:
    if pack is None:
        return {}
    return {cid: {"title": c.title, "description": c.description,
                  "citations": _citations(c.citations)}
            for cid, c in pack.model.controls.items()}
