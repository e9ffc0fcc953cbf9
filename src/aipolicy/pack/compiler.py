"""Compiling a rule pack: every check against the form and itself, then the compiled pack.

:mod:`aipolicy.pack.load` reads, merges and validates a pack's files; :class:`PackCompiler`
checks what a schema cannot (fields, values and operators against the form, facts, roles,
paths, gates, dates, the review gate, rule order) and builds the :class:`CompiledPack`.
"""
from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Callable, Mapping
from typing import Protocol

from aipolicy.errors import Location, PackError
from aipolicy.form.schema import Form, did_you_mean, is_date
from aipolicy.language.nodes import TRUE, Place
from aipolicy.language.parser import PackSymbols, Parser
from aipolicy.sources.documents import SourceDoc
from aipolicy.sources.files import PathKey

from .compiled import CompiledPack, CompiledRule
from .review_checks import review_problems
from .spec import ByParameter, Effective, GateSpec, Json, PackSpec, Params, RuleSpec

Problems = list[tuple[Location, str]]


class Origins(Protocol):
    """Where each part of a pack's merged data was written (``load._Merged``)."""

    def origin(self, path: PathKey) -> tuple[SourceDoc, PathKey]:
        """The document and local path of a path into the merged data."""
        ...

    def locate(self, path: PathKey) -> Location:
        """The file, line and column of a path into the merged data."""
        ...


#: Control ids (the same pattern as pack_model.CONTROL_ID, without importing pydantic).
_CONTROL_ID = re.compile(r"^CTRL-[A-Z0-9]+(-[A-Z0-9]+)*$")


