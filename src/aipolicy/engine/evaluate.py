"""The evaluator: (pack, parameters, as-of date, submission) → decision.

Pure: no files, no printing, no clock (the date is an argument).  Deterministic and
independent of the order of rules in the pack: scale facts merge by maximum, label sets
by union, controls and approvers by union, and rules that read a fact run after every
rule that writes it (the pack compiler orders them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aipolicy.decision import ApprovalStep, Decision, Finding, FiredRule, kept, status_for
from aipolicy.form.validate import check_submission
from aipolicy.identity import identity_of
from aipolicy.language.closures import Context
from aipolicy.language.evidence import evidence, shown
from aipolicy.pack.compiled import CompiledPack
from aipolicy.sources.documents import SourceDoc

from .findings import control_findings, violation_finding
from .index import default_matcher
from .matcher import Matched, Matcher, Step


def evaluate(
    pack: CompiledPack,
    doc: SourceDoc,
    *,
    params: dict[str, Any],
    as_of: dt.date,
    matcher: Matcher | None = None,
) -> Decision:
    """Classify one parsed submission and report every finding (``matcher``: which
    runs the rules; by default the pack's index, see :func:`match`)."""
    findings: list[Finding] = check_submission(pack.form, doc)
    data = pack.form.apply_defaults(doc.data)
    derived = derive(pack, data, params=params, as_of=as_of, matcher=matcher)
    facts = derived.matched.facts
    fired = derived.fired
    control_by = derived.matched.controls
    approver_by = derived.matched.approvers
    findings.extend(violation_finding(pack, rule, doc, found, params)
                    for rule, found in derived.violations)

    tier = facts.get("tier")
    model = pack.model
    base = model.approval_paths.get(tier) if tier is not None else None
    blocked = base == "blocked"
    path_steps: tuple[ApprovalStep, ...] = ()
    if not blocked:
        needed: dict[str, list[str]] = {}
        for role in base or ():
            needed.setdefault(role, []).append(f"tier:{tier}")
        for role, rules in approver_by.items():
            needed.setdefault(role, []).extend(sorted(rules))
        path_steps = tuple(
            ApprovalStep(r.id, r.title, tuple(needed[r.id])) for r in model.roles if r.id in needed
        )

    controls, on_controls = control_findings(pack, data, doc, control_by, as_of)
    findings.extend(on_controls)
    findings.sort(key=Finding.sort_key)
    return Decision(
        file=doc.path,
        use_case_id=pack.form.identity(doc.data),
        status=status_for(findings),
        tier=tier,
        facts=_nest_facts(pack, facts),
        controls=controls,
        approval_path=path_steps,
        blocked=blocked,
        findings=kept(findings),
        rules_fired=tuple(sorted(fired, key=lambda f: f.rule)),
        review=pack.review_of(facts),
        identity=identity_of(doc.data, pack.form.names),
    )


@dataclass
class Derived:
    """What the rules conclude about one submission, explained, before it becomes a
    decision: the rules that hold with the values that made them hold."""

    matched: Matched  # the facts, controls and approvers
    fired: list[FiredRule]
    violations: list[tuple[Any, dict[str, Any]]]  # (rule, evidence)


def match(pack: CompiledPack, data: Any, *, params: dict[str, Any], as_of: dt.date,
          matcher: Matcher | None = None) -> Matched:
    """Rule evaluation alone: the rules that hold for submission data (defaults applied),
    and the facts, controls and approvers they add; no explanations (see :func:`derive`).

    ``matcher`` runs the rules (made for ``pack``); by default the pack's
    :class:`~aipolicy.engine.index.IndexMatcher`, kept for the last few packs used.
    """
    if matcher is None:
        matcher = default_matcher(pack)
    elif matcher.pack is not pack:
        raise ValueError("the matcher was made for another pack")
    return matcher.match(data, params=params, as_of=as_of)


def explain(step: Step, ctx: Context) -> dict[str, Any]:
    """The values that made a rule hold, by field path, ``fact:`` or ``parameter:`` name."""
    if step.evidence is not None:  # known without walking the condition
        return {key: shown(get(ctx)) for key, get in step.evidence}
    found: dict[str, Any] = {}
    evidence(step.rule.when, ctx, found)
    return dict(sorted(found.items()))


def derive(pack: CompiledPack, data: Any, *, params: dict[str, Any], as_of: dt.date,
           matcher: Matcher | None = None) -> Derived:
    """Run the rules on submission data (defaults applied): facts, fired rules with the
    values that made them hold, effects and violations.

    The rule evaluation (:func:`match`) and its explanation, without the form check or
    the decision's assembly. The final facts explain every rule: a rule runs after every
    rule that writes a fact it reads, so no fact it read changes after it fired.
    """
    matched = match(pack, data, params=params, as_of=as_of, matcher=matcher)
    ctx = Context(data if isinstance(data, dict) else {}, matched.facts, params, as_of)
    out = Derived(matched, [], [])
    for step in matched.steps:
        found = explain(step, ctx)
        out.fired.append(FiredRule(step.rule.id, found))
        if step.rule.violation is not None:
            out.violations.append((step.rule, found))
    return out


def _nest_facts(pack: CompiledPack, facts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (kind, values, _default) in pack.fact_kinds.items():
        if name == "tier":
            continue
        value = facts[name]
        if kind == "labels":
            value = [v for v in values if v in value]
        node = out
        *parents, leaf = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out
