"""What the portfolio takes from the pack and the form, and the filters: plain values, so
that the builder is a pure function of a ``check --format json`` report and these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aipolicy.info import fact_value

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack

#: The escalation groups, in the order the report shows them; "untagged": the pack says
#: nothing of what resolving the item takes.
GROUPS = ("policy", "budget", "vendor", "local", "untagged")


@dataclass(frozen=True)
class Scope:
    """The pack's and form's part of a portfolio."""

    tiers: tuple[str, ...]  # the pack's tier scale, lowest first
    category_fact: str | None = None  # the first headline fact (the EU AI Act category)
    categories: tuple[str, ...] = ()  # its scale, when it has one
    stages: tuple[str, ...] = ()  # the form's stages, in its order
    rule_escalation: Mapping[str, str | None] = field(default_factory=dict)
    control_escalation: Mapping[str, str | None] = field(default_factory=dict)
    notice_days: int = 30  # a review due within this many days is due soon


@dataclass(frozen=True)
class Filters:
    """``--business-unit``, ``--stage``, ``--tier``: each empty means all."""

    business_unit: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()

    def keeps(self, result: Mapping[str, Any]) -> bool:
        units = {u.casefold() for u in self.business_unit}
        unit = result.get("business_unit")
        return ((not units or (isinstance(unit, str) and unit.casefold() in units))
                and (not self.stage or result.get("stage") in self.stage)
                and (not self.tier or result.get("tier") in self.tier))

    def as_dict(self) -> dict[str, list[str]]:
        return {"business_unit": list(self.business_unit), "stage": list(self.stage),
                "tier": list(self.tier)}


def scope_of(pack: CompiledPack) -> Scope:
    """The :class:`Scope` of a compiled pack (its spec and its form)."""
    model = pack.model
    fact = model.headlines[0].facts[0].fact if model.headlines else None
    scale: tuple[str, ...] = ()
    if fact is not None:
        spec = model.facts.get(fact)
        if spec is not None and spec.scale is not None:
            scale = tuple(model.scales[spec.scale])
    return Scope(
        tiers=tuple(model.scales.get("tier", ())), category_fact=fact, categories=scale,
        stages=tuple(pack.form.stages),
        rule_escalation={r.id: r.escalation for r in model.rules},
        control_escalation={cid: c.escalation for cid, c in model.controls.items()},
        notice_days=model.report.review_notice_days)


def category(result: Mapping[str, Any], scope: Scope) -> Any:
    """A result's headline category (None when the pack declares none, or no value)."""
    if scope.category_fact is None:
        return None
    return fact_value(result.get("facts") or {}, scope.category_fact)[1]