class PackCompiler:
    def __init__(self, model: PackSpec, form: Form, merged: Origins) -> None:
        self.m = model
        self.form = form
        self.merged = merged
        self.problems: Problems = []
        self._first_index: dict[str, int] = {}

    def fail(self, path: PathKey, message: str) -> None:
        self.problems.append((self.merged.locate(path), message))

    def compile(self, path: str, digest: str) -> CompiledPack:
        m = self.m
        self._check_form_ref()
        self._check_scales_and_facts()
        self._check_params()
        roles = self._check_roles()
        self._check_paths(roles)
        self._check_gates()
        self._check_signoffs(roles)
        self.problems += [(self.merged.locate(a), t) for a, t in review_problems(m, self.form)]
        symbols = PackSymbols(
            facts={n: ("scale", m.scales.get(f.scale, ())) if f.scale
                   else ("labels", f.labels or ()) for n, f in m.facts.items()},
            params={n: (p.type, p.values) for n, p in m.parameters.items()},
        )
        first: dict[str, int] = {}  # each rule id's first index: one pass, not a scan per rule
        for i, rule in enumerate(m.rules):
            first.setdefault(rule.id, i)
        self._first_index = first
        rules = [self._rule(i, rule, symbols, roles) for i, rule in enumerate(m.rules)]
        self._check_waivers()
        if self.problems:
            raise PackError(dedupe(self.problems))
        ordered = self._order([r for r in rules if r is not None])
        if self.problems:
            raise PackError(dedupe(self.problems))
        fact_kinds = {
            name: ("scale", m.scales[f.scale], f.default) if f.scale
            else ("labels", f.labels or (), None)
            for name, f in m.facts.items()
        }
        return CompiledPack(m, self.form, path, digest, tuple(ordered), dict(m.scales),
                            fact_kinds)

    def _check_form_ref(self) -> None:
        m = self.m
        if m.form is not None and m.form.id != self.form.id:
            self.fail(("form", "id"), f"the pack was written for the form '{m.form.id}', "
                      f"but the form in use is '{self.form.id}'")
        stage_field = m.stage_field or self.form.stage_field
        if self.form.field((stage_field,)) is None:
            self.fail(("stage_field",), f"the intake form has no field '{stage_field}'")

    def _check_scales_and_facts(self) -> None:
        m = self.m
        for name, values in m.scales.items():
            if not values:
                self.fail(("scales", name), f"scale '{name}' has no values")
            if len(set(values)) != len(values):
                self.fail(("scales", name), f"scale '{name}' lists a value twice")
        if "tier" not in m.scales:
            self.fail(("scales",), "the pack must declare the scale 'tier' (lowest first)")
        tier = m.facts.get("tier")
        if tier is None or tier.scale != "tier":
            self.fail(("facts",), "the pack must declare the fact 'tier' with {scale: tier}")
        for name, fact in m.facts.items():
            if fact.scale is not None:
                if fact.scale not in m.scales:
                    self.fail(("facts", name, "scale"), f"unknown scale '{fact.scale}'"
                              + did_you_mean(fact.scale, m.scales))
                elif fact.default is not None and fact.default not in m.scales[fact.scale]:
                    self.fail(("facts", name, "default"),
                              f"'{fact.default}' is not on the scale '{fact.scale}'")
            elif fact.labels is not None and len(set(fact.labels)) != len(fact.labels):
                self.fail(("facts", name, "labels"), "a label is listed twice")
        for i, headline in enumerate(m.headlines):
            for j, shown in enumerate(headline.facts):
                if shown.fact not in m.facts:
                    self.fail(("headlines", i, "facts", j, "fact"),
                              f"the pack declares no fact '{shown.fact}'"
                              + did_you_mean(shown.fact, m.facts))

    def _check_params(self) -> None:
        for name, p in self.m.parameters.items():
            at = ("parameters", name)
            values = [*(p.values or ()), p.default]
            for v in values:
                if not _param_type_ok(p.type, v):
                    self.fail(at, f"parameter '{name}' is a {p.type}; {v!r} is not")
            if p.values is not None and p.default not in p.values:
                self.fail((*at, "default"), f"the default {p.default!r} is not among the values")

    def _check_roles(self) -> list[str]:
        ids = [r.id for r in self.m.roles]
        for i, rid in enumerate(ids):
            if rid in ids[:i]:
                self.fail(("roles", i, "id"), f"role '{rid}' is listed twice")
        return ids

    def _check_paths(self, roles: list[str]) -> None:
        m = self.m
        tiers = m.scales.get("tier", ())
        for tier in tiers:
            if tier not in m.approval_paths:
                self.fail(("approval_paths",), f"no approval path for tier '{tier}' "
                          "(give a list of roles, or `blocked`)")
        for tier, path in m.approval_paths.items():
            if tier not in tiers:
                self.fail(("approval_paths", tier), f"'{tier}' is not a tier"
                          + did_you_mean(tier, tiers))
            if path != "blocked":
                for role in path:
                    if role not in roles:
                        self.fail(("approval_paths", tier), f"unknown role '{role}'"
                                  + did_you_mean(role, roles))

    def _check_gates(self) -> None:
        m = self.m
        stage_field = m.stage_field or self.form.stage_field
        stage = self.form.field((stage_field,))
        stages = stage.enum if stage is not None and stage.enum else None
        gate_sets: list[tuple[PathKey, Mapping[str, GateSpec]]] = [
            (("control_gates",), m.control_gates)]
        gate_sets += [(("controls", cid, "gates"), c.gates) for cid, c in m.controls.items()
                      if c.gates]
        for at, gates in gate_sets:
            for name in gates:
                if stages is not None and name not in stages:
                    self.fail((*at, name), f"'{name}' is not a value of "
                              f"{stage_field}" + did_you_mean(name, stages))
        for cid in m.controls:
            if not _CONTROL_ID.match(cid):
                self.fail(("controls", cid), f"control id '{cid}' must look like CTRL-NAME")

    def _check_signoffs(self, roles: list[str]) -> None:
        """The signoffs section against the form (stages, the change's fields and values)
        and the pack's roles."""
        policy = self.m.signoffs
        at: PathKey = ("signoffs",)
        stages = self.form.stages
        for i, stage in enumerate(policy.stages):
            if stages and stage not in stages:
                self.fail((*at, "stages", i), f"'{stage}' is not a deployment stage of the "
                          f"form ({', '.join(stages)})" + did_you_mean(stage, stages))
        for i, role in enumerate(policy.owner_roles):
            if role not in roles:
                self.fail((*at, "owner_roles", i), f"unknown role '{role}'"
                          + did_you_mean(role, roles))
        change = policy.change
        if change is None:
            return
        field = self.form.field(tuple(change.field.split(".")))
        if field is None:
            self.fail((*at, "change", "field"), f"the form has no field '{change.field}'")
        elif field.enum:
            for i, value in enumerate(change.values):
                if value not in field.enum:
                    self.fail((*at, "change", "values", i), f"'{value}' is not a value of "
                              f"{change.field}" + did_you_mean(value, map(str, field.enum)))
        dated = self.form.field(tuple(change.date.split(".")))
        if dated is None:
            self.fail((*at, "change", "date"), f"the form has no field '{change.date}'")
        elif dated.format != "date":
            self.fail((*at, "change", "date"), f"'{change.date}' is not a date field")

    def _check_waivers(self) -> None:
        ids = {r.id for r in self.m.rules}
        for i, rid in enumerate(self.m.waivers.not_waivable):
            if rid not in ids:
                self.fail(("waivers", "not_waivable", i), f"unknown rule '{rid}'"
                          + did_you_mean(rid, ids))
        roles = [r.id for r in self.m.roles]
        for severity, approval in self.m.waivers.by_severity.items():
            for i, role in enumerate(approval.approvers):
                if role not in roles:
                    self.fail(("waivers", "by_severity", severity, "approvers", i),
                              f"unknown role '{role}'" + did_you_mean(role, roles))
        for role in self.m.people:
            if role not in roles:
                self.fail(("people", role), f"unknown role '{role}'" + did_you_mean(role, roles))

    def _rule(self, i: int, rule: RuleSpec, symbols: PackSymbols, roles: list[str]
              ) -> CompiledRule | None:
        m = self.m
        at: PathKey = ("rules", i)
        before = len(self.problems)
        if self._first_index.get(rule.id, i) < i:
            self.fail((*at, "id"), f"rule id '{rule.id}' is used twice; ids are unique "
                      "and never reused")
        raises = []
        for fact, value in rule.raise_.items():
            decl = m.facts.get(fact)
            if decl is None or decl.scale is None:
                what = "not a scale fact" if decl is not None else "not a declared fact"
                self.fail((*at, "raise", fact), f"'{fact}' is {what}"
                          + did_you_mean(fact, [n for n, f in m.facts.items() if f.scale]))
                continue
            scale = m.scales.get(decl.scale, ())
            if value not in scale:
                self.fail((*at, "raise", fact), f"'{value}' is not on the scale of {fact}: "
                          f"{', '.join(scale)}" + did_you_mean(value, scale))
                continue
            raises.append((fact, value, scale.index(value)))
        adds = []
        for fact, labels in rule.add.items():
            decl = m.facts.get(fact)
            if decl is None or decl.labels is None:
                self.fail((*at, "add", fact), f"'{fact}' is not a label fact"
                          + did_you_mean(fact, [n for n, f in m.facts.items() if f.labels]))
                continue
            for label in labels:
                if label not in decl.labels:
                    self.fail((*at, "add", fact), f"'{label}' is not a label of {fact}"
                              + did_you_mean(label, decl.labels))
            adds.append((fact, tuple(labels)))
        for cid in rule.require_controls:
            if cid not in m.controls:
                self.fail((*at, "require_controls"), f"control '{cid}' is not in the "
                          "catalogue (controls:)" + did_you_mean(cid, m.controls))
        for role in rule.add_approvers:
            if role not in roles:
                self.fail((*at, "add_approvers"), f"unknown role '{role}'"
                          + did_you_mean(role, roles))
        if rule.violation is not None and rule.violation.field is not None:
            fpath = tuple(rule.violation.field.split("."))
            if self.form.field(fpath) is None:
                self.fail((*at, "violation", "field"),
                          f"the form has no field '{rule.violation.field}'")
        self._check_blocked(at, rule)
        effective = self._effective(at, rule)
        doc, local = self.merged.origin(at)
        parser = Parser(self.form, symbols, doc, self.problems)
        when = TRUE if rule.when is None else parser.parse(rule.when, (*local, "when"))
        if len(self.problems) > before:
            return None
        return CompiledRule(
            id=rule.id, title=rule.title, severity=rule.severity,
            enforcement=rule.enforcement, when=when, effective=effective,
            raises=tuple(raises), adds=tuple(adds), controls=tuple(rule.require_controls),
            approvers=tuple(rule.add_approvers), violation=rule.violation,
            place=Place(doc.path, local, doc), reads=when.reads_facts,
            writes=frozenset(f for f, _, _ in raises) | frozenset(f for f, _ in adds),
        )

    def _check_blocked(self, at: PathKey, rule: RuleSpec) -> None:
        target = rule.raise_.get("tier")
        if target is None or self.m.approval_paths.get(target) != "blocked":
            return
        blocking = rule.violation is not None and rule.enforcement == "blocking"
        if not blocking:
            self.fail((*at, "raise", "tier"), f"this rule makes the tier '{target}', which "
                      "has no approval path, so it must be `enforcement: blocking` with a "
                      "`violation:` saying why")
        if rule.id not in self.m.waivers.not_waivable:
            self.fail((*at, "id"), f"rule '{rule.id}' makes the tier '{target}' (blocked); "
                      "list it under waivers.not_waivable")

    def _effective(self, at: PathKey, rule: RuleSpec
                   ) -> Callable[[Params, dt.date], bool]:
        bounds: list[Effective | None] = []
        for key, value in (("effective_from", rule.effective_from),
                           ("effective_until", rule.effective_until)):
            if isinstance(value, ByParameter):  # a date per parameter value
                decl = self.m.parameters.get(value.parameter)
                if decl is None:
                    self.fail((*at, key, "parameter"), f"unknown parameter '{value.parameter}'"
                              + did_you_mean(value.parameter, self.m.parameters))
                elif decl.values is not None:
                    for name in value.values:
                        if name not in decl.values:
                            self.fail((*at, key, "values", name), f"'{name}' is not a value "
                                      f"of parameter {value.parameter}")
                    for allowed in decl.values:
                        if allowed not in value.values:
                            self.fail((*at, key, "values"), f"no date for {value.parameter} "
                                      f"= {allowed} (write null if the rule does not exist then)")
            bounds.append(value)
        start, until = bounds
        if start is None and until is None:
            return lambda params, as_of: True

        def resolve(value: Effective | None, params: Params) -> tuple[bool, dt.date | None]:
            if value is None or isinstance(value, dt.date):
                return True, value
            choice = params.get(value.parameter)  # a scalar (the compiler checked them)
            chosen = value.values.get(choice) if isinstance(choice, str) else None
            return chosen is not None, chosen

        def effective(params: Params, as_of: dt.date) -> bool:
            exists, first = resolve(start, params)
            exists_until, last = resolve(until, params)
            if not exists:
                return False
            if first is not None and as_of < first:
                return False
            return not (exists_until and last is not None and as_of >= last)

        return effective

    def _order(self, rules: list[CompiledRule]) -> list[CompiledRule]:
        """Writers of a fact before its readers; ties by rule id; cycles are errors."""
        by_id = {r.id: r for r in rules}
        writers: dict[str, list[str]] = {}
        for r in rules:
            for fact in r.writes:
                writers.setdefault(fact, []).append(r.id)
        after: dict[str, set[str]] = {r.id: set() for r in rules}
        pending: dict[str, int] = {r.id: 0 for r in rules}
        for r in rules:
            for fact in r.reads:
                for w in writers.get(fact, ()):
                    if r.id not in after[w]:
                        after[w].add(r.id)
                        pending[r.id] += 1
        ready = [rid for rid, n in pending.items() if n == 0]
        heapq.heapify(ready)
        ordered: list[CompiledRule] = []
        while ready:
            rid = heapq.heappop(ready)
            ordered.append(by_id[rid])
            for nxt in sorted(after[rid]):
                pending[nxt] -= 1
                if pending[nxt] == 0:
                    heapq.heappush(ready, nxt)
        if len(ordered) != len(rules):
            stuck = sorted(rid for rid, n in pending.items() if n > 0)
            for rid in stuck:
                r = by_id[rid]
                loops = sorted(f for f in r.reads if any(w in stuck for w in writers.get(f, ())))
                self.problems.append((r.location, f"rule {rid} is in a cycle: it reads "
                                      f"{', '.join(loops)}, which rules in the cycle "
                                      f"({', '.join(stuck)}) write"))
        return ordered


def _param_type_ok(kind: str, value: Json) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        return is_date(value) or isinstance(value, dt.date)
    return isinstance(value, str)


def dedupe(problems: Problems) -> Problems:
    seen: set[tuple[str, str]] = set()
    out = []
    for loc, msg in problems:
        if (str(loc), msg) not in seen:
            seen.add((str(loc), msg))
            out.append((loc, msg))
    return out
