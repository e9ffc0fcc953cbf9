"""Static checks of a compiled pack beyond what loading it already refuses.

Loading a pack rejects everything that is wrong (unknown fields, values outside the
form, cycles ...). Linting adds what is merely suspicious: catalogue entries nothing
uses, labels no rule can produce, scale values no rule reaches.
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
    raised_tiers = {r.raise_.get("tier") for r in rules}
    for tier in model.approval_paths:
        if tier not in raised_tiers and tier != model.facts["tier"].default:
            warnings.append(f"no rule raises the tier to {tier!r}, so its approval path is unused")
    return warnings
