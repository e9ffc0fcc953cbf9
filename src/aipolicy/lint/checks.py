"""Static checks of a compiled pack beyond what loading it already refuses.

Loading a pack rejects everything that is wrong (unknown fields, values outside the
form, cycles ...). Linting adds what is merely suspicious: catalogue entries nothing
uses, labels no rule can produce, scale values no rule reaches, escalation tags that
group nothing or are missing where a pack tags the rest.
"""

from __future__ import annotations

from aipolicy.pack.compiled import CompiledPack


def lint(pack: CompiledPack) -> list[str]:
    """Warnings about ``pack``, as sentences; an empty list when there are none."""
    model = pack.model
    rules = model.rules
    warnings = []
    required = {cid for r in rules for cid in r.require_controls}
    for cid in model.controls:
        if cid not in required:
            warnings.append(f"control {cid} is in the catalogue but no rule requires it")
    used_roles = {role for r in rules for role in r.add_approvers}
    for path in model.approval_paths.values():
        if path != "blocked":
            used_roles.update(path)
    for role in model.roles:
        if role.id not in used_roles:
            warnings.append(f"role {role.id} is in no approval path and no rule adds it")
    for name, fact in model.facts.items():
        if fact.labels is not None:
            added = {label for r in rules for label in r.add.get(name, ())}
            for label in fact.labels:
                if label not in added:
                    warnings.append(f"no rule adds the label {label!r} to {name}")
        elif fact.scale is not None:
            raised = {r.raise_[name] for r in rules if name in r.raise_}
            if not raised:
                warnings.append(f"no rule raises the fact {name}")
    warnings += _escalation(pack)
    raised_tiers = {r.raise_.get("tier") for r in rules}
    for tier in model.approval_paths:
        if tier not in raised_tiers and tier != model.facts["tier"].default:
            warnings.append(f"no rule raises the tier to {tier!r}, so its approval path is unused")
    return warnings


def _escalation(pack: CompiledPack) -> list[str]:
    """A tag that groups nothing, and, in a pack that tags, what the report would list as
    untagged: a rule's blocking violation, a control of the catalogue."""
    model = pack.model
    tags = any(r.escalation for r in model.rules) or any(
        c.escalation for c in model.controls.values())
    out = []
    for r in model.rules:
        if r.escalation is not None and r.violation is None:
            out.append(f"rule {r.id} has an escalation but raises no violation, so no "
                       "finding of it is grouped by it")
        elif (tags and r.escalation is None and r.violation is not None
              and r.enforcement == "blocking"):
            out.append(f"rule {r.id} raises a blocking violation but has no escalation: "
                       "the portfolio report lists its findings as untagged")
    if tags:
        out += [f"control {cid} has no escalation: the portfolio report lists it as "
                "untagged" for cid, c in model.controls.items() if c.escalation is None]
    return out
