"""The report of a run: the decisions and what produced them (pack, form, rules, controls)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from aipolicy._version import __version__
from aipolicy.decision import ENGINE_RULES, Decision, Report
from aipolicy.form.schema import Form
from aipolicy.info import Citation, ControlInfo, Headline, HeadlineFact, RuleInfo

if TYPE_CHECKING:
    from aipolicy.pack import spec
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
        headlines=_headlines(pack),
    )


def _citations(items: Iterable[spec.Citation], sources: Mapping[str, spec.SourceSpec]
               ) -> tuple[Citation, ...]:
    """The citations for reporters, each with its framework's basis and date if declared."""
    found = ((c, sources.get(c.framework)) for c in items)
    return tuple(Citation(c.framework, c.clause, c.url) if src is None else
                 Citation(c.framework, c.clause, c.url, src.basis, src.date)
                 for c, src in found)


def _rule_info(pack: CompiledPack | None) -> dict[str, RuleInfo]:
    """What reporters need to describe each rule (SARIF rules, JUnit, docs)."""
    info = {rid: RuleInfo(title=title, description=title, severity="high",
                          enforcement="blocking")
            for rid, title in ENGINE_RULES.items()}
    if pack is None:
        return info
    for rule in pack.model.rules:
        info[rule.id] = RuleInfo(
            title=rule.title, description=" ".join(rule.description.split()),
            severity=rule.severity, enforcement=rule.enforcement,
            citations=_citations(rule.citations, pack.model.sources),
            remediation=rule.violation.remediation if rule.violation else "",
        )
    return info


def _control_info(pack: CompiledPack | None) -> dict[str, ControlInfo]:
    if pack is None:
        return {}
    return {cid: ControlInfo(c.title, c.description, _citations(c.citations, pack.model.sources))
            for cid, c in pack.model.controls.items()}


def _headlines(pack: CompiledPack | None) -> tuple[Headline, ...]:
    """The facts the pack declares as its headline, for the reporters to show."""
    if pack is None:
        return ()
    return tuple(
        Headline(h.title, tuple(HeadlineFact(f.fact, f.label, f.omit_empty) for f in h.facts),
                 h.column)
        for h in pack.model.headlines)
